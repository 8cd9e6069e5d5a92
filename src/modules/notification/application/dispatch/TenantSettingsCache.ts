import { ExpiringCache } from '../../../../shared/cache/ExpiringCache';
import type { MailHostDirectory, SmtpEndpoint } from '../../../tenant/domain/MailHostDirectory';
import type { Tenant } from '../../../tenant/domain/Tenant';
import type { TenantDirectory } from '../../../tenant/domain/TenantDirectory';

export interface TenantSettings {
  tenant: Tenant;
  endpoint: SmtpEndpoint;
}

/** Told the newest settings read of a tenant, or undefined once the tenant is gone or its settings are forgotten. */
export type SettingsListener = (tenantId: string, settings: TenantSettings | undefined) => void;

/**
 * The tenants' settings and endpoints as the dispatcher's sends use them, reused for `ttlMs`.
 * Sends that find a tenant's settings expired together share one read.
 */
export class TenantSettingsCache {
  private readonly cache: ExpiringCache<string, TenantSettings>;
  /** The number of each tenant's newest load: only its result reaches the listener. */
  private readonly loads = new Map<string, number>();
  private readonly loading = new Set<string>();
  private sequence = 0;

  constructor(
    private readonly tenants: TenantDirectory,
    private readonly hosts: MailHostDirectory,
    ttlMs: number,
    private readonly listener: SettingsListener,
  ) {
    this.cache = new ExpiringCache(ttlMs);
  }

  get(tenantId: string): Promise<TenantSettings | undefined> {
    return this.cache.get(tenantId, () => this.load(tenantId, this.readOne(tenantId)));
  }

  /** The tenant's settings if they are read and current; never reads. */
  peek(tenantId: string): TenantSettings | undefined {
    return this.cache.peek(tenantId);
  }

  /** Reads now, whatever is cached (before parking a message untried). */
  fresh(tenantId: string): Promise<TenantSettings | undefined> {
    return this.cache.reload(tenantId, () => this.load(tenantId, this.readOne(tenantId)));
  }

  /** Drops the tenant's settings (they changed): a load still running is no longer kept. */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
    this.loads.set(tenantId, ++this.sequence);
    this.loading.delete(tenantId);
    this.listener(tenantId, undefined);
  }

  /**
   * Reads the settings of these tenants (those not being read already) all in one read: with a
   * thousand tenants each send found its tenant's settings expired and read them on its own, two
   * reads a message in the one queue of SQLite's connection. Should that read fail (one tenant's
   * stored password no longer decrypts), each tenant is read on its own, so that only that
   * tenant's sends fail. Resolves once all are read (never rejects).
   */
  async preload(tenantIds: Set<string>): Promise<void> {
    const stale = [...tenantIds].filter((tenantId) => !this.loading.has(tenantId));
    if (stale.length < 2) return;
    const batch = this.readMany(stale);
    const loads = stale.map((tenantId) => {
      const read = batch.then(
        (settings) => settings.get(tenantId),
        () => this.readOne(tenantId),
      );
      // Its sends await it; handled here too, so that a failure no send is waiting for is not unhandled.
      return this.cache.reload(tenantId, () => this.load(tenantId, read)).catch(() => undefined);
    });
    await Promise.all(loads);
  }

  /** Keeps the read as the tenant's newest; tells the listener its result while it is still the newest. */
  private async load(tenantId: string, read: Promise<TenantSettings | undefined>): Promise<TenantSettings | undefined> {
    const number = ++this.sequence;
    this.loads.set(tenantId, number);
    this.loading.add(tenantId);
    const newest = (): boolean => this.loads.get(tenantId) === number;
    try {
      const settings = await read;
      if (newest()) this.listener(tenantId, settings);
      return settings;
    } finally {
      if (newest()) this.loading.delete(tenantId);
    }
  }

  private async readOne(tenantId: string): Promise<TenantSettings | undefined> {
    const [tenant, endpoint] = await Promise.all([this.tenants.get(tenantId), this.hosts.endpointFor(tenantId)]);
    return tenant && endpoint ? { tenant, endpoint } : undefined;
  }

  private async readMany(tenantIds: string[]): Promise<Map<string, TenantSettings | undefined>> {
    const [tenants, endpoints] = await Promise.all([this.tenants.getMany(tenantIds), this.hosts.endpointsFor(tenantIds)]);
    return new Map(
      tenantIds.map((tenantId) => {
        const tenant = tenants.get(tenantId);
        const endpoint = endpoints.get(tenantId);
        return [tenantId, tenant && endpoint ? { tenant, endpoint } : undefined];
      }),
    );
  }
}
