import { injectable } from 'inversify';
import type { Clock, ScheduledJob } from './Clock';
import { latestFireAtOrBefore, nextFireAfter } from './cronPattern';

// Timers wake at least this often, so a suspended host or a changed system time is noticed.
const MAX_TIMER_MS = 30_000;

/** The system clock, with schedules computed by croner and driven by timers. */
@injectable()
export class CronerClock implements Clock {
  now(): Date {
    return new Date();
  }

  schedule(pattern: string, timezone: string, onFire: (scheduledAt: Date) => void): ScheduledJob {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let next = nextFireAfter(pattern, timezone, this.now());
    const tick = (): void => {
      if (stopped || !next) return;
      const wait = next.getTime() - Date.now();
      if (wait > 0) {
        timer = setTimeout(tick, Math.min(wait, MAX_TIMER_MS));
        return;
      }
      const scheduledAt = next;
      next = nextFireAfter(pattern, timezone, scheduledAt);
      onFire(scheduledAt);
      tick();
    };
    tick();
    return {
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      },
    };
  }

  latestScheduledTime(pattern: string, timezone: string): Date | undefined {
    return latestFireAtOrBefore(pattern, timezone, this.now());
  }
}
