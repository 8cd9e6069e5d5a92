import { describe, expect, it } from 'vitest';
import { calendarDateIn, startOfDayIn } from '../../../src/modules/alerting/domain/CalendarDate';

describe('startOfDayIn', () => {
  it.each([
    ['2026-12-03', 'Europe/Zurich', '2026-12-02T23:00:00.000Z'],
    ['2026-07-01', 'Europe/Zurich', '2026-06-30T22:00:00.000Z'],
    // The days daylight saving time starts and ends: both begin at midnight of the old offset.
    ['2026-03-29', 'Europe/Zurich', '2026-03-28T23:00:00.000Z'],
    ['2026-10-25', 'Europe/Zurich', '2026-10-24T22:00:00.000Z'],
    ['2026-03-30', 'Europe/Zurich', '2026-03-29T22:00:00.000Z'],
    ['2026-12-03', 'UTC', '2026-12-03T00:00:00.000Z'],
    ['2026-12-03', 'America/New_York', '2026-12-03T05:00:00.000Z'],
    ['2026-12-03', 'Asia/Kolkata', '2026-12-02T18:30:00.000Z'],
  ])('%s in %s begins at %s', (date, zone, expected) => {
    const start = startOfDayIn(date, zone);
    expect(start.toISOString()).toBe(expected);
    expect(calendarDateIn(start, zone)).toBe(date);
    expect(calendarDateIn(new Date(start.getTime() - 1), zone)).not.toBe(date);
  });
});
