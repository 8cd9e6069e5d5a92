import type { ApiKeyStore, StoredApiKey } from '../../../src/shared/auth/ApiKeyStore';

/** The API key store in a map. */
export class InMemoryApiKeyStore implements ApiKeyStore {
  private readonly keys = new Map<string, StoredApiKey>();

  async findByHash(keyHash: string): Promise<StoredApiKey | undefined> {
    const key = [...this.keys.values()].find((stored) => stored.keyHash === keyHash);
    return key && { ...key };
  }

  async insert(key: StoredApiKey): Promise<boolean> {
    if (this.keys.has(key.id)) return false;
    if ([...this.keys.values()].some((stored) => stored.keyHash === key.keyHash)) throw new Error('unique violation: api_keys.key_hash');
    this.keys.set(key.id, { ...key });
    return true;
  }

  async delete(tenantId: string, keyId: string): Promise<boolean> {
    if (this.keys.get(keyId)?.tenantId !== tenantId) return false;
    return this.keys.delete(keyId);
  }

  async deleteForTenant(tenantId: string): Promise<void> {
    for (const [id, key] of this.keys) if (key.tenantId === tenantId) this.keys.delete(id);
  }

  async listForTenant(tenantId: string, options: { afterId?: string; limit?: number } = {}): Promise<StoredApiKey[]> {
    const { afterId, limit } = options;
    return [...this.keys.values()]
      .filter((key) => key.tenantId === tenantId && (afterId === undefined || key.id > afterId))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((key) => ({ ...key }));
  }

  async markUsed(keyId: string, at: Date): Promise<void> {
    const key = this.keys.get(keyId);
    if (key) key.lastUsedAt = at;
  }
}
