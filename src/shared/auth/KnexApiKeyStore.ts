import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { ExpiringCache } from '../cache/ExpiringCache';
import { DATABASE } from '../tokens';
import type { ApiKeyStore, StoredApiKey } from './ApiKeyStore';

interface ApiKeyRow {
  id: string;
  tenant_id: string | null;
  key_hash: string;
  label: string | null;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  last_used_at: number | null;
}

const toKey = (row: ApiKeyRow): StoredApiKey => ({
  id: row.id,
  tenantId: row.tenant_id,
  keyHash: row.key_hash,
  name: row.label,
  createdAt: new Date(Number(row.created_at)),
  createdBy: row.created_by,
  ...(row.expires_at == null ? {} : { expiresAt: new Date(Number(row.expires_at)) }),
  ...(row.last_used_at == null ? {} : { lastUsedAt: new Date(Number(row.last_used_at)) }),
});

/**
 * How long a found key is reused without reading it again. A key deleted through this process
 * stops working at once; one deleted by another instance (PostgreSQL) within this time.
 */
const FOUND_KEY_CACHE_MS = 1_000;
/** lastUsedAt is a hint for people cleaning up keys: a write a minute per key is plenty, one per request is not. */
const LAST_USED_RESOLUTION_MS = 60_000;

@injectable()
export class KnexApiKeyStore implements ApiKeyStore {
  /** Every authenticated request looks its key up: found keys are kept briefly, unknown ones never. */
  private readonly found = new ExpiringCache<string, StoredApiKey>(FOUND_KEY_CACHE_MS);
  /** When this process last wrote each key's last use. */
  private readonly usedWritten = new Map<string, number>();

  constructor(@inject(DATABASE) private readonly db: Knex) {}

  findByHash(keyHash: string): Promise<StoredApiKey | undefined> {
    return this.found.get(keyHash, async () => {
      const row = await this.db<ApiKeyRow>('api_keys').where({ key_hash: keyHash }).first();
      return row && toKey(row);
    });
  }

  async insert(key: StoredApiKey): Promise<boolean> {
    const inserted = await this.db('api_keys')
      .insert({
        id: key.id,
        tenant_id: key.tenantId,
        key_hash: key.keyHash,
        label: key.name,
        created_at: key.createdAt.getTime(),
        created_by: key.createdBy,
        expires_at: key.expiresAt?.getTime() ?? null,
      })
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  async delete(tenantId: string, keyId: string): Promise<boolean> {
    this.found.clear();
    const deleted = (await this.db('api_keys').where({ tenant_id: tenantId, id: keyId }).delete()) > 0;
    // Again after the commit: a lookup that ran meanwhile may have cached the key.
    this.found.clear();
    return deleted;
  }

  async deleteForTenant(tenantId: string): Promise<void> {
    this.found.clear();
    await this.db('api_keys').where({ tenant_id: tenantId }).delete();
    this.found.clear();
  }

  async listForTenant(tenantId: string, options: { afterId?: string; limit?: number } = {}): Promise<StoredApiKey[]> {
    const query = this.db<ApiKeyRow>('api_keys').where({ tenant_id: tenantId }).orderBy('id');
    if (options.afterId !== undefined) query.where('id', '>', options.afterId);
    if (options.limit !== undefined) query.limit(options.limit);
    return (await query).map(toKey);
  }

  async markUsed(keyId: string, at: Date): Promise<void> {
    const written = this.usedWritten.get(keyId);
    if (written !== undefined && at.getTime() - written < LAST_USED_RESOLUTION_MS) return;
    this.usedWritten.set(keyId, at.getTime());
    await this.db('api_keys').where({ id: keyId }).update({ last_used_at: at.getTime() });
  }
}
