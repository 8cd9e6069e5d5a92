import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import type { Actor } from '../../../shared/auth/Principal';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, DATABASE } from '../../../shared/tokens';
import type { AuditEntry, AuditLog } from '../domain/AuditLog';

interface AuditRow {
  id: number;
  tenant_id: string;
  at: number;
  actor: string;
  actor_name: string | null;
  action: string;
  details_json: string;
}

@injectable()
export class KnexAuditLog implements AuditLog {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(tenantId: string, actor: Actor, action: string, details: Record<string, unknown>): Promise<void> {
    await this.db('tenant_audit').insert({
      tenant_id: tenantId,
      at: this.clock.now().getTime(),
      actor: actor.id,
      actor_name: actor.name ?? null,
      action,
      details_json: JSON.stringify(details),
    });
  }

  async list(tenantId: string, beforeId: number | undefined, limit: number): Promise<AuditEntry[]> {
    const query = this.db<AuditRow>('tenant_audit').where({ tenant_id: tenantId }).orderBy('id', 'desc').limit(limit);
    if (beforeId !== undefined) query.where('id', '<', beforeId);
    return (await query).map((row) => ({
      id: Number(row.id),
      tenantId: row.tenant_id,
      at: new Date(row.at),
      actor: row.actor_name === null ? { id: row.actor } : { id: row.actor, name: row.actor_name },
      action: row.action,
      details: JSON.parse(row.details_json) as Record<string, unknown>,
    }));
  }

  async deleteForTenant(tenantId: string): Promise<void> {
    await this.db('tenant_audit').where({ tenant_id: tenantId }).delete();
  }
}
