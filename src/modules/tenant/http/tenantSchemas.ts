import { z } from 'zod';
import { MailAddressOut, MessageCode, MessageParamsOut } from '../../../shared/http/schemas';
import { hasLineBreakOrNul } from '../../../shared/mail/address';
import { rule } from '../../../shared/messages/message';
import { LOCALES, PRESET_NAMES, type Tenant } from '../domain/Tenant';
import { TENANT_ID_PATTERN } from '../domain/TenantSettings';
import { Host, MailSecurity, PemCertificate } from './mailHostSchemas';
import { OAuth2Body, OAuth2Out } from './oauth2Schemas';
import { Address, SenderPattern } from './senderSchemas';

export const TenantId = z.string().regex(TENANT_ID_PATTERN, 'must match [a-z0-9][a-z0-9-]{0,62}');
export const TenantParams = z.object({ tenantId: TenantId });

/** One line of text: names end up in mail headers. */
export const Text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !hasLineBreakOrNul(value), rule('no_line_breaks'));

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
      security: MailSecurity.optional(),
      username: Text(254).optional(),
      password: z.string().min(1).max(1024).nullable().optional().describe('write-only; omitted keeps the stored one, null removes it'),
      hasPassword: readOnly('whether a password is stored'),
      allowedSenders: z.array(SenderPattern).max(200).default([]),
      caCertificate: PemCertificate.optional().describe('PEM of the CA to trust instead of the public roots (self-signed hosts)'),
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
    alertSender: MailAddressOut,
    mail: z.object({
      preset: z.enum(PRESET_NAMES),
      host: z.string(),
      port: z.number().int().min(0).max(65535),
      security: MailSecurity,
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
    security: MailSecurity.optional(),
    hostOverridable: z.boolean(),
    senders: z.string(),
    fixedSender: z.string().optional(),
    maxPerMinute: z.number().int().min(1).max(100_000).optional(),
    discouraged: z.string().optional(),
    authentication: z.enum(['password', 'oauth2']).describe('oauth2: the login is mail.oauth2 (no password)'),
    production: z.boolean().describe('false for the demo mailbox: not for production'),
  })
  .meta({ id: 'Preset', description: 'A mail preset with its defaults, for the tenant form' });
