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

  async listForTenant(tenantId: string): Promise<StoredApiKey[]> {
    return [...this.keys.values()]
      .filter((key) => key.tenantId === tenantId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((key) => ({ ...key }));
  }
}
