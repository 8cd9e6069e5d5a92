import { describe, expect, it } from 'vitest';
import { TenantSettingsCache, type TenantSettings } from '../../../../src/modules/notification/application/dispatch/TenantSettingsCache';
import type { MailHostDirectory, SmtpEndpoint } from '../../../../src/modules/tenant/domain/MailHostDirectory';
import type { Tenant } from '../../../../src/modules/tenant/domain/Tenant';
import type { TenantDirectory } from '../../../../src/modules/tenant/domain/TenantDirectory';

/** Tenants and endpoints in memory, counting the reads; `failMany` makes the batched read fail. */
class Directory {
  readonly endpoints = new Map<string, SmtpEndpoint>();
  reads = { one: 0, many: 0 };
  failMany = false;

  add(tenantId: string, maxPerMinute?: number): void {
    this.endpoints.set(tenantId, { tenantId, host: `mx.${tenantId}.ch`, port: 25, security: 'none', maxPerMinute, settingsVersion: 1 });
  }

  tenants(): TenantDirectory {
    const tenant = (tenantId: string) => (this.endpoints.has(tenantId) ? ({ id: tenantId } as unknown as Tenant) : undefined);
    return {
      get: async (tenantId) => (this.reads.one++, tenant(tenantId)),
      getMany: async (ids) => {
        this.reads.many++;
        if (this.failMany) throw new Error('one stored password no longer decrypts');
        return new Map(ids.flatMap((id) => (tenant(id) ? [[id, tenant(id)!] as const] : [])));
      },
      list: async () => [],
    };
  }

  hosts(): MailHostDirectory {
    return {
      endpointFor: async (tenantId) => this.endpoints.get(tenantId),
      endpointsFor: async (ids) => new Map(ids.flatMap((id) => (this.endpoints.has(id) ? [[id, this.endpoints.get(id)!] as const] : []))),
      park: async () => undefined,
      markVerified: async () => undefined,
    } as MailHostDirectory;
  }
}

function cacheOver(directory: Directory, ttlMs = 60_000) {
  const told: Array<[string, TenantSettings | undefined]> = [];
  const cache = new TenantSettingsCache(directory.tenants(), directory.hosts(), ttlMs, (tenantId, settings) => told.push([tenantId, settings]));
  return { cache, told };
}

describe('TenantSettingsCache', () => {
  it('shares one read among the sends that ask at once, and reuses it', async () => {
    const directory = new Directory();
    directory.add('a', 30);
    const { cache, told } = cacheOver(directory);
    const [first, second] = await Promise.all([cache.get('a'), cache.get('a')]);
    expect(first).toBe(second);
    await cache.get('a');
    expect(directory.reads.one).toBe(1);
    expect(told.map(([tenantId, settings]) => [tenantId, settings?.endpoint.maxPerMinute])).toEqual([['a', 30]]);
  });

  it('reads the claimed tenants in one read, and each on its own when that read fails', async () => {
    const directory = new Directory();
    for (const id of ['a', 'b', 'c']) directory.add(id);
    const { cache } = cacheOver(directory);
    void cache.preload(new Set(['a', 'b', 'c']));
    expect((await cache.get('b'))?.endpoint.host).toBe('mx.b.ch');
    expect(directory.reads).toEqual({ one: 0, many: 1 });
    directory.failMany = true;
    void cache.preload(new Set(['a', 'b', 'c']));
    expect((await cache.get('c'))?.endpoint.host).toBe('mx.c.ch');
    expect(directory.reads).toEqual({ one: 3, many: 2 });
  });

  it('drops a load that was running when the settings changed, and tells that the tenant is forgotten', async () => {
    const directory = new Directory();
    directory.add('a', 10);
    const { cache, told } = cacheOver(directory);
    const stale = cache.get('a');
    cache.forget('a');
    directory.add('a', 99);
    await stale;
    expect((await cache.get('a'))?.endpoint.maxPerMinute).toBe(99);
    expect(told.map(([, settings]) => settings?.endpoint.maxPerMinute)).toEqual([undefined, 99]);
  });

  it('tells undefined for a tenant that no longer exists', async () => {
    const { cache, told } = cacheOver(new Directory());
    expect(await cache.get('gone')).toBeUndefined();
    expect(told).toEqual([['gone', undefined]]);
  });
});
