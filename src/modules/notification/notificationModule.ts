import { ContainerModule } from 'inversify';
import { BACKGROUND_SERVICES, HTTP_ROUTES } from '../../shared/tokens';
import { MAIL_SETTINGS_OBSERVERS, TENANT_DATA_OWNERS } from '../tenant/tokens';
import { OutboxDispatcher } from './application/OutboxDispatcher';
import { QueueNotification } from './application/QueueNotification';
import { ReadMailHealth } from './application/ReadMailHealth';
import { RetryNotification } from './application/RetryNotification';
import { SenderFallback } from './application/SenderFallback';
import { SendTestMail } from './application/SendTestMail';
import { DEFAULT_DELIVERY_OPTIONS } from './domain/DeliveryOptions';
import type { MailTransport } from './domain/MailTransport';
import { NotificationRoutes } from './http/NotificationRoutes';
import { DeliveryMetrics } from './infrastructure/DeliveryMetrics';
import { InProcessDispatchSignal } from './infrastructure/InProcessDispatchSignal';
import { KnexDeliveryFailureLog } from './infrastructure/KnexDeliveryFailureLog';
import { KnexOutbox } from './infrastructure/KnexOutbox';
import { NotificationEvents } from './infrastructure/NotificationEvents';
import { KnexRefusedSenders } from './infrastructure/KnexRefusedSenders';
import { KnexSenderRewrites } from './infrastructure/KnexSenderRewrites';
import { SmtpMailTransport } from './infrastructure/SmtpMailTransport';
import { DELIVERY_FAILURE_LOG, DELIVERY_OPTIONS, DELIVERY_QUEUE, DISPATCH_SIGNAL, INTAKE_LOAD, MAIL_TRANSPORT, NOTIFICATION_LOG, OUTBOX, REFUSED_SENDERS, SENDER_REWRITES } from './tokens';

export const notificationModule = new ContainerModule(({ bind }) => {
  bind(DELIVERY_OPTIONS).toConstantValue(DEFAULT_DELIVERY_OPTIONS);
  bind(DISPATCH_SIGNAL).to(InProcessDispatchSignal).inSingletonScope();
  bind(DeliveryMetrics).toSelf().inSingletonScope();
  bind(NotificationEvents).toSelf().inSingletonScope();
  bind(KnexOutbox).toSelf().inSingletonScope();
  bind(OUTBOX).toService(KnexOutbox);
  bind(DELIVERY_QUEUE).toService(KnexOutbox);
  bind(INTAKE_LOAD).toService(KnexOutbox);
  bind(NOTIFICATION_LOG).toService(KnexOutbox);
  bind(TENANT_DATA_OWNERS).toService(KnexOutbox);
  bind(KnexDeliveryFailureLog).toSelf().inSingletonScope();
  bind(DELIVERY_FAILURE_LOG).toService(KnexDeliveryFailureLog);
  bind(TENANT_DATA_OWNERS).toService(KnexDeliveryFailureLog);
  bind(KnexRefusedSenders).toSelf().inSingletonScope();
  bind(REFUSED_SENDERS).toService(KnexRefusedSenders);
  bind(TENANT_DATA_OWNERS).toService(KnexRefusedSenders);
  bind(SENDER_REWRITES).to(KnexSenderRewrites).inSingletonScope();
  bind(SenderFallback).toSelf().inSingletonScope();
  bind(MAIL_TRANSPORT)
    .to(SmtpMailTransport)
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
