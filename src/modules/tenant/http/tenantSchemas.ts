import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { MailAddressOut, MessageCode, MessageParamsOut } from '../../../shared/http/schemas';
import { hasLineBreakOrNul, isPlainAddress } from '../../../shared/mail/address';
import { isSenderPattern } from '../domain/senderPolicy';
import { LOCALES, PRESET_NAMES, type Tenant } from '../domain/Tenant';
import { TENANT_ID_PATTERN } from '../domain/TenantSettings';
import type { StoredApiKey } from '../../../shared/auth/ApiKeyStore';
import type { AuditEntry } from '../domain/AuditLog';
import { OAuth2Body, OAuth2Out } from './oauth2Schemas';
import { rule } from '../../../shared/messages/message';

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export const TenantId = z.string().regex(TENANT_ID_PATTERN, 'must match [a-z0-9][a-z0-9-]{0,62}');
export const TenantParams = z.object({ tenantId: TenantId });
export const Address = z.string().max(254).refine(isPlainAddress, rule('plain_address'));
const Text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !hasLineBreakOrNul(value), rule('no_line_breaks'));
const SenderPattern = z
  .string()
  .max(254)
  .refine((value) => isSenderPattern(value, isPlainAddress), rule('sender_pattern'));
const Host = z
  .string()
  .max(255)
  .refine((value) => HOST_NAME.test(value) || isIP(value.replace(/^\[|\]$/g, '')) !== 0, rule('host_name'));
const Pem = z
  .string()
  .max(65_536)
  .refine((value) => {
    try {
      new X509Certificate(value);
      return true;
    } catch {
      return false;
    }
  }, rule('pem_certificate'));

export const AddressOut = MailAddressOut;

const SECURITY = z.enum(['starttls', 'tls', 'none']);
const readOnly = (description: string) =>
  z
    .unknown()
    .optional()
    .meta({ readOnly: true, description: `${description}; read-only, ignored when sent back` });

export const TenantBody = z
  .strictObject({
    id: TenantId.optional().describe('may be sent back as read; must equal the tenant id of the path'),
    name: Text(200),
    locale: z.enum(LOCALES).default('de'),
    alertSender: z
      .strictObject({ address: Address, name: Text(200).optional() })
      .optional()
      .describe('required for custom and mandrill; fixed under hosted, gmx and demo'),
    mail: z.strictObject({
      preset: z.enum(PRESET_NAMES),
      host: Host.optional(),
      port: z.number().int().min(1).max(65535).optional(),
      security: SECURITY.optional(),
      username: Text(254).optional(),
      password: z.string().min(1).max(1024).nullable().optional().describe('write-only; omitted keeps the stored one, null removes it'),
      hasPassword: readOnly('whether a password is stored'),
      allowedSenders: z.array(SenderPattern).max(200).default([]),
      caCertificate: Pem.optional().describe('PEM of the CA to trust instead of the public roots (self-signed hosts)'),
      maxPerMinute: z.number().int().min(1).max(100_000).optional(),
      transport: z.enum(['smtp', 'graph']).optional().describe('microsoft365 only: graph sends through Microsoft Graph sendMail instead of SMTP'),
      oauth2: OAuth2Body.optional().describe('microsoft365 and google-workspace: the OAuth 2.0 app-only login'),
    }),
    mailStatus: readOnly('parked or not'),
    settingsVersion: readOnly('counts changes of the mail settings'),
    createdAt: readOnly('when the tenant was created'),
    updatedAt: readOnly('when the tenant was last saved'),
  })
  .meta({
    id: 'TenantSettings',
    description: 'What PUT /tenants/{tenantId} takes. What a GET returned may be sent back with a field changed: the read-only fields are ignored.',
    examples: [
      {
        name: 'Kunde AG',
        locale: 'de',
        alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde AG' },
        mail: {
          preset: 'custom',
          host: 'mail.kunde.ch',
          port: 587,
          security: 'starttls',
          username: 'kos@kunde.ch',
          password: 'secret',
          allowedSenders: ['*@kunde.ch'],
        },
      },
    ],
  });
export type TenantBody = z.infer<typeof TenantBody>;

export const TenantOut = z
  .object({
    id: z.string(),
    name: z.string(),
    locale: z.enum(LOCALES),
    alertSender: AddressOut,
    mail: z.object({
      preset: z.enum(PRESET_NAMES),
      host: z.string(),
      port: z.number().int().min(0).max(65535),
      security: SECURITY,
      username: z.string().optional(),
      hasPassword: z.boolean(),
      allowedSenders: z.array(z.string()),
      caCertificate: z.string().optional(),
      maxPerMinute: z.number().int().min(1).max(100_000).optional(),
      transport: z.enum(['smtp', 'graph']).optional(),
      oauth2: OAuth2Out.optional(),
    }),
    mailStatus: z.object({
      state: z.enum(['ok', 'parked']),
      since: z.string().optional(),
      reason: z.string().optional(),
      reasonCode: MessageCode.optional(),
      reasonParams: MessageParamsOut.optional(),
      verifiedAt: z.string().optional().describe('when a verify of the current mail settings last passed every step'),
    }),
    settingsVersion: z.number().int().min(1).max(2_147_483_647),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Tenant',
    description: 'A tenant with its effective settings (preset defaults applied); the password never leaves the service.',
    examples: [
      {
        id: 'kunde-ag',
        name: 'Kunde AG',
        locale: 'de',
        alertSender: { name: 'KOS Kunde AG', address: 'kos@kunde.ch' },
        mail: {
          preset: 'custom',
          host: 'mail.kunde.ch',
          port: 587,
          security: 'starttls',
          username: 'kos@kunde.ch',
          hasPassword: true,
          allowedSenders: ['*@kunde.ch'],
        },
        mailStatus: { state: 'ok' },
        settingsVersion: 1,
        createdAt: '2026-12-01T08:00:00.000Z',
        updatedAt: '2026-12-01T08:00:00.000Z',
      },
    ],
  });

export function tenantView(tenant: Tenant): z.infer<typeof TenantOut> {
  const { mail } = tenant;
  return {
    id: tenant.id,
    name: tenant.name,
    locale: tenant.locale,
    alertSender: tenant.alertSender,
    mail: {
      preset: mail.preset,
      host: mail.host,
      port: mail.port,
      security: mail.security,
      // the operator's login is not the tenant's business
      ...(mail.username !== undefined && mail.preset !== 'hosted' ? { username: mail.username } : {}),
      hasPassword: mail.hasPassword,
      allowedSenders: mail.allowedSenders,
      ...(mail.caCertificate !== undefined ? { caCertificate: mail.caCertificate } : {}),
      ...(mail.maxPerMinute !== undefined ? { maxPerMinute: mail.maxPerMinute } : {}),
      ...(mail.transport !== undefined ? { transport: mail.transport } : {}),
      ...(mail.oauth2 !== undefined ? { oauth2: mail.oauth2 } : {}),
    },
    mailStatus: {
      state: tenant.mailStatus.state,
      ...(tenant.mailStatus.since ? { since: tenant.mailStatus.since.toISOString() } : {}),
      ...(tenant.mailStatus.reason ? { reason: tenant.mailStatus.reason } : {}),
      ...(tenant.mailStatus.reasonCode ? { reasonCode: tenant.mailStatus.reasonCode, reasonParams: tenant.mailStatus.reasonParams ?? {} } : {}),
      ...(tenant.mailStatus.verifiedAt ? { verifiedAt: tenant.mailStatus.verifiedAt.toISOString() } : {}),
    },
    settingsVersion: tenant.settingsVersion,
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  };
}

export const PresetOut = z
  .object({
    name: z.enum(PRESET_NAMES),
    title: z.string(),
    description: z.string(),
    available: z.boolean(),
    host: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    security: SECURITY.optional(),
    hostOverridable: z.boolean(),
    senders: z.string(),
    fixedSender: z.string().optional(),
    maxPerMinute: z.number().int().min(1).max(100_000).optional(),
    discouraged: z.string().optional(),
    authentication: z.enum(['password', 'oauth2']).describe('oauth2: the login is mail.oauth2 (no password)'),
    production: z.boolean().describe('false for the demo mailbox: not for production'),
  })
  .meta({ id: 'Preset', description: 'A mail preset with its defaults, for the tenant form' });

export const AuditEntryOut = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string().describe('`admin`, `admin:<key id>` for an admin key, or `key:<key id>` for a tenant key'),
    actorName: z.string().optional().describe('the name of the acting key, when it has one'),
    action: z.string().describe('e.g. tenant.created, tenant.updated, api-key.created, api-key.deleted, mail.test-sent, notification.retried'),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'AuditEntry',
    examples: [
      {
        id: '12',
        at: '2026-12-01T08:00:00.000Z',
        actor: 'key:key_3f9a1c2b4d5e6f708192',
        actorName: 'KOS production',
        action: 'tenant.updated',
        details: { changed: ['mail.host'] },
      },
    ],
  });

export function auditView(entry: AuditEntry): z.infer<typeof AuditEntryOut> {
  return {
    id: String(entry.id),
    at: entry.at.toISOString(),
    actor: entry.actor.id,
    ...(entry.actor.name ? { actorName: entry.actor.name } : {}),
    action: entry.action,
    details: entry.details,
  };
}

export const VerifyBody = z
  .strictObject({ probeSenders: z.array(Address).max(20).optional().describe('addresses to try as sender besides the alert address') })
  .meta({ id: 'VerifyRequest', examples: [{ probeSenders: ['anna.muster@kunde.ch'] }] });

export const VerifyOut = z
  .object({
    ok: z.boolean(),
    steps: z.array(
      z
        .object({
          step: z.enum(['token', 'connect', 'tls', 'auth', 'sender']),
          ok: z.boolean(),
          skipped: z.boolean().optional(),
          detail: z.string(),
          code: MessageCode,
          params: MessageParamsOut,
          address: z.string().optional(),
        })
        .meta({ id: 'VerifyStep' }),
    ),
  })
  .meta({
    id: 'VerifyResult',
    examples: [
      {
        ok: true,
        steps: [
          {
            step: 'connect',
            ok: true,
            detail: 'connected to mail.kunde.ch:587 (203.0.113.7); the host greets as an SMTP server',
            code: 'verify_connected_smtp',
            params: { target: 'mail.kunde.ch:587', address: '203.0.113.7' },
          },
          {
            step: 'tls',
            ok: true,
            detail: 'STARTTLS established; the certificate of mail.kunde.ch is valid',
            code: 'verify_starttls',
            params: { host: 'mail.kunde.ch' },
          },
          { step: 'auth', ok: true, detail: 'logged in as kos@kunde.ch', code: 'verify_logged_in', params: { username: 'kos@kunde.ch' } },
          {
            step: 'sender',
            ok: true,
            address: 'kos@kunde.ch',
            detail: 'the host accepts kos@kunde.ch as sender (alert address)',
            code: 'verify_alert_sender_accepted',
            params: { address: 'kos@kunde.ch' },
          },
        ],
      },
    ],
  });

export const ApiKeyRequest = z
  .strictObject({
    name: Text(200).optional().describe('what the key is for, shown in the list and the audit log'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('from then on the key answers 401'),
  })
  .meta({ id: 'ApiKeyRequest', examples: [{ name: 'KOS production', expiresAt: '2027-12-31T23:00:00Z' }] });

export const ApiKeyOut = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    createdAt: z.string(),
    lastUsedAt: z.string().optional().describe('to the minute'),
    expiresAt: z.string().optional(),
  })
  .meta({
    id: 'ApiKey',
    description: 'A tenant key as listed; the key itself is shown only when it is created',
    examples: [{ id: 'key_3f9a1c2b4d5e6f708192', name: 'KOS production', createdAt: '2026-12-01T08:00:00.000Z', lastUsedAt: '2026-12-03T03:01:00.000Z' }],
  });

export const CreatedApiKeyOut = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    key: z.string().describe('shown only in this answer'),
    createdAt: z.string(),
    expiresAt: z.string().optional(),
  })
  .meta({ id: 'CreatedApiKey', examples: [{ id: 'key_3f9a1c2b4d5e6f708192', name: 'KOS production', key: 'kn_…', createdAt: '2026-12-01T08:00:00.000Z' }] });

export function apiKeyView(key: StoredApiKey): z.infer<typeof ApiKeyOut> {
  return {
    id: key.id,
    ...(key.name !== null ? { name: key.name } : {}),
    createdAt: key.createdAt.toISOString(),
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt.toISOString() } : {}),
    ...(key.expiresAt ? { expiresAt: key.expiresAt.toISOString() } : {}),
  };
}
