import { z } from 'zod';
import type { StoredApiKey } from '../../../shared/auth/ApiKeyStore';
import type { AuditEntry } from '../domain/AuditLog';
import { Text } from './tenantSchemas';

/** An entry of a tenant's audit log as the API lists it. */
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

/** A tenant's API keys: what creating one takes, how they are listed, and the one answer that shows the key. */
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
