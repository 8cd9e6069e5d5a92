import { ContainerModule } from 'inversify';
import { KnexOutbox } from '../notification/infrastructure/KnexOutbox';
import { DISPATCH_SIGNAL } from '../notification/tokens';
import { TENANT_DATA_OWNERS } from '../tenant/tokens';
import { BACKGROUND_SERVICES, HTTP_ROUTES } from '../../shared/tokens';
import { AlertingTenantData } from './application/AlertingTenantData';
import { AlertRunner } from './application/AlertRunner';
import { ManageDeadlines } from './application/ManageDeadlines';
import { PreviewAlerts } from './application/PreviewAlerts';
import { RunDailyAlerts } from './application/RunDailyAlerts';
import { AlertRunRoutes } from './http/AlertRunRoutes';
import { DeadlineRoutes } from './http/DeadlineRoutes';
import { AlertMetrics } from './infrastructure/AlertMetrics';
import { AlertSchedule } from './infrastructure/AlertSchedule';
import { KnexAlertRunStore } from './infrastructure/KnexAlertRunStore';
import { KnexDeadlineRepository } from './infrastructure/KnexDeadlineRepository';
import { KnexDigestLog } from './infrastructure/KnexDigestLog';
import { ALERT_RUN_STORE, DEADLINE_REPOSITORY, DIGEST_LOG } from './tokens';

export const alertingModule = new ContainerModule(({ bind, isBound }) => {
  bind(DEADLINE_REPOSITORY).to(KnexDeadlineRepository).inSingletonScope();
  bind(DIGEST_LOG).to(KnexDigestLog).inSingletonScope();
  bind(ALERT_RUN_STORE).to(KnexAlertRunStore).inSingletonScope();
  // Digests are written into the outbox inside the digest's own transaction, so the alerting
  // module needs the Knex outbox itself; the notification module (loaded first) may already bind it.
  if (isBound(DISPATCH_SIGNAL) && !isBound(KnexOutbox)) bind(KnexOutbox).toSelf().inSingletonScope();
  bind(AlertMetrics).toSelf().inSingletonScope();
  bind(RunDailyAlerts).toSelf().inSingletonScope();
  bind(PreviewAlerts).toSelf().inSingletonScope();
  bind(ManageDeadlines).toSelf().inSingletonScope();
  bind(AlertRunner).toSelf().inSingletonScope();
  bind(AlertSchedule).toSelf().inSingletonScope();
  bind(BACKGROUND_SERVICES).toService(AlertSchedule);
  bind(HTTP_ROUTES).to(DeadlineRoutes).inSingletonScope();
  bind(HTTP_ROUTES).to(AlertRunRoutes).inSingletonScope();
  bind(TENANT_DATA_OWNERS).to(AlertingTenantData).inSingletonScope();
});
