import { beforeEach, describe, expect, it } from 'vitest';
import type { SendBudget, SendLimit } from '../../src/modules/notification/domain/SendBudget';
import { STORE_KINDS, useStores } from '../support/contractStores';

const T0 = Date.parse('2027-03-01T08:00:00Z');
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);
const tenant = (id: string, perMinute: number): SendLimit => ({ key: `tenant:${id}`, perMinute });

describe.each(STORE_KINDS)('SendBudget contract: %s', (_name, make) => {
  const context = useStores(make);
  let budgets: SendBudget[];
  let budget: SendBudget;
  beforeEach(() => {
    budgets = context.stores.sendBudgets;
    budget = budgets[0]!;
  });

  it('grants up to the limit, then says when the window has room again', async () => {
    expect(await budget.take([tenant('a', 5)], 3, at(0))).toEqual({ granted: 3 });
    expect(await budget.take([tenant('a', 5)], 3, at(10))).toEqual({ granted: 2, retryAt: at(60) });
    expect(await budget.take([tenant('a', 5)], 1, at(59.999))).toEqual({ granted: 0, retryAt: at(60) });
    // The window slides: the three of second 0 leave it at second 60, the two of second 10 at 70.
    expect(await budget.take([tenant('a', 5)], 5, at(60))).toEqual({ granted: 3, retryAt: at(70) });
    expect(await budget.take([tenant('a', 5)], 5, at(70))).toEqual({ granted: 2, retryAt: at(120) });
  });

  it('counts each key on its own; a send under several limits needs room under all', async () => {
    const hosted: SendLimit = { key: 'hosted', perMinute: 4 };
    expect(await budget.take([tenant('a', 3), hosted], 5, at(0))).toEqual({ granted: 3, retryAt: at(60) });
    expect(await budget.take([tenant('b', 10), hosted], 5, at(1))).toEqual({ granted: 1, retryAt: at(60) });
    expect(await budget.take([tenant('b', 10), hosted], 1, at(2))).toEqual({ granted: 0, retryAt: at(60) });
    // Tenant b's own limit still has room outside the hosted mailbox.
    expect(await budget.take([tenant('b', 10)], 20, at(3))).toEqual({ granted: 9, retryAt: at(61) });
    expect(await budget.take([tenant('c', 1)], 1, at(3))).toEqual({ granted: 1 });
  });

  it('grants nothing beyond the limit to many takers at once, and all of it over time', async () => {
    const limit = tenant('busy', 20);
    const granted = async (seconds: number): Promise<number> => {
      const grants = await Promise.all(Array.from({ length: 30 }, (_, i) => budgets[i % budgets.length]!.take([limit], 1 + (i % 3), at(seconds))));
      return grants.reduce((sum, grant) => sum + grant.granted, 0);
    };
    expect(await granted(0)).toBe(20);
    expect(await granted(30)).toBe(0);
    expect(await granted(60)).toBe(20);
  });

  it('asks nothing of a take without limits', async () => {
    expect(await budget.take([], 7, at(0))).toEqual({ granted: 7 });
  });
});
