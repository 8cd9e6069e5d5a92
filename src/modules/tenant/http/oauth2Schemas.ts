import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { isPlainAddress } from '../../../shared/mail/address';
import { rule } from '../../../shared/messages/message';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

const Guid = z.string().regex(GUID, 'must be a GUID such as 00000000-0000-0000-0000-000000000000');
const PrivateKeyPem = z
  .string()
  .max(16_384)
  .refine((value) => {
    try {
      createPrivateKey(value);
      return true;
    } catch {
      return false;
    }
  }, rule('pem_private_key'))
  .describe('write-only');

const readOnly = (description: string) =>
  z
    .unknown()
    .optional()
    .meta({ readOnly: true, description: `${description}; read-only, ignored when sent back` });

/** `mail.oauth2` in a PUT; what a GET shows read-only (has…, consentUrl, delegationClientId) may come back and is ignored. */
export const OAuth2Body = z.strictObject({
  directoryId: z
    .string()
    .max(253)
    .refine((value) => GUID.test(value) || DOMAIN.test(value), rule('entra_directory_id'))
    .optional()
    .describe("microsoft365: the customer's Entra directory (tenant) id or primary domain"),
  clientId: Guid.optional().describe("microsoft365: the customer's own app registration; omitted = the operator's app"),
  clientSecret: z.string().min(1).max(1024).nullable().optional().describe('microsoft365, write-only; omitted keeps the stored one, null removes it'),
  clientSecretExpiresAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'must be a date YYYY-MM-DD or an ISO 8601 instant')
    .refine((value) => !Number.isNaN(Date.parse(value)), rule('calendar_date'))
    .optional()
    .describe('microsoft365: when the client secret expires; mail health warns from 30 days before'),
  serviceAccount: z
    .strictObject({
      clientEmail: z.string().max(254).refine(isPlainAddress, rule('service_account_email')),
      privateKey: PrivateKeyPem.nullable().optional(),
    })
    .optional()
    .describe("google-workspace: the customer's own service account; omitted = the operator's"),
  hasClientSecret: readOnly('whether a client secret is stored'),
  hasPrivateKey: readOnly('whether a private key is stored'),
  consentUrl: readOnly("the admin-consent link of the operator's app"),
  delegationClientId: readOnly("the client id of the operator's service account"),
});
export type OAuth2Body = z.infer<typeof OAuth2Body>;

export const OAuth2Out = z.object({
  directoryId: z.string().optional(),
  clientId: z.string().optional(),
  hasClientSecret: z.boolean().optional(),
  clientSecretExpiresAt: z.string().optional(),
  consentUrl: z.string().optional().describe("the operator's app: the admin-consent link the customer's administrator opens once"),
  serviceAccount: z.object({ clientEmail: z.string() }).optional(),
  hasPrivateKey: z.boolean().optional(),
  delegationClientId: z.string().optional().describe("the operator's service account: the client id to authorise for domain-wide delegation"),
});

/** The stored settings and the write-only secret of a `mail.oauth2` body. */
export function splitOAuth2(body: OAuth2Body | undefined) {
  if (!body) return { oauth2: undefined, secret: undefined };
  const { clientSecret, serviceAccount, hasClientSecret: _a, hasPrivateKey: _b, consentUrl: _c, delegationClientId: _d, ...rest } = body;
  const secret = clientSecret !== undefined ? clientSecret : serviceAccount?.privateKey;
  const oauth2 = { ...rest, ...(serviceAccount ? { serviceAccount: { clientEmail: serviceAccount.clientEmail } } : {}) };
  return { oauth2: Object.fromEntries(Object.entries(oauth2).filter(([, value]) => value !== undefined)), secret };
}
