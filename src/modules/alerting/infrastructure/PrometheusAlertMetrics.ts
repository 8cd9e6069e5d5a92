import { inject, injectable } from 'inversify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Config } from '../../../shared/config/Config';
import { CONFIG, METRICS } from '../../../shared/tokens';
import type { AlertMetrics } from '../domain/AlertMetrics';
import type { AlertRunStore } from '../domain/AlertRunStore';
import { startOfDayIn } from '../domain/CalendarDate';
import { ALERT_RUN_STORE } from '../tokens';

/** Alert runs' metrics on the container's Prometheus registry. */
@injectable()
export class PrometheusAlertMetrics implements AlertMetrics {
  readonly runDuration: Histogram<'trigger'>;
  readonly runs: Counter<'trigger' | 'status'>;
  readonly digestsQueued: Counter;

  constructor(@inject(METRICS) registry: Registry, @inject(ALERT_RUN_STORE) runs: AlertRunStore, @inject(CONFIG) config: Config) {
    this.runDuration = new Histogram({
      name: 'kos_alert_run_duration_seconds',
      help: 'Duration of alert runs by trigger',
      labelNames: ['trigger'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    });
    this.runs = new Counter({
      name: 'kos_alert_runs_total',
      help: 'Alert runs by trigger and outcome',
      labelNames: ['trigger', 'status'],
      registers: [registry],
    });
    this.digestsQueued = new Counter({ name: 'kos_alert_digests_queued_total', help: 'Digests queued in the outbox by alert runs', registers: [registry] });
    // Read from the run records at scrape time, so that every instance reports the runs of all.
    new Gauge({
      name: 'kos_alert_run_last_success_timestamp_seconds',
      help: 'When the latest completed alert run (of any instance) finished, unix time; 0 before the first',
      registers: [registry],
      async collect() {
        const success = await runs.lastSuccess();
        this.set(success ? success.finishedAt.getTime() / 1000 : 0);
      },
    });
    new Gauge({
      name: 'kos_alert_run_last_success_day_timestamp_seconds',
      help: 'Start (00:00 in ALERT_TIMEZONE) of the latest day with a completed alert run, unix time; 0 before the first',
      registers: [registry],
      async collect() {
        const success = await runs.lastSuccess();
        this.set(success ? startOfDayIn(success.date, config.alertTimezone).getTime() / 1000 : 0);
      },
    });
  }
}
