import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../src/modules/tenant/domain/AuditLog';
import type { Actor } from '../../src/shared/auth/Principal';
import { STORE_KINDS, T0, useStores } from '../support/contractStores';

const ADMIN: Actor = { id: 'admin' };

describe.each(STORE_KINDS)('AuditLog contract: %s', (_name, make) => {
  const context = useStores(make);
  let audit: AuditLog;
  beforeEach(() => {
    audit = context.stores.audit;
  });

  it('records who did what and when, with the details as given', async () => {
    const details = { changed: ['mail.host', 'mail.password'], mail: { host: 'smtp.acme.ch', port: 587 }, note: 'Grüezi' };
    await audit.record('acme', { id: 'key:key_1', name: 'KOS Produktion' }, 'tenant.updated', details);
    const [entry] = await audit.list('acme', undefined, 10);
    expect(entry).toEqual({
      id: expect.any(Number),
      tenantId: 'acme',
      at: new Date(T0),
      actor: { id: 'key:key_1', name: 'KOS Produktion' },
      action: 'tenant.updated',
      details,
    });
  });

  it('keeps an actor without a name without one', async () => {
    await audit.record('acme', ADMIN, 'tenant.created', {});
    const [entry] = await audit.list('acme', undefined, 10);
    expect(entry?.actor).toStrictEqual({ id: 'admin' });
  });

  it('lists a tenant’s entries newest first, in pages before an entry', async () => {
    for (let index = 0; index < 7; index += 1) {
      await audit.record('acme', ADMIN, `action.${index}`, { index });
      await audit.record('globex', ADMIN, 'other', {});
      context.clock.advance(index % 2 ? 0 : 1_000);
    }
    const all = await audit.list('acme', undefined, 100);
    expect(all.map((entry) => entry.action)).toEqual([6, 5, 4, 3, 2, 1, 0].map((index) => `action.${index}`));
    expect(new Set(all.map((entry) => entry.id)).size).toBe(7);
    const first = await audit.list('acme', undefined, 3);
    const second = await audit.list('acme', first[2]!.id, 3);
    const third = await audit.list('acme', second[2]!.id, 3);
    expect([...first, ...second, ...third].map((entry) => entry.action)).toEqual(all.map((entry) => entry.action));
    expect(third).toHaveLength(1);
  });

  it('deleteForTenant removes only that tenant’s entries', async () => {
    await audit.record('acme', ADMIN, 'tenant.created', {});
    await audit.record('globex', ADMIN, 'tenant.created', {});
    await audit.deleteForTenant('acme');
    expect(await audit.list('acme', undefined, 10)).toEqual([]);
    expect(await audit.list('globex', undefined, 10)).toHaveLength(1);
  });
});
