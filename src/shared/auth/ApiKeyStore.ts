export interface StoredApiKey {
  id: string;
  /** null for admin keys. */
  tenantId: string | null;
  keyHash: string;
  name: string | null;
  createdAt: Date;
  createdBy: string;
  /** From then on the key answers 401. */
  expiresAt?: Date;
  lastUsedAt?: Date;
}

export interface ApiKeyStore {
  /** The key with this hash, if it exists. */
  findByHash(keyHash: string): Promise<StoredApiKey | undefined>;
  /** Stores a key; resolves false when a key with the same id exists already. */
  insert(key: StoredApiKey): Promise<boolean>;
  /** Removes one key of a tenant; resolves false when that tenant has no such key. */
  delete(tenantId: string, keyId: string): Promise<boolean>;
  /** Removes every key of a tenant (offboarding). */
  deleteForTenant(tenantId: string): Promise<void>;
  /** Up to `limit` keys of one tenant ordered by id, after the key `afterId`. */
  listForTenant(tenantId: string, options?: { afterId?: string; limit?: number }): Promise<StoredApiKey[]>;
  /** Notes that the key was used at `at`; may skip the write when it was noted less than a minute before. */
  markUsed(keyId: string, at: Date): Promise<void>;
}
