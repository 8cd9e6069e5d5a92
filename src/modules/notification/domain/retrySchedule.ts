import type { DeliveryOptions } from './DeliveryOptions';

/**
 * When the try after `attempts` tries is due: the schedule's delay for that try, varied by ±
 * `retryJitter` so that retries of many messages spread out; undefined once the schedule is used up.
 */
export function nextTryAt(
  attempts: number,
  now: number,
  options: Pick<DeliveryOptions, 'retrySchedule' | 'retryJitter'>,
  random: () => number = Math.random,
): number | undefined {
  const delay = options.retrySchedule[attempts - 1];
  if (delay === undefined) return undefined;
  return now + Math.round(delay * (1 + options.retryJitter * (2 * random() - 1)));
}
