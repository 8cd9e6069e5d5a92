import { describe, expect, it } from 'vitest';
import { SendGrants } from '../../../../src/modules/notification/application/dispatch/SendGrants';
import { sendLimitsOf, type SendBudget, type SendGrant, type SendLimit } from '../../../../src/modules/notification/domain/SendBudget';
import { InMemorySendBudget } from '../../../../src/modules/notification/infrastructure/InMemorySendBudget';

/** The in-memory budget, with the takes it was asked for written down. */
class CountingBudget implements SendBudget {
  readonly takes: number[] = [];
  private readonly inner = new InMemorySendBudget();

  take(limits: readonly SendLimit[], wanted: number, at: Date): Promise<SendGrant> {
    this.takes.push(wanted);
    return this.inner.take(limits, wanted, at);
  }
}

const limited: SendLimit[] = [{ key: 'tenant:a', perMinute: 20 }];

describe('SendGrants', () => {
  it('grants concurrent sends in batches, no more than the limit, and tells the rest when to come back', async () => {
    let now = 1_000_000;
    const budget = new CountingBudget();
    const grants = new SendGrants(budget, () => now);
    const answers = await Promise.all(Array.from({ length: 50 }, () => grants.request(limited)));
    expect(answers.filter((answer) => answer === undefined)).toHaveLength(20);
    expect(answers.filter((answer) => answer === now + 60_000)).toHaveLength(30);
    // The first send asks alone; all that came while it ran share the second take.
    expect(budget.takes).toEqual([1, 49]);
    // Full until the window has room: not asked again before then.
    now += 59_999;
    expect(await grants.request(limited)).toBe(1_060_000);
    expect(budget.takes).toHaveLength(2);
    now += 1;
    expect(await grants.request(limited)).toBeUndefined();
  });

  it('asks nothing for a send without limits', async () => {
    const budget = new CountingBudget();
    expect(await new SendGrants(budget, () => 0).request([])).toBeUndefined();
    expect(budget.takes).toEqual([]);
  });

  it('passes a failed take on to the sends that waited for it, and asks again for the next', async () => {
    let failing = true;
    const budget: SendBudget = { take: async (_limits, wanted) => (failing ? Promise.reject(new Error('database gone')) : { granted: wanted }) };
    const grants = new SendGrants(budget, () => 0);
    await expect(grants.request(limited)).rejects.toThrow('database gone');
    failing = false;
    expect(await grants.request(limited)).toBeUndefined();
  });
});

describe('sendLimitsOf', () => {
  it("counts a send against its tenant's maxPerMinute and, for a hosted tenant, the hosted mailbox's", () => {
    expect(sendLimitsOf({ tenantId: 'a' })).toEqual([]);
    expect(sendLimitsOf({ tenantId: 'a', maxPerMinute: 20 })).toEqual([{ key: 'tenant:a', perMinute: 20 }]);
    expect(sendLimitsOf({ tenantId: 'h', hostedMaxPerMinute: 60 })).toEqual([{ key: 'hosted', perMinute: 60 }]);
    expect(sendLimitsOf({ tenantId: 'h', maxPerMinute: 5, hostedMaxPerMinute: 60 })).toEqual([
      { key: 'tenant:h', perMinute: 5 },
      { key: 'hosted', perMinute: 60 },
    ]);
  });
});
