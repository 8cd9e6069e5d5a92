import { describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../../src/modules/alerting/domain/CalendarDate';
import { CronerClock } from '../../../src/shared/time/CronerClock';
import { FixedClock } from '../../../src/shared/time/FixedClock';

const ZURICH = 'Europe/Zurich';
const DAY = 86_400_000;

function localTime(instant: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hour12: false }).format(instant);
}

function firesOver(clock: FixedClock, pattern: string, timezone: string, days: number): Date[] {
  const fired: Date[] = [];
  const job = clock.schedule(pattern, timezone, (at) => {
    expect(clock.now().getTime()).toBe(at.getTime());
    fired.push(at);
  });
  // Move in uneven steps, as real time passes, to show the steps do not matter.
  for (let left = days * DAY; left > 0; left -= 7 * 3_600_000) clock.advance(Math.min(left, 7 * 3_600_000));
  job.stop();
  return fired;
}

describe('FixedClock schedules (croner patterns, moved by hand)', () => {
  it.each([
    ['spring', '2027-03-25T00:00:00Z', ['2027-03-25', '2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29', '2027-03-30', '2027-03-31']],
    ['autumn', '2027-10-28T00:00:00Z', ['2027-10-28', '2027-10-29', '2027-10-30', '2027-10-31', '2027-11-01', '2027-11-02', '2027-11-03']],
  ])('fires 0 3 * * * in Europe/Zurich once a day at 03:00 local across the %s DST change', (_season, start, days) => {
    const fired = firesOver(new FixedClock(start), '0 3 * * *', ZURICH, 7);
    expect(fired.map((at) => calendarDateIn(at, ZURICH))).toEqual(days);
    expect(fired.map((at) => localTime(at, ZURICH))).toEqual(days.map(() => '03:00'));
  });

  it('a time in the skipped or repeated hour (02:30) still fires exactly once on each day', () => {
    const spring = firesOver(new FixedClock('2027-03-26T00:00:00Z'), '30 2 * * *', ZURICH, 4);
    expect(spring.map((at) => calendarDateIn(at, ZURICH))).toEqual(['2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29']);
    const autumn = firesOver(new FixedClock('2027-10-29T00:00:00Z'), '30 2 * * *', ZURICH, 4);
    expect(autumn.map((at) => calendarDateIn(at, ZURICH))).toEqual(['2027-10-29', '2027-10-30', '2027-10-31', '2027-11-01']);
  });

  it('honours another pattern and zone: 6-field, weekdays only, New York', () => {
    const fired = firesOver(new FixedClock('2027-03-05T00:00:00Z'), '0 30 6 * * 1-5', 'America/New_York', 7);
    expect(fired.map((at) => `${calendarDateIn(at, 'America/New_York')} ${localTime(at, 'America/New_York')}`)).toEqual([
      '2027-03-05 06:30',
      '2027-03-08 06:30',
      '2027-03-09 06:30',
      '2027-03-10 06:30',
      '2027-03-11 06:30',
    ]);
  });

  it('jumping over several fire times fires each of them in order; a stopped job fires no more', () => {
    const clock = new FixedClock('2027-03-01T00:00:00Z');
    const fired: string[] = [];
    const job = clock.schedule('0 3 * * *', ZURICH, (at) => fired.push(calendarDateIn(at, ZURICH)));
    clock.advance(3 * DAY);
    expect(fired).toEqual(['2027-03-01', '2027-03-02', '2027-03-03']);
    job.stop();
    clock.advance(3 * DAY);
    expect(fired).toHaveLength(3);
  });

  it('latestScheduledTime is the last fire at or before now', () => {
    const clock = new FixedClock('2027-03-28T00:59:59Z');
    expect(clock.latestScheduledTime('0 3 * * *', ZURICH)?.toISOString()).toBe('2027-03-27T02:00:00.000Z');
    clock.set('2027-03-28T01:00:00Z');
    expect(clock.latestScheduledTime('0 3 * * *', ZURICH)?.toISOString()).toBe('2027-03-28T01:00:00.000Z');
  });
});

describe('CronerClock', () => {
  it('fires with the scheduled instant (whole seconds) on real timers', async () => {
    const clock = new CronerClock();
    const fired: Date[] = [];
    const job = clock.schedule('* * * * * *', 'UTC', (at) => fired.push(at));
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    job.stop();
    expect(fired.length).toBeGreaterThanOrEqual(2);
    expect(fired.every((at) => at.getMilliseconds() === 0)).toBe(true);
    expect(fired[1]!.getTime() - fired[0]!.getTime()).toBe(1_000);
    const latest = clock.latestScheduledTime('0 3 * * *', ZURICH)!;
    expect(localTime(latest, ZURICH)).toBe('03:00');
    expect(Date.now() - latest.getTime()).toBeLessThanOrEqual(DAY + 3_600_000);
  });
});
