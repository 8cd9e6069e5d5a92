import type { SecretPurpose } from './CredentialsCipher';
import type { EncryptedSecret, StoredTenant } from './TenantSettings';
import type { Message } from '../../../shared/messages/message';

/** The SMTP password, or the OAuth 2.0 client secret / private key. */
export type SecretKind = SecretPurpose;

export interface TenantRepository {
  /** The stored tenant, or undefined. */
  get(tenantId: string): Promise<StoredTenant | undefined>;
  /** Those of the tenants that are stored, in one read. */
  getMany(tenantIds: string[]): Promise<StoredTenant[]>;
  /** Up to `limit` tenants with ids after `afterId`, ordered by id. */
  list(afterId: string | undefined, limit: number): Promise<StoredTenant[]>;
  /** Inserts or replaces the tenant. */
  save(tenant: StoredTenant): Promise<void>;
  /** Removes the tenant; resolves false when it did not exist. */
  delete(tenantId: string): Promise<boolean>;
  /** Parks the tenant's mail when its settings are still at `settingsVersion`; keeps an earlier `since`. */
  park(tenantId: string, settingsVersion: number, reason: Message, at: Date): Promise<void>;
  /** Records a verify that passed every step, for the settings of `settingsVersion` only. */
  markVerified(tenantId: string, settingsVersion: number, at: Date): Promise<void>;
  /** How many tenants are parked, and since when the longest-parked one is. */
  parkedSummary(): Promise<{ count: number; oldestSince?: Date }>;
  /** Every stored secret of the kind with its tenant, for key rotation. */
  listSecrets(kind: SecretKind): Promise<Array<{ tenantId: string; secret: EncryptedSecret }>>;
  /** Replaces a secret's ciphertext only if it is still `expected` (rotation racing a save changes nothing). */
  replaceSecret(kind: SecretKind, tenantId: string, expected: EncryptedSecret, replacement: EncryptedSecret): Promise<boolean>;
}
