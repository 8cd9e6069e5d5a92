import type { SendGrant, SendLimit } from './SendBudget';

export const SEND_WINDOW_MS = 60_000;

/** Sends granted under one key at one instant. */
export interface GrantEntry {
  at: number;
  count: number;
}

/**
 * How many of `wanted` sends fit at `at` under every limit, given each key's grants of the last
 * 60 s (oldest first), and when the next one fits if not all do. A grant at `g` counts until
 * `g + 60 s`, so no 60 s span holds more than `perMinute` grants of a key.
 */
export function grantWithin(limits: readonly SendLimit[], recent: ReadonlyMap<string, readonly GrantEntry[]>, wanted: number, at: number): SendGrant {
  let granted = wanted;
  for (const limit of limits) granted = Math.min(granted, Math.max(0, limit.perMinute - inWindow(recent.get(limit.key) ?? [], at)));
  if (granted >= wanted) return { granted };
  let retryAt = at;
  for (const limit of limits) {
    const entries = [...(recent.get(limit.key) ?? []).filter((entry) => entry.at > at - SEND_WINDOW_MS), ...(granted > 0 ? [{ at, count: granted }] : [])];
    retryAt = Math.max(retryAt, roomFor(entries, limit.perMinute));
  }
  return { granted, retryAt: new Date(retryAt) };
}

function inWindow(entries: readonly GrantEntry[], at: number): number {
  return entries.reduce((sum, entry) => (entry.at > at - SEND_WINDOW_MS ? sum + entry.count : sum), 0);
}

/** The instant the oldest grants have left the window far enough for one more send. */
function roomFor(entries: readonly GrantEntry[], perMinute: number): number {
  let held = entries.reduce((sum, entry) => sum + entry.count, 0);
  for (const entry of [...entries].sort((a, b) => a.at - b.at)) {
    if (held < perMinute) break;
    held -= entry.count;
    if (held < perMinute) return entry.at + SEND_WINDOW_MS;
  }
  return 0;
}
