import { ContainerModule } from 'inversify';
import { BACKGROUND_SERVICES, CONFIG, DATABASE, HTTP_ROUTES } from '../../shared/tokens';
import { MAIL_SETTINGS_OBSERVERS, TENANT_DATA_OWNERS } from '../tenant/tokens';
import { OutboxDispatcher } from './application/OutboxDispatcher';
import { QueueNotification } from './application/QueueNotification';
import { ClientSecretWarnings } from './application/ClientSecretWarnings';
import { RefusedSenderWarnings } from './application/RefusedSenderWarnings';
import { ReadMailHealth } from './application/ReadMailHealth';
import { RetryNotification } from './application/RetryNotification';
import { SenderFallback } from './application/SenderFallback';
import { SendTestMail } from './application/SendTestMail';
import { DEFAULT_DELIVERY_OPTIONS } from './domain/DeliveryOptions';
import type { MailTransport } from './domain/MailTransport';
import { NotificationRoutes } from './http/NotificationRoutes';
import { InProcessDispatchSignal } from './infrastructure/InProcessDispatchSignal';
import { KnexDeliveryFailureLog } from './infrastructure/KnexDeliveryFailureLog';
import { KnexDeliveryQueue } from './infrastructure/KnexDeliveryQueue';
import { KnexNotificationLog } from './infrastructure/KnexNotificationLog';
import { KnexOutbox } from './infrastructure/KnexOutbox';
import { GraphMailTransport } from './infrastructure/GraphMailTransport';
import { RoutingMailTransport } from './infrastructure/RoutingMailTransport';
import { KnexSendBudget } from './infrastructure/KnexSendBudget';
import { KnexRefusedSenders } from './infrastructure/KnexRefusedSenders';
import { KnexSenderRewrites } from './infrastructure/KnexSenderRewrites';
import { NotificationEvents } from './infrastructure/NotificationEvents';
import { MimeMessageComposer } from './infrastructure/MimeMessageComposer';
import { OUTBOX_DIALECT, outboxDialectFor } from './infrastructure/outbox/OutboxDialect';
import { PrometheusDeliveryMetrics } from './infrastructure/PrometheusDeliveryMetrics';
import { SmtpMailTransport } from './infrastructure/SmtpMailTransport';
import {
  DELIVERY_FAILURE_LOG,
  DELIVERY_METRICS,
  DELIVERY_OPTIONS,
  DELIVERY_QUEUE,
  DISPATCH_SIGNAL,
  INTAKE_LOAD,
  MAIL_HEALTH_WARNINGS,
  MAIL_TRANSPORT,
  MESSAGE_COMPOSER,
  NOTIFICATION_LOG,
  OUTBOX,
  REFUSED_SENDERS,
  SEND_BUDGET,
  SENDER_REWRITES,
  TRANSACTIONAL_OUTBOX,
} from './tokens';

export const notificationModule = new ContainerModule(({ bind }) => {
  bind(DELIVERY_OPTIONS).toDynamicValue((context) => ({ ...DEFAULT_DELIVERY_OPTIONS, retrySchedule: context.get(CONFIG).retrySchedule }));
  bind(DISPATCH_SIGNAL).to(InProcessDispatchSignal).inSingletonScope();
  bind(PrometheusDeliveryMetrics).toSelf().inSingletonScope();
  bind(DELIVERY_METRICS).toService(PrometheusDeliveryMetrics);
  bind(MESSAGE_COMPOSER).to(MimeMessageComposer).inSingletonScope();
  bind(OUTBOX_DIALECT)
    .toDynamicValue((context) => outboxDialectFor(context.get(DATABASE)))
    .inSingletonScope();
  bind(NotificationEvents).toSelf().inSingletonScope();
  bind(KnexOutbox).toSelf().inSingletonScope();
  bind(OUTBOX).toService(KnexOutbox);
  bind(INTAKE_LOAD).toService(KnexOutbox);
  bind(TRANSACTIONAL_OUTBOX).toService(KnexOutbox);
  bind(DELIVERY_QUEUE).to(KnexDeliveryQueue).inSingletonScope();
  bind(KnexNotificationLog).toSelf().inSingletonScope();
  bind(NOTIFICATION_LOG).toService(KnexNotificationLog);
  bind(TENANT_DATA_OWNERS).toService(KnexNotificationLog);
  bind(KnexDeliveryFailureLog).toSelf().inSingletonScope();
  bind(DELIVERY_FAILURE_LOG).toService(KnexDeliveryFailureLog);
  bind(TENANT_DATA_OWNERS).toService(KnexDeliveryFailureLog);
  bind(SmtpMailTransport).toSelf().inSingletonScope();
  bind(GraphMailTransport).toSelf().inSingletonScope();
  bind(SEND_BUDGET).to(KnexSendBudget).inSingletonScope();
  bind(KnexRefusedSenders).toSelf().inSingletonScope();
  bind(REFUSED_SENDERS).toService(KnexRefusedSenders);
  bind(TENANT_DATA_OWNERS).toService(KnexRefusedSenders);
  bind(SENDER_REWRITES).to(KnexSenderRewrites).inSingletonScope();
  bind(MAIL_HEALTH_WARNINGS).to(ClientSecretWarnings).inSingletonScope();
  bind(MAIL_HEALTH_WARNINGS).to(RefusedSenderWarnings).inSingletonScope();
  bind(SenderFallback).toSelf().inSingletonScope();
  bind(MAIL_TRANSPORT)
    .to(RoutingMailTransport)
    .inSingletonScope()
    .onDeactivation((transport: MailTransport) => transport.close());
  bind(OutboxDispatcher).toSelf().inSingletonScope();
  bind(BACKGROUND_SERVICES).toService(OutboxDispatcher);
  bind(MAIL_SETTINGS_OBSERVERS).toService(OutboxDispatcher);
  bind(QueueNotification).toSelf().inSingletonScope();
  bind(MAIL_SETTINGS_OBSERVERS).toService(QueueNotification);
  bind(TENANT_DATA_OWNERS).toService(QueueNotification);
  bind(SendTestMail).toSelf().inSingletonScope();
  bind(RetryNotification).toSelf().inSingletonScope();
  bind(ReadMailHealth).toSelf().inSingletonScope();
  bind(HTTP_ROUTES).to(NotificationRoutes).inSingletonScope();
});
