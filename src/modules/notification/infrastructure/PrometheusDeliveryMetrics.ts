import { inject, injectable } from 'inversify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS } from '../../../shared/tokens';
import type { DeliveryMetrics, QueueStats } from '../domain/DeliveryMetrics';

/** The delivery engine's Prometheus metrics, on the container's registry. */
@injectable()
export class PrometheusDeliveryMetrics implements DeliveryMetrics {
  readonly queued: Counter<'tenant' | 'kind'>;
  readonly sent: Counter<'tenant' | 'kind'>;
  readonly failed: Counter<'tenant' | 'kind' | 'category'>;
  readonly retried: Counter<'tenant' | 'kind' | 'category'>;
  readonly parked: Counter<'tenant' | 'kind'>;
  readonly setAside: Counter<'tenant' | 'kind'>;
  readonly sendSeconds: Histogram<'outcome'>;
  private stats?: QueueStats;

  constructor(@inject(METRICS) registry: Registry) {
    const registers = [registry];
    this.queued = new Counter({
      name: 'kos_mail_queued_total',
      help: 'Messages stored in the outbox, by tenant and kind',
      labelNames: ['tenant', 'kind'],
      registers,
    });
    this.sent = new Counter({
      name: 'kos_mail_sent_total',
      help: 'Messages the tenant host accepted, by tenant and kind',
      labelNames: ['tenant', 'kind'],
      registers,
    });
    this.failed = new Counter({
      name: 'kos_mail_failed_total',
      help: 'Messages failed for good, by tenant, kind and cause',
      labelNames: ['tenant', 'kind', 'category'],
      registers,
    });
    this.retried = new Counter({
      name: 'kos_mail_retried_total',
      help: 'Tries that failed temporarily and were scheduled again',
      labelNames: ['tenant', 'kind', 'category'],
      registers,
    });
    this.parked = new Counter({
      name: 'kos_mail_parked_total',
      help: 'Messages parked after the host refused the login',
      labelNames: ['tenant', 'kind'],
      registers,
    });
    this.setAside = new Counter({
      name: 'kos_mail_set_aside_total',
      help: 'Messages set aside as failed after their sends were interrupted (the process stopped) too often',
      labelNames: ['tenant', 'kind'],
      registers,
    });
    this.sendSeconds = new Histogram({
      name: 'kos_mail_send_duration_seconds',
      help: 'Time to hand one message to the tenant host, by outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const metrics = this;
    new Gauge({
      name: 'kos_mail_queue_depth',
      help: 'Messages in the outbox by status (queued, sending, parked)',
      labelNames: ['status'],
      registers,
      async collect() {
        const stats = await metrics.stats?.();
        for (const status of ['queued', 'sending', 'parked']) this.set({ status }, stats?.byStatus[status] ?? 0);
      },
    });
    new Gauge({
      name: 'kos_mail_oldest_queued_age_seconds',
      help: 'Age of the oldest queued message (0 when none waits)',
      registers,
      async collect() {
        const stats = await metrics.stats?.();
        this.set(stats?.oldestQueuedAt ? Math.max(0, (Date.now() - stats.oldestQueuedAt.getTime()) / 1000) : 0);
      },
    });
  }

  /** Where the queue gauges read from when scraped. */
  observeQueue(stats: QueueStats): void {
    this.stats = stats;
  }
}
