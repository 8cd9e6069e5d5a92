import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { hasLineBreakOrNul, isPlainAddress } from '../../../shared/mail/address';
import { isSenderPattern } from '../domain/senderPolicy';
import { LOCALES, PRESET_NAMES, type Tenant } from '../domain/Tenant';
import { TENANT_ID_PATTERN } from '../domain/TenantSettings';
import type { AuditEntry } from '../domain/AuditLog';
import { OAuth2Body, OAuth2Out } from './oauth2Schemas';

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export const TenantId = z.string().regex(TENANT_ID_PATTERN, 'must match [a-z0-9][a-z0-9-]{0,62}');
export const Address = z.string().max(254).refine(isPlainAddress, 'must be a plain address local@domain (no display name, quotes, comments or groups)');
const Text = (max: number) => z.string().min(1).max(max).refine((value) => !hasLineBreakOrNul(value), 'must not contain line breaks or NUL');
const SenderPattern = z.string().max(254).refine((value) => isSenderPattern(value, isPlainAddress), 'must be an exact address local@domain or *@domain');
const Host = z
  .string()
  .max(255)
  .refine((value) => HOST_NAME.test(value) || isIP(value.replace(/^\[|\]$/g, '')) !== 0, 'must be a host name or an IP address');
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
  }, 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)');

export const AddressOut = z.object({ name: z.string().optional(), address: z.string() });

export const TenantBody = z.strictObject({
  name: Text(200),
  locale: z.enum(LOCALES).default('de'),
  alertSender: z.strictObject({ address: Address, name: Text(200).optional() }).optional().describe('required for custom and mandrill; fixed under hosted, gmx and demo'),
  mail: z.strictObject({
    preset: z.enum(PRESET_NAMES),
    host: Host.optional(),
    port: z.number().int().min(1).max(65535).optional(),
    security: z.enum(['starttls', 'tls', 'none']).optional(),
    username: Text(254).optional(),
    password: z.string().min(1).max(1024).nullable().optional().describe('write-only; omitted keeps the stored one, null removes it'),
    allowedSenders: z.array(SenderPattern).max(200).default([]),
    caCertificate: Pem.optional().describe('PEM of the CA to trust instead of the public roots (self-signed hosts)'),
    maxPerMinute: z.number().int().min(1).max(100_000).optional(),
    transport: z.enum(['smtp', 'graph']).optional().describe('microsoft365 only: graph sends through Microsoft Graph sendMail instead of SMTP'),
    oauth2: OAuth2Body.optional().describe('microsoft365 and google-workspace: the OAuth 2.0 app-only login'),
  }),
});
export type TenantBody = z.infer<typeof TenantBody>;

export const TenantOut = z.object({
  id: z.string(),
  name: z.string(),
  locale: z.enum(LOCALES),
  alertSender: AddressOut,
  mail: z.object({
    preset: z.enum(PRESET_NAMES),
    host: z.string(),
    port: z.number(),
    security: z.enum(['starttls', 'tls', 'none']),
    username: z.string().optional(),
    hasPassword: z.boolean(),
    allowedSenders: z.array(z.string()),
    caCertificate: z.string().optional(),
    maxPerMinute: z.number().optional(),
    transport: z.enum(['smtp', 'graph']).optional(),
    oauth2: OAuth2Out.optional(),
  }),
  mailStatus: z.object({ state: z.enum(['ok', 'parked']), since: z.string().optional(), reason: z.string().optional() }),
  settingsVersion: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
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
    },
    settingsVersion: tenant.settingsVersion,
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  };
}

export const PresetOut = z.object({
  name: z.enum(PRESET_NAMES),
  title: z.string(),
  description: z.string(),
  available: z.boolean(),
  host: z.string().optional(),
  port: z.number().optional(),
  security: z.enum(['starttls', 'tls', 'none']).optional(),
  hostOverridable: z.boolean(),
  senders: z.string(),
  fixedSender: z.string().optional(),
  maxPerMinute: z.number().optional(),
  discouraged: z.string().optional(),
  authentication: z.enum(['password', 'oauth2']).describe('oauth2: the login is mail.oauth2 (no password)'),
});

export const AuditEntryOut = z.object({ id: z.string(), at: z.string(), actor: z.string(), action: z.string(), details: z.record(z.string(), z.unknown()) });

export function auditView(entry: AuditEntry): z.infer<typeof AuditEntryOut> {
  return { id: String(entry.id), at: entry.at.toISOString(), actor: entry.actor, action: entry.action, details: entry.details };
}

export const VerifyBody = z.strictObject({ probeSenders: z.array(Address).max(20).optional() });

export const VerifyOut = z.object({
  ok: z.boolean(),
  steps: z.array(z.object({ step: z.enum(['token', 'connect', 'tls', 'auth', 'sender']), ok: z.boolean(), skipped: z.boolean().optional(), detail: z.string(), address: z.string().optional() })),
});
