import { ContainerModule } from 'inversify';
import { BACKGROUND_SERVICES, HTTP_ROUTES, METRIC_SOURCES } from '../../shared/tokens';
import { TENANT_DATA_OWNERS } from '../tenant/tokens';
import { WebhookSender } from './application/WebhookSender';
import { WebhookRoutes } from './http/WebhookRoutes';
import { HttpWebhookPoster } from './infrastructure/HttpWebhookPoster';
import { KnexWebhookStore } from './infrastructure/KnexWebhookStore';
import { PrometheusWebhookMetrics } from './infrastructure/PrometheusWebhookMetrics';
import { DEFAULT_WEBHOOK_OPTIONS, EVENT_RECORDER, WEBHOOK_METRICS, WEBHOOK_OPTIONS, WEBHOOK_POSTER, WEBHOOK_QUEUE } from './tokens';

export const webhooksModule = new ContainerModule(({ bind }) => {
  bind(WEBHOOK_OPTIONS).toConstantValue(DEFAULT_WEBHOOK_OPTIONS);
  bind(KnexWebhookStore).toSelf().inSingletonScope();
  bind(EVENT_RECORDER).toService(KnexWebhookStore);
  bind(WEBHOOK_QUEUE).toService(KnexWebhookStore);
  bind(TENANT_DATA_OWNERS).toService(KnexWebhookStore);
  bind(WEBHOOK_POSTER).to(HttpWebhookPoster).inSingletonScope();
  bind(PrometheusWebhookMetrics).toSelf().inSingletonScope();
  bind(WEBHOOK_METRICS).toService(PrometheusWebhookMetrics);
  bind(METRIC_SOURCES).toService(PrometheusWebhookMetrics);
  bind(WebhookSender).toSelf().inSingletonScope();
  bind(BACKGROUND_SERVICES).toService(WebhookSender);
  bind(HTTP_ROUTES).to(WebhookRoutes).inSingletonScope();
});
