import type { Clock, ScheduledJob } from './Clock';
import { latestFireAtOrBefore, nextFireAfter } from './cronPattern';

interface FakeJob {
  pattern: string;
  timezone: string;
  onFire(scheduledAt: Date): void;
  next: Date | undefined;
  stopped: boolean;
}

/**
 * A clock that stands still until a test moves it. Schedules fire, in order, at each scheduled
 * instant the clock passes while being moved; during a fire `now()` is the scheduled instant.
 */
export class FixedClock implements Clock {
  private current: number;
  private readonly jobs: FakeJob[] = [];

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.moveTo(new Date(instant).getTime());
  }

  advance(milliseconds: number): void {
    this.moveTo(this.current + milliseconds);
  }

  schedule(pattern: string, timezone: string, onFire: (scheduledAt: Date) => void): ScheduledJob {
    const job: FakeJob = { pattern, timezone, onFire, next: nextFireAfter(pattern, timezone, this.now()), stopped: false };
    this.jobs.push(job);
    return {
      stop: () => {
        job.stopped = true;
        this.jobs.splice(this.jobs.indexOf(job), 1);
      },
    };
  }

  latestScheduledTime(pattern: string, timezone: string): Date | undefined {
    return latestFireAtOrBefore(pattern, timezone, this.now());
  }

  private moveTo(target: number): void {
    for (;;) {
      const due = this.jobs.filter((job) => job.next && job.next.getTime() <= target).sort((a, b) => a.next!.getTime() - b.next!.getTime())[0];
      if (!due) break;
      const scheduledAt = due.next!;
      this.current = Math.max(this.current, scheduledAt.getTime());
      due.next = nextFireAfter(due.pattern, due.timezone, scheduledAt);
      due.onFire(scheduledAt);
    }
    this.current = target;
  }
}
