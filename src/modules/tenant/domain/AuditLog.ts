import type { Actor } from '../../../shared/auth/Principal';

export interface AuditEntry {
  id: number;
  tenantId: string;
  at: Date;
  /** `admin`, or the acting key's id and name (Principal.actor). */
  actor: Actor;
  /** e.g. `tenant.created`, `tenant.updated`, `api-key.created`, `mail.test-sent`. */
  action: string;
  /** What changed; never a secret's value. */
  details: Record<string, unknown>;
}

/** Who changed what of a tenant, and when. */
export interface AuditLog {
  /** Appends an entry; `details` must not hold secrets. */
  record(tenantId: string, actor: Actor, action: string, details: Record<string, unknown>): Promise<void>;
  /** Up to `limit` entries of the tenant, newest first, older than the entry `beforeId`. */
  list(tenantId: string, beforeId: number | undefined, limit: number): Promise<AuditEntry[]>;
  /** Removes the tenant's entries (offboarding). */
  deleteForTenant(tenantId: string): Promise<void>;
}
