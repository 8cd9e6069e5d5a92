import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
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

@injectable()
export class KnexApiKeyStore implements ApiKeyStore {
  constructor(@inject(DATABASE) private readonly db: Knex) {}

  async findByHash(keyHash: string): Promise<StoredApiKey | undefined> {
    const row = await this.db<ApiKeyRow>('api_keys').where({ key_hash: keyHash }).first();
    return row ? toKey(row) : undefined;
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
    return (await this.db('api_keys').where({ tenant_id: tenantId, id: keyId }).delete()) > 0;
  }

  async deleteForTenant(tenantId: string): Promise<void> {
    await this.db('api_keys').where({ tenant_id: tenantId }).delete();
  }

  async listForTenant(tenantId: string): Promise<StoredApiKey[]> {
    const rows = await this.db<ApiKeyRow>('api_keys').where({ tenant_id: tenantId }).orderBy('created_at');
    return rows.map(toKey);
  }
}
