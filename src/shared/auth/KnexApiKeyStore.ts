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
}

const toKey = (row: ApiKeyRow): StoredApiKey => ({
  id: row.id,
  tenantId: row.tenant_id,
  keyHash: row.key_hash,
  label: row.label,
  createdAt: new Date(row.created_at),
  createdBy: row.created_by,
});

/**
 * How long a found key is reused without reading it again. A key deleted through this process
 * stops working at once; one deleted by another instance (PostgreSQL) within this time.
 */
const FOUND_KEY_CACHE_MS = 1_000;

@injectable()
export class KnexApiKeyStore implements ApiKeyStore {
  /** Every authenticated request looks its key up: found keys are kept briefly, unknown ones never. */
  private readonly found = new ExpiringCache<string, StoredApiKey>(FOUND_KEY_CACHE_MS);

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
        label: key.label,
        created_at: key.createdAt.getTime(),
        created_by: key.createdBy,
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

  async listForTenant(tenantId: string): Promise<StoredApiKey[]> {
    const rows = await this.db<ApiKeyRow>('api_keys').where({ tenant_id: tenantId }).orderBy('created_at');
    return rows.map(toKey);
  }
}
