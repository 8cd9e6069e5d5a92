import type { Actor } from '../../../shared/auth/Principal';
import { inject, injectable, multiInject, optional } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { fieldError, NotAllowedError, type FieldError } from '../../../shared/errors';
import { message } from '../../../shared/messages/message';
import type { Logger } from '../../../shared/logging/logger';
import { isPublicAddress, MailHostRefusedError, resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, CONFIG, LOGGER } from '../../../shared/tokens';
import type { AuditLog } from '../domain/AuditLog';
import type { CredentialsCipher } from '../domain/CredentialsCipher';
import { effectiveMail, effectiveTenant } from '../domain/effectiveTenant';
import type { Tenant } from '../domain/Tenant';
import type { MailSettingsObserver } from '../domain/TenantLifecycle';
import type { TenantRepository } from '../domain/TenantRepository';
import { oauth2Violations } from '../domain/oauth/oauth2Policy';
import { keepUnsetDefaults } from '../domain/roundTrip';
import { policyViolations } from '../domain/tenantPolicy';
import type { StoredTenant, TenantSettings } from '../domain/TenantSettings';
import { AUDIT_LOG, CREDENTIALS_CIPHER, HOST_LOOKUP, MAIL_SETTINGS_OBSERVERS, TENANT_REPOSITORY } from '../tokens';

export interface SaveTenantCommand {
  tenantId: string;
  settings: TenantSettings;
  /** A new password; undefined keeps the stored one, null removes it. */
  password?: string | null;
  /** A new OAuth 2.0 secret (client secret or private key); undefined keeps the stored one, null removes it. */
  oauth2Secret?: string | null;
  actor: Actor;
}

/** Creates or replaces a tenant's settings after the policy and the network guard allow them. */
@injectable()
export class SaveTenant {
  constructor(
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(CREDENTIALS_CIPHER) private readonly cipher: CredentialsCipher,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CONFIG) private readonly config: Config,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(HOST_LOOKUP) private readonly lookup: HostLookup,
    @inject(LOGGER) private readonly log: Logger,
    @multiInject(MAIL_SETTINGS_OBSERVERS) @optional() private readonly observers: MailSettingsObserver[] = [],
  ) {}

  async execute(command: SaveTenantCommand): Promise<{ created: boolean; tenant: Tenant }> {
    const { tenantId } = command;
    const existing = await this.tenants.get(tenantId);
    const settings = existing ? keepUnsetDefaults(command.settings, existing.settings, this.config.hosted) : command.settings;
    // A secret of another preset (a client secret after a switch to google-workspace) is never reused.
    const keptOAuth2Secret = existing?.settings.mail.preset === settings.mail.preset ? existing.oauth2Secret : undefined;
    const violations = [
      ...(settings.mail.preset === 'demo' && !this.config.demoPreset ? [fieldError('mail.preset', 'demo_preset_unavailable')] : []),
      ...policyViolations(settings, this.config.hosted),
      ...oauth2Violations(
        settings,
        {
          hasPassword: command.password === undefined ? existing?.password !== undefined : command.password !== null,
          hasOAuth2Secret: command.oauth2Secret === undefined ? keptOAuth2Secret !== undefined : command.oauth2Secret !== null,
        },
        this.config.oauth,
      ),
    ];
    if (violations.length === 0 && settings.mail.preset !== 'hosted') violations.push(...(await this.networkViolations(settings)));
    if (violations.length > 0) {
      const detail =
        violations.length === 1
          ? violations[0]!
          : message('tenant_settings_not_allowed', { violations: violations.map((violation) => violation.message).join('; ') });
      throw new NotAllowedError({ code: detail.code, params: detail.params, message: detail.message }, violations);
    }

    const now = this.clock.now();
    const password =
      command.password === undefined ? existing?.password : command.password === null ? undefined : this.cipher.encrypt(tenantId, command.password);
    const oauth2Secret =
      command.oauth2Secret === undefined
        ? keptOAuth2Secret
        : command.oauth2Secret === null
          ? undefined
          : this.cipher.encrypt(tenantId, command.oauth2Secret, 'oauth2');
    const changed = existing ? changedFields(existing.settings, settings) : [];
    const passwordChange =
      command.password === undefined
        ? undefined
        : command.password === null
          ? existing?.password
            ? 'removed'
            : undefined
          : existing?.password
            ? 'changed'
            : 'set';
    const secretChange = secretChangeOf(existing?.oauth2Secret, oauth2Secret, command.oauth2Secret);
    const mailChanged = changed.some((field) => field !== 'name' && field !== 'locale') || passwordChange !== undefined || secretChange !== undefined;
    // A save also releases a parked queue: the fix may have been made on the host itself.
    const releases = existing !== undefined && (mailChanged || existing.mailStatus.state === 'parked');

    const stored: StoredTenant = {
      id: tenantId,
      settings,
      ...(password ? { password } : {}),
      ...(oauth2Secret ? { oauth2Secret } : {}),
      settingsVersion: existing ? existing.settingsVersion + (releases ? 1 : 0) : 1,
      // A verify holds for the mail settings it checked, not for changed ones.
      mailStatus: !existing
        ? { state: 'ok' }
        : releases
          ? { state: 'ok', ...(!mailChanged && existing.mailStatus.verifiedAt ? { verifiedAt: existing.mailStatus.verifiedAt } : {}) }
          : existing.mailStatus,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.tenants.save(stored);

    if (!existing) {
      await this.audit.record(tenantId, command.actor, 'tenant.created', {
        preset: settings.mail.preset,
        ...(password ? { password: 'set' } : {}),
        ...(oauth2Secret ? { oauth2Secret: 'set' } : {}),
      });
    } else if (changed.length > 0 || passwordChange || secretChange) {
      await this.audit.record(tenantId, command.actor, 'tenant.updated', {
        changed: [...changed, ...(passwordChange ? ['mail.password'] : []), ...(secretChange ? [secretPath(settings)] : [])],
        ...(passwordChange ? { password: passwordChange } : {}),
        ...(secretChange ? { oauth2Secret: secretChange } : {}),
      });
    }
    if (releases) await this.notifyObservers(tenantId);
    return { created: !existing, tenant: effectiveTenant(stored, this.config.hosted, this.config.oauth) };
  }

  private async networkViolations(settings: TenantSettings): Promise<FieldError[]> {
    const { mail } = effectiveMail(settings, false, this.config.hosted);
    const allowPrivate = this.config.smtpAllowPrivateHosts;
    if (mail.security === 'none' && !allowPrivate) {
      return [fieldError('mail.security', 'security_none_private_only')];
    }
    // With private hosts allowed only "none" needs to know where the host is.
    if (allowPrivate && mail.security !== 'none') return [];
    try {
      const resolved = await resolveMailHost(mail.host, { allowPrivate, lookup: this.lookup });
      if (mail.security === 'none' && isPublicAddress(resolved.address)) {
        return [fieldError('mail.security', 'security_none_public_host', { host: mail.host })];
      }
      return [];
    } catch (error) {
      if (error instanceof MailHostRefusedError) return [{ path: 'mail.host', ...error.detail }];
      throw error;
    }
  }

  private async notifyObservers(tenantId: string): Promise<void> {
    for (const observer of this.observers ?? []) {
      try {
        await observer.mailSettingsChanged(tenantId);
      } catch (error) {
        this.log.error({ err: error, tenantId }, 'a module failed to react to changed mail settings');
      }
    }
  }
}

function secretChangeOf(before: unknown, after: unknown, given: string | null | undefined): 'set' | 'changed' | 'removed' | undefined {
  if (given === undefined) return before !== undefined && after === undefined ? 'removed' : undefined;
  if (given === null) return before !== undefined ? 'removed' : undefined;
  return before !== undefined ? 'changed' : 'set';
}

function secretPath(settings: TenantSettings): string {
  return settings.mail.preset === 'google-workspace' ? 'mail.oauth2.serviceAccount.privateKey' : 'mail.oauth2.clientSecret';
}

/** The paths of the settings that differ, e.g. `mail.host`; the password is not among settings. */
export function changedFields(before: TenantSettings, after: TenantSettings): string[] {
  const changed: string[] = [];
  if (before.name !== after.name) changed.push('name');
  if (before.locale !== after.locale) changed.push('locale');
  if (JSON.stringify(before.alertSender ?? null) !== JSON.stringify(after.alertSender ?? null)) changed.push('alertSender');
  const keys = new Set([...Object.keys(before.mail), ...Object.keys(after.mail)]) as Set<keyof TenantSettings['mail']>;
  for (const key of keys) {
    if (JSON.stringify(before.mail[key] ?? null) !== JSON.stringify(after.mail[key] ?? null)) changed.push(`mail.${key}`);
  }
  return changed.sort();
}
