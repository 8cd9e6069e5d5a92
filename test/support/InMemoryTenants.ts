import type { Container } from 'inversify';
import type { MailHostDirectory, SmtpEndpoint } from '../../src/modules/tenant/domain/MailHostDirectory';
import type { Locale, PresetName, SmtpSecurity, Tenant } from '../../src/modules/tenant/domain/Tenant';
import type { TenantDirectory } from '../../src/modules/tenant/domain/TenantDirectory';
import { MAIL_HOST_DIRECTORY, MAIL_SETTINGS_OBSERVERS, TENANT_DIRECTORY } from '../../src/modules/tenant/tokens';

export interface TestTenantInput {
  id: string;
  name?: string;
  locale?: Locale;
  preset?: PresetName;
  alertSender: { address: string; name?: string };
  allowedSenders?: string[];
  host?: string;
  port: number;
  security?: SmtpSecurity;
  username?: string;
  password?: string;
  maxPerMinute?: number;
}

interface Entry {
  tenant: Tenant;
  password?: string;
}

/**
 * Stands in for the tenant module (TENANT_DIRECTORY and MAIL_HOST_DIRECTORY) until it is composed
 * in; once it is, tests create tenants with PUT /tenants/{id} instead.
 */
export class InMemoryTenants implements TenantDirectory, MailHostDirectory {
  private readonly entries = new Map<string, Entry>();
  readonly parkCalls: Array<{ tenantId: string; settingsVersion: number; reason: string }> = [];

  constructor(private readonly observers: () => Array<{ mailSettingsChanged(tenantId: string): Promise<void> }> = () => []) {}

  put(input: TestTenantInput): Tenant {
    const now = new Date();
    const tenant: Tenant = {
      id: input.id,
      name: input.name ?? `Tenant ${input.id}`,
      locale: input.locale ?? 'de',
      alertSender: input.alertSender,
      mail: {
        preset: input.preset ?? 'custom',
        host: input.host ?? '127.0.0.1',
        port: input.port,
        security: input.security ?? 'none',
        username: input.username,
        hasPassword: input.password !== undefined,
        allowedSenders: input.allowedSenders ?? [],
        maxPerMinute: input.maxPerMinute,
      },
      mailStatus: { state: 'ok' },
      settingsVersion: (this.entries.get(input.id)?.tenant.settingsVersion ?? 0) + 1,
      createdAt: now,
      updatedAt: now,
    };
    this.entries.set(input.id, { tenant, password: input.password });
    return tenant;
  }

  /** What PUT /tenants/{id} with a new password does: a new settings version, the queue released. */
  async changeMailSettings(tenantId: string, change: { password?: string; port?: number }): Promise<void> {
    const entry = this.entries.get(tenantId)!;
    entry.tenant = {
      ...entry.tenant,
      mail: { ...entry.tenant.mail, port: change.port ?? entry.tenant.mail.port },
      mailStatus: { state: 'ok' },
      settingsVersion: entry.tenant.settingsVersion + 1,
    };
    if (change.password !== undefined) entry.password = change.password;
    for (const observer of this.observers()) await observer.mailSettingsChanged(tenantId);
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    return this.entries.get(tenantId)?.tenant;
  }

  async list(): Promise<Tenant[]> {
    return [...this.entries.values()].map((entry) => entry.tenant).sort((a, b) => a.id.localeCompare(b.id));
  }

  async endpointFor(tenantId: string): Promise<SmtpEndpoint | undefined> {
    const entry = this.entries.get(tenantId);
    if (!entry) return undefined;
    const { mail } = entry.tenant;
    return {
      tenantId,
      host: mail.host,
      port: mail.port,
      security: mail.security,
      username: mail.username,
      password: entry.password,
      maxPerMinute: mail.maxPerMinute,
      settingsVersion: entry.tenant.settingsVersion,
    };
  }

  async park(tenantId: string, settingsVersion: number, reason: string): Promise<void> {
    this.parkCalls.push({ tenantId, settingsVersion, reason });
    const entry = this.entries.get(tenantId);
    if (!entry || entry.tenant.settingsVersion !== settingsVersion) return;
    entry.tenant = { ...entry.tenant, mailStatus: { state: 'parked', since: new Date(), reason } };
  }
}

/** Binds an in-memory tenant directory in place of the tenant module's. */
export function useInMemoryTenants(container: Container): InMemoryTenants {
  const tenants = new InMemoryTenants(() => (container.isBound(MAIL_SETTINGS_OBSERVERS) ? container.getAll(MAIL_SETTINGS_OBSERVERS) : []));
  (container.isBound(TENANT_DIRECTORY) ? container.rebind(TENANT_DIRECTORY) : container.bind(TENANT_DIRECTORY)).toConstantValue(tenants);
  (container.isBound(MAIL_HOST_DIRECTORY) ? container.rebind(MAIL_HOST_DIRECTORY) : container.bind(MAIL_HOST_DIRECTORY)).toConstantValue(tenants);
  return tenants;
}
