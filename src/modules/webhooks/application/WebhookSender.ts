import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import type { BackgroundService } from '../../../shared/lifecycle/BackgroundService';
import type { Logger } from '../../../shared/logging/logger';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, CONFIG, LOGGER } from '../../../shared/tokens';
import { webhookHeaders } from '../domain/signWebhook';
import type { WebhookDelivery } from '../domain/WebhookEvent';
import type { WebhookMetrics } from '../domain/WebhookMetrics';
import type { WebhookPoster } from '../domain/WebhookPoster';
import type { WebhookQueue } from '../domain/WebhookQueue';
import { WEBHOOK_METRICS, WEBHOOK_OPTIONS, WEBHOOK_POSTER, WEBHOOK_QUEUE, type WebhookOptions } from '../tokens';

/** How long shutdown waits for POSTs under way. */
const STOP_GRACE_MS = 2_000;

/**
 * Delivers the stored events to WEBHOOK_URL, at least once: claims due events with a lease, POSTs
 * a few at a time, retries on RETRY_SCHEDULE, then gives up. A loop of its own with its own
 * connections, so that a slow or dead receiver never holds up mail delivery.
 *
 * While the receiver fails (no answer, refused, not 2xx) one event at a time probes it, the waits
 * between probes doubling up to maxBackoffMs: the other events stay untouched in the table (no
 * claims, no writes, no tries used up) instead of each being claimed, POSTed and rescheduled.
 */
@injectable()
export class WebhookSender implements BackgroundService {
  readonly name = 'webhook-sender';
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  private wake?: () => void;
  /** Failed POSTs since the receiver last took one. */
  private failures = 0;
  private resumeAt = 0;

  constructor(
    @inject(WEBHOOK_QUEUE) private readonly queue: WebhookQueue,
    @inject(WEBHOOK_POSTER) private readonly poster: WebhookPoster,
    @inject(WEBHOOK_METRICS) private readonly metrics: WebhookMetrics,
    @inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    @inject(CONFIG) private readonly config: Pick<Config, 'webhookUrl' | 'webhookSecret' | 'retrySchedule'>,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.running || !this.config.webhookUrl || !this.config.webhookSecret) return;
    const recovered = await this.queue.recoverAbandoned(this.clock.now());
    if (recovered > 0) this.log.warn({ recovered }, 'webhook events that were being sent when the service last stopped are due again');
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops claiming and gives the POSTs under way a moment: a receiver that hangs must not hold up
   * shutdown. An event whose outcome is not recorded is sent again later (at least once).
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const backingOff = this.resumeAt - Date.now();
      if (backingOff > 0) {
        await this.pause(backingOff);
        continue;
      }
      const room = (this.failures > 0 ? 1 : this.options.concurrency) - this.inFlight.size;
      let claimed: WebhookDelivery[] = [];
      if (room > 0) {
        try {
          claimed = await this.queue.claim(this.owner, room, this.options.leaseMs, this.clock.now());
        } catch (error) {
          this.log.error({ err: error }, 'claiming webhook events failed');
        }
      }
      for (const delivery of claimed) {
        const sending: Promise<void> = this.deliver(delivery)
          .catch((error: unknown) =>
            this.log.error({ err: error, id: delivery.id }, 'recording a webhook outcome failed; the lease will expire and the event be sent again'),
          )
          .finally(() => {
            this.inFlight.delete(sending);
            this.wake?.();
          });
        this.inFlight.add(sending);
      }
      // A full claim may have left more behind; otherwise wait for a free slot or the next poll.
      if (claimed.length === 0 || claimed.length < room) await this.pause(this.options.pollIntervalMs);
      else if (this.inFlight.size >= this.options.concurrency) await this.pause(this.options.pollIntervalMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const headers = webhookHeaders(this.config.webhookSecret!, delivery.id, timestamp, delivery.body);
    const outcome = await this.poster.post(this.config.webhookUrl!, headers, delivery.body);
    this.noteReceiver(outcome.ok);
    if (outcome.ok) {
      await this.queue.markDelivered(delivery.id, this.owner, this.clock.now());
      this.metrics.delivered.inc({ type: delivery.type });
      return;
    }
    const delay = this.config.retrySchedule[delivery.attempts - 1];
    const at = delay === undefined ? undefined : new Date(this.clock.now().getTime() + delay);
    const lastError = at ? outcome.error : `gave up after ${delivery.attempts} tries: ${outcome.error}`;
    await this.queue.markUndelivered(delivery.id, this.owner, lastError, at);
    if (at) this.metrics.retried.inc({ type: delivery.type });
    else this.metrics.failed.inc({ type: delivery.type });
    this.log.warn(
      { id: delivery.id, type: delivery.type, attempt: delivery.attempts, error: outcome.error, retryAt: at?.toISOString() },
      'webhook delivery failed',
    );
  }

  private noteReceiver(ok: boolean): void {
    if (ok) {
      this.failures = 0;
      this.resumeAt = 0;
      return;
    }
    // The POSTs that were in flight together fail together: they count as one probe.
    if (Date.now() < this.resumeAt) return;
    this.failures++;
    this.resumeAt = Date.now() + Math.min(this.options.pollIntervalMs * 2 ** Math.min(this.failures - 1, 20), this.options.maxBackoffMs);
  }
}
