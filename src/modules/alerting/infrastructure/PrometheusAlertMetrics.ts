import { inject, injectable } from 'inversify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRICS } from '../../../shared/tokens';
import type { AlertMetrics } from '../domain/AlertMetrics';

/** Alert runs' metrics on the container's Prometheus registry. */
@injectable()
export class PrometheusAlertMetrics implements AlertMetrics {
  readonly runDuration: Histogram<'trigger'>;
  readonly runs: Counter<'trigger' | 'status'>;
  readonly digestsQueued: Counter;

  constructor(@inject(METRICS) registry: Registry) {
    this.runDuration = new Histogram({
      name: 'kos_alert_run_duration_seconds',
      help: 'Duration of alert runs by trigger',
      labelNames: ['trigger'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    });
    this.runs = new Counter({ name: 'kos_alert_runs_total', help: 'Alert runs by trigger and outcome', labelNames: ['trigger', 'status'], registers: [registry] });
    this.digestsQueued = new Counter({ name: 'kos_alert_digests_queued_total', help: 'Digests queued in the outbox by alert runs', registers: [registry] });
  }
}
