import { Cron } from 'croner';

// Croner does the calendar arithmetic (time zones, DST gaps and repeats); the clocks only use it
// to compute instants, so the real and the fake clock share one definition of "when".
function parse(pattern: string, timezone: string): Cron {
  return new Cron(pattern, { timezone, paused: true, mode: '5-or-6-parts' });
}

/** The first instant strictly after `after` at which the pattern matches in the zone. */
export function nextFireAfter(pattern: string, timezone: string, after: Date): Date | undefined {
  return parse(pattern, timezone).nextRun(after) ?? undefined;
}

/** The latest instant at or before `at` at which the pattern matches in the zone. */
export function latestFireAtOrBefore(pattern: string, timezone: string, at: Date): Date | undefined {
  // previousRuns looks strictly before the reference; one millisecond later makes `at` itself count.
  return parse(pattern, timezone).previousRuns(1, new Date(at.getTime() + 1))[0];
}
