import { inject, injectable } from 'inversify';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS } from '../../../shared/tokens';
import type { WebhookMetrics } from '../domain/WebhookMetrics';
import type { WebhookQueue } from '../domain/WebhookQueue';
import { WEBHOOK_QUEUE } from '../tokens';

/** Webhook delivery in /metrics: delivered and given up (counters), waiting (gauge). */
@injectable()
export class PrometheusWebhookMetrics implements WebhookMetrics {
  readonly delivered: Counter<'type'>;
  readonly failed: Counter<'type'>;
  readonly retried: Counter<'type'>;

  constructor(@inject(METRICS) registry: Registry, @inject(WEBHOOK_QUEUE) queue: WebhookQueue) {
    const registers = [registry];
    this.delivered = new Counter({ name: 'kos_webhook_delivered_total', help: 'Events the receiver took (2xx), by type', labelNames: ['type'], registers });
    this.failed = new Counter({ name: 'kos_webhook_failed_total', help: 'Events given up after the retry schedule, by type', labelNames: ['type'], registers });
    this.retried = new Counter({
      name: 'kos_webhook_retried_total',
      help: 'POSTs that failed and were scheduled again, by type',
      labelNames: ['type'],
      registers,
    });
    new Gauge({
      name: 'kos_webhook_pending',
      help: 'Events waiting to be delivered (pending or being sent)',
      registers,
      async collect() {
        this.set(await queue.pendingCount());
      },
    });
  }
}
