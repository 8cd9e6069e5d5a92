export interface StoredApiKey {
  id: string;
  /** null for admin keys. */
  tenantId: string | null;
  keyHash: string;
  label: string | null;
  createdAt: Date;
  createdBy: string;
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
  /** The keys of one tenant, without their hashes' use for anything but display. */
  listForTenant(tenantId: string): Promise<StoredApiKey[]>;
}
