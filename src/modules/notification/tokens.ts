import type { ServiceIdentifier } from 'inversify';
import type { BodyTemplate } from './domain/BodySnapshot';
import type { DeliveryMetrics } from './domain/DeliveryMetrics';
import type { DeliveryFailureLog } from './domain/DeliveryFailureLog';
import type { DeliveryOptions } from './domain/DeliveryOptions';
import type { DeliveryQueue } from './domain/DeliveryQueue';
import type { DispatchSignal } from './domain/DispatchSignal';
import type { IntakeLoad } from './domain/IntakeLoad';
import type { MailTransport } from './domain/MailTransport';
import type { MessageComposer } from './domain/MessageComposer';
import type { NotificationLog } from './domain/NotificationLog';
import type { Outbox } from './domain/Outbox';
import type { SendBudget } from './domain/SendBudget';
import type { RefusedSenders } from './domain/RefusedSenders';
import type { SenderRewrites } from './domain/SenderRewrites';
import type { MailHealthWarnings } from './domain/MailHealthWarnings';
import type { TransactionalOutbox } from './domain/TransactionalOutbox';

export const OUTBOX: ServiceIdentifier<Outbox> = Symbol.for('notification.Outbox');
export const MAIL_TRANSPORT: ServiceIdentifier<MailTransport> = Symbol.for('notification.MailTransport');
export const DISPATCH_SIGNAL: ServiceIdentifier<DispatchSignal> = Symbol.for('notification.DispatchSignal');
export const DELIVERY_QUEUE: ServiceIdentifier<DeliveryQueue> = Symbol.for('notification.DeliveryQueue');
export const NOTIFICATION_LOG: ServiceIdentifier<NotificationLog> = Symbol.for('notification.NotificationLog');
export const DELIVERY_OPTIONS: ServiceIdentifier<DeliveryOptions> = Symbol.for('notification.DeliveryOptions');
export const DELIVERY_FAILURE_LOG: ServiceIdentifier<DeliveryFailureLog> = Symbol.for('notification.DeliveryFailureLog');
export const INTAKE_LOAD: ServiceIdentifier<IntakeLoad> = Symbol.for('notification.IntakeLoad');
export const REFUSED_SENDERS: ServiceIdentifier<RefusedSenders> = Symbol.for('notification.RefusedSenders');
export const SENDER_REWRITES: ServiceIdentifier<SenderRewrites> = Symbol.for('notification.SenderRewrites');
/** Every source of mail health warnings (multi-bound; none bound is no warnings). */
export const MAIL_HEALTH_WARNINGS: ServiceIdentifier<MailHealthWarnings> = Symbol.for('notification.MailHealthWarnings');
export const DELIVERY_METRICS: ServiceIdentifier<DeliveryMetrics> = Symbol.for('notification.DeliveryMetrics');
export const MESSAGE_COMPOSER: ServiceIdentifier<MessageComposer> = Symbol.for('notification.MessageComposer');
export const SEND_BUDGET: ServiceIdentifier<SendBudget> = Symbol.for('notification.SendBudget');
export const TRANSACTIONAL_OUTBOX: ServiceIdentifier<TransactionalOutbox> = Symbol.for('notification.TransactionalOutbox');
/** The templates of stored body snapshots (multi-bound, one per template name). */
export const BODY_TEMPLATES: ServiceIdentifier<BodyTemplate> = Symbol.for('notification.BodyTemplate');
