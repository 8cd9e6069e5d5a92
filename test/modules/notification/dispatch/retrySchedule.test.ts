import { describe, expect, it } from 'vitest';
import { nextTryAt } from '../../../../src/modules/notification/domain/retrySchedule';

const options = { retrySchedule: [60_000, 300_000], retryJitter: 0.2 };

describe('nextTryAt', () => {
  it('takes the delay of the try that failed, varied by at most ± the jitter', () => {
    expect(nextTryAt(1, 1_000, options, () => 0.5)).toBe(61_000);
    expect(nextTryAt(1, 1_000, options, () => 0)).toBe(1_000 + 48_000);
    expect(nextTryAt(2, 1_000, options, () => 1)).toBe(1_000 + 360_000);
  });

  it('gives up once the schedule is used up', () => {
    expect(nextTryAt(3, 1_000, options)).toBeUndefined();
  });
});
