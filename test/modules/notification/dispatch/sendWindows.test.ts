import { describe, expect, it } from 'vitest';
import { SendGrants } from '../../../../src/modules/notification/application/dispatch/SendGrants';
import { SendWindows } from '../../../../src/modules/notification/application/dispatch/SendWindows';
import type { SendBudget, SendLimit } from '../../../../src/modules/notification/domain/SendBudget';
import { InMemorySendBudget } from '../../../../src/modules/notification/infrastructure/InMemorySendBudget';

const tenant = (perMinute: number): SendLimit[] => [{ key: 'tenant:t', perMinute }];

/** Windows of one process over a budget it may share with others; the clock moved by the test. */
function windowsOver(budget: SendBudget = new InMemorySendBudget()): { windows: SendWindows; at: (ms: number) => number } {
  let now = 0;
  return { windows: new SendWindows(new SendGrants(budget, () => now)), at: (ms) => (now = ms) };
}

describe('SendWindows', () => {
  it('admits maxPerMinute sends a minute and tells when the oldest leaves the window', async () => {
    const { windows, at } = windowsOver();
    expect(await windows.admit(tenant(2), at(1_000))).toBeUndefined();
    expect(await windows.admit(tenant(2), at(2_000))).toBeUndefined();
    expect(await windows.admit(tenant(2), at(3_000))).toBe(61_000);
    expect(await windows.admit(tenant(2), at(61_001))).toBeUndefined();
  });

  it('admits every send of a tenant without a limit', async () => {
    const { windows, at } = windowsOver();
    for (let i = 0; i < 1_000; i++) expect(await windows.admit([], at(i))).toBeUndefined();
  });

  it("counts the sends of other instances: what they took is not this process's to take", async () => {
    const shared = new InMemorySendBudget();
    const one = windowsOver(shared);
    const other = windowsOver(shared);
    for (let i = 0; i < 3; i++) expect(await one.windows.admit(tenant(3), one.at(i))).toBeUndefined();
    expect(await other.windows.admit(tenant(3), other.at(10))).toBe(60_000);
    // Found full: no room reported for the tenant until then.
    other.windows.setLimits('t', tenant(3));
    expect([...other.windows.room(20)]).toEqual([{ tenantId: 't', left: 0, freesAt: 60_000 }]);
    expect(await other.windows.admit(tenant(3), other.at(60_000))).toBeUndefined();
  });

  it('reports a hosted tenant full when either its own limit or the shared mailbox is, free when the one that filled it leaves', async () => {
    const { windows, at } = windowsOver();
    const limits: SendLimit[] = [
      { key: 'tenant:h', perMinute: 5 },
      { key: 'hosted', perMinute: 2 },
    ];
    windows.setLimits('h', limits);
    expect(await windows.admit(limits, at(0))).toBeUndefined();
    expect(await windows.admit(limits, at(30_000))).toBeUndefined();
    expect([...windows.room(40_000)]).toEqual([{ tenantId: 'h', left: 0, freesAt: 60_000 }]);
    expect(await windows.admit(limits, at(40_000))).toBe(60_000);
    expect(await windows.admit(limits, at(60_000))).toBeUndefined();
  });

  it('reports the room of the tenants with limits only, and forgets them', async () => {
    const { windows, at } = windowsOver();
    windows.setLimits('t', tenant(3));
    windows.setLimits('free', []);
    await windows.admit(tenant(3), at(0));
    expect([...windows.room(10)]).toEqual([{ tenantId: 't', left: 2, freesAt: 60_000 }]);
    expect([...windows.room(60_000)]).toEqual([{ tenantId: 't', left: 3 }]);
    windows.setLimits('t', undefined);
    expect([...windows.room(10)]).toEqual([]);
  });
});
