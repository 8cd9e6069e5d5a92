import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { DATABASE } from '../../../shared/tokens';
import type { TenantDataOwner } from '../../tenant/domain/TenantLifecycle';
import type { RefusedSender, RefusedSenders } from '../domain/RefusedSenders';

const TABLE = 'refused_senders';

interface Row {
  tenant_id: string;
  address: string;
  refused_at: number | string;
  reply: string;
}

@injectable()
export class KnexRefusedSenders implements RefusedSenders, TenantDataOwner {
  constructor(@inject(DATABASE) private readonly db: Knex) {}

  async record(refusal: RefusedSender): Promise<void> {
    await this.db(TABLE)
      .insert({ tenant_id: refusal.tenantId, address: refusal.address.toLowerCase(), refused_at: refusal.refusedAt.getTime(), reply: refusal.reply })
      .onConflict(['tenant_id', 'address'])
      .merge(['refused_at', 'reply']);
  }

  async since(since: Date): Promise<RefusedSender[]> {
    const rows: Row[] = await this.db(TABLE).where('refused_at', '>=', since.getTime());
    return rows.map(toRefusal);
  }

  async ofTenant(tenantId: string, since: Date): Promise<RefusedSender[]> {
    const rows: Row[] = await this.db(TABLE).where({ tenant_id: tenantId }).where('refused_at', '>=', since.getTime()).orderBy('refused_at', 'desc');
    return rows.map(toRefusal);
  }

  async deleteTenantData(tenantId: string): Promise<void> {
    await this.db(TABLE).where({ tenant_id: tenantId }).delete();
  }
}

function toRefusal(row: Row): RefusedSender {
  return { tenantId: row.tenant_id, address: row.address, refusedAt: new Date(Number(row.refused_at)), reply: row.reply };
}
