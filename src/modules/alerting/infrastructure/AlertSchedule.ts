import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import type { BackgroundService } from '../../../shared/lifecycle/BackgroundService';
import type { Logger } from '../../../shared/logging/logger';
import type { Clock, ScheduledJob } from '../../../shared/time/Clock';
import { CLOCK, CONFIG, LOGGER } from '../../../shared/tokens';
import { AlertRunner } from '../application/AlertRunner';

const TAKE_OVER_CHECK_MS = 30_000;

/** Runs the alert run at ALERT_CRON in ALERT_TIMEZONE, catches up a missed day, takes over dead runners. */
@injectable()
export class AlertSchedule implements BackgroundService {
  readonly name = 'alert-schedule';
  private job: ScheduledJob | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    @inject(AlertRunner) private readonly runner: AlertRunner,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(CONFIG) private readonly config: Pick<Config, 'alertCron' | 'alertTimezone'>,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.job = this.clock.schedule(this.config.alertCron, this.config.alertTimezone, (scheduledAt) => {
      this.runner.fire(scheduledAt).catch((error: unknown) => this.log.error({ err: error, scheduledAt }, 'could not start the scheduled alert run'));
    });
    this.watchdog = setInterval(() => {
      this.runner.takeOverAbandoned().catch((error: unknown) => this.log.error({ err: error }, 'could not check for abandoned alert runs'));
    }, TAKE_OVER_CHECK_MS).unref();
    // The service is up before a catch-up run starts; its work goes on in the background.
    await this.runner.catchUp().catch((error: unknown) => this.log.error({ err: error }, 'could not catch up the alert run'));
  }

  async stop(): Promise<void> {
    this.job?.stop();
    if (this.watchdog) clearInterval(this.watchdog);
    await this.runner.stop();
  }
}
