import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { DATABASE } from '../../../shared/tokens';
import type { MailTransportKind } from '../domain/oauth/OAuth2Shapes';
import type { EventRecorder } from '../../webhooks/domain/EventRecorder';
import { EVENT_RECORDER } from '../../webhooks/tokens';
import type { Locale, PresetName, SmtpSecurity } from '../domain/Tenant';
import type { SecretKind, TenantRepository } from '../domain/TenantRepository';
import type { EncryptedSecret, StoredTenant } from '../domain/TenantSettings';
import { isMessageCode, type Message, type MessageParams } from '../../../shared/messages/message';

interface TenantRow {
  id: string;
  name: string;
  locale: string;
  alert_sender_json: string | null;
  preset: string;
  host: string | null;
  port: number | null;
  security: string | null;
  username: string | null;
  allowed_senders_json: string;
  ca_certificate: string | null;
  max_per_minute: number | null;
  password_ciphertext: string | null;
  password_key_id: string | null;
  transport: string | null;
  oauth2_json: string | null;
  oauth2_secret_ciphertext: string | null;
  oauth2_secret_key_id: string | null;
  settings_version: number;
  mail_state: string;
  mail_state_since: number | null;
  mail_state_reason: string | null;
  mail_state_reason_code: string | null;
  mail_state_reason_params: string | null;
  mail_verified_at: number | null;
  created_at: number;
  updated_at: number;
}

const SECRET_COLUMNS = {
  password: ['password_ciphertext', 'password_key_id'],
  oauth2: ['oauth2_secret_ciphertext', 'oauth2_secret_key_id'],
} as const satisfies Record<SecretKind, [keyof TenantRow, keyof TenantRow]>;

const optional = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toTenant(row: TenantRow): StoredTenant {
  const alertSender = row.alert_sender_json ? JSON.parse(row.alert_sender_json) : undefined;
  const mail = {
    preset: row.preset as PresetName,
    host: optional(row.host),
    port: optional(row.port),
    security: optional(row.security) as SmtpSecurity | undefined,
    username: optional(row.username),
    allowedSenders: JSON.parse(row.allowed_senders_json) as string[],
    caCertificate: optional(row.ca_certificate),
    maxPerMinute: optional(row.max_per_minute),
    transport: optional(row.transport) as MailTransportKind | undefined,
    oauth2: row.oauth2_json ? JSON.parse(row.oauth2_json) : undefined,
  };
  for (const key of Object.keys(mail) as Array<keyof typeof mail>) if (mail[key] === undefined) delete mail[key];
  return {
    id: row.id,
    settings: { name: row.name, locale: row.locale as Locale, ...(alertSender ? { alertSender } : {}), mail },
    ...(row.password_ciphertext && row.password_key_id ? { password: { keyId: row.password_key_id, ciphertext: row.password_ciphertext } } : {}),
    ...(row.oauth2_secret_ciphertext && row.oauth2_secret_key_id
      ? { oauth2Secret: { keyId: row.oauth2_secret_key_id, ciphertext: row.oauth2_secret_ciphertext } }
      : {}),
    settingsVersion: row.settings_version,
    mailStatus: {
      state: row.mail_state === 'parked' ? 'parked' : 'ok',
      ...(row.mail_state_since !== null ? { since: new Date(row.mail_state_since) } : {}),
      ...(row.mail_state_reason !== null ? { reason: row.mail_state_reason } : {}),
      ...(isMessageCode(row.mail_state_reason_code)
        ? { reasonCode: row.mail_state_reason_code, reasonParams: JSON.parse(row.mail_state_reason_params ?? '{}') as MessageParams }
        : {}),
      ...(row.mail_verified_at !== null ? { verifiedAt: new Date(Number(row.mail_verified_at)) } : {}),
    },
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toRow(tenant: StoredTenant): TenantRow {
  const { settings } = tenant;
  return {
    id: tenant.id,
    name: settings.name,
    locale: settings.locale,
    alert_sender_json: settings.alertSender ? JSON.stringify(settings.alertSender) : null,
    preset: settings.mail.preset,
    host: settings.mail.host ?? null,
    port: settings.mail.port ?? null,
    security: settings.mail.security ?? null,
    username: settings.mail.username ?? null,
    allowed_senders_json: JSON.stringify(settings.mail.allowedSenders),
    ca_certificate: settings.mail.caCertificate ?? null,
    max_per_minute: settings.mail.maxPerMinute ?? null,
    password_ciphertext: tenant.password?.ciphertext ?? null,
    password_key_id: tenant.password?.keyId ?? null,
    transport: settings.mail.transport ?? null,
    oauth2_json: settings.mail.oauth2 ? JSON.stringify(settings.mail.oauth2) : null,
    oauth2_secret_ciphertext: tenant.oauth2Secret?.ciphertext ?? null,
    oauth2_secret_key_id: tenant.oauth2Secret?.keyId ?? null,
    settings_version: tenant.settingsVersion,
    mail_state: tenant.mailStatus.state,
    mail_state_since: tenant.mailStatus.since?.getTime() ?? null,
    mail_state_reason: tenant.mailStatus.reason ?? null,
    mail_state_reason_code: tenant.mailStatus.reasonCode ?? null,
    mail_state_reason_params: tenant.mailStatus.reasonParams ? JSON.stringify(tenant.mailStatus.reasonParams) : null,
    mail_verified_at: tenant.mailStatus.verifiedAt?.getTime() ?? null,
    created_at: tenant.createdAt.getTime(),
    updated_at: tenant.updatedAt.getTime(),
  };
}

@injectable()
export class KnexTenantRepository implements TenantRepository {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(EVENT_RECORDER) private readonly events: EventRecorder<Knex | Knex.Transaction>,
  ) {}

  async get(tenantId: string): Promise<StoredTenant | undefined> {
    const row = await this.db<TenantRow>('tenants').where({ id: tenantId }).first();
    return row ? toTenant(row) : undefined;
  }

  async getMany(tenantIds: string[]): Promise<StoredTenant[]> {
    if (tenantIds.length === 0) return [];
    return (await this.db<TenantRow>('tenants').whereIn('id', tenantIds)).map(toTenant);
  }

  async list(afterId: string | undefined, limit: number): Promise<StoredTenant[]> {
    const query = this.db<TenantRow>('tenants').orderBy('id').limit(limit);
    if (afterId !== undefined) query.where('id', '>', afterId);
    return (await query).map(toTenant);
  }

  async save(tenant: StoredTenant): Promise<void> {
    const row = toRow(tenant);
    const { id: _id, created_at: _created, ...changes } = row;
    if (!this.events.enabled) {
      await this.db('tenants').insert(row).onConflict('id').merge(changes);
      return;
    }
    await this.db.transaction(async (trx) => {
      const before = await trx<TenantRow>('tenants').where({ id: tenant.id }).first('mail_state');
      await trx('tenants').insert(row).onConflict('id').merge(changes);
      if (before?.mail_state === 'parked' && row.mail_state !== 'parked') {
        await this.events.record(trx, [{ type: 'tenant.mail_resumed', data: { tenantId: tenant.id, mailStatus: { state: 'ok' } } }]);
      }
    });
  }

  async delete(tenantId: string): Promise<boolean> {
    return (await this.db('tenants').where({ id: tenantId }).delete()) > 0;
  }

  async park(tenantId: string, settingsVersion: number, reason: Message, at: Date): Promise<void> {
    await this.db.transaction(async (trx) => {
      // Only the change from ok to parked is an event; later refusals only renew the reason.
      const parked = await trx('tenants')
        .where({ id: tenantId, settings_version: settingsVersion })
        .whereNot('mail_state', 'parked')
        .update({ mail_state: 'parked', ...reasonColumns(reason), mail_state_since: at.getTime() });
      if (parked > 0) {
        if (this.events.enabled) {
          const mailStatus = { state: 'parked', since: at.toISOString(), reason: reason.message, reasonCode: reason.code, reasonParams: reason.params };
          await this.events.record(trx, [{ type: 'tenant.mail_parked', data: { tenantId, mailStatus } }]);
        }
        return;
      }
      await this.renewPark(trx, tenantId, settingsVersion, reason, at);
    });
  }

  private async renewPark(trx: Knex.Transaction, tenantId: string, settingsVersion: number, reason: Message, at: Date): Promise<void> {
    await trx('tenants')
      .where({ id: tenantId, settings_version: settingsVersion })
      .update({
        mail_state: 'parked',
        ...reasonColumns(reason),
        // the first refusal is when the trouble started
        mail_state_since: trx.raw("case when mail_state = 'parked' and mail_state_since is not null then mail_state_since else ? end", [at.getTime()]),
      });
  }

  async markVerified(tenantId: string, settingsVersion: number, at: Date): Promise<void> {
    await this.db('tenants').where({ id: tenantId, settings_version: settingsVersion }).update({ mail_verified_at: at.getTime() });
  }

  async parkedSummary(): Promise<{ count: number; oldestSince?: Date }> {
    const row: { count?: number | string; oldest?: number | string | null } | undefined = await this.db('tenants')
      .where({ mail_state: 'parked' })
      .count({ count: '*' })
      .min({ oldest: 'mail_state_since' })
      .first();
    const count = Number(row?.count ?? 0);
    return count > 0 && row?.oldest != null ? { count, oldestSince: new Date(Number(row.oldest)) } : { count };
  }

  async listSecrets(kind: SecretKind): Promise<Array<{ tenantId: string; secret: EncryptedSecret }>> {
    const [ciphertext, keyId] = SECRET_COLUMNS[kind];
    const rows = await this.db<TenantRow>('tenants').whereNotNull(ciphertext).orderBy('id').select('id', ciphertext, keyId);
    return rows.map((row) => ({ tenantId: row.id, secret: { keyId: row[keyId]!, ciphertext: row[ciphertext]! } }));
  }

  async replaceSecret(kind: SecretKind, tenantId: string, expected: EncryptedSecret, replacement: EncryptedSecret): Promise<boolean> {
    const [ciphertext, keyId] = SECRET_COLUMNS[kind];
    const updated = await this.db('tenants')
      .where({ id: tenantId, [ciphertext]: expected.ciphertext, [keyId]: expected.keyId })
      .update({ [ciphertext]: replacement.ciphertext, [keyId]: replacement.keyId });
    return updated > 0;
  }
}

/** A parked tenant's reason as stored: the English text beside its code and params. */
function reasonColumns(reason: Message): Pick<TenantRow, 'mail_state_reason' | 'mail_state_reason_code' | 'mail_state_reason_params'> {
  return { mail_state_reason: reason.message, mail_state_reason_code: reason.code, mail_state_reason_params: JSON.stringify(reason.params) };
}
