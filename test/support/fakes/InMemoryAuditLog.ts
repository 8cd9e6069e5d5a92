import type { AuditEntry, AuditLog } from '../../../src/modules/tenant/domain/AuditLog';
import type { Actor } from '../../../src/shared/auth/Principal';
import type { Clock } from '../../../src/shared/time/Clock';

/** The audit log in an array; ids grow with every entry, as the table's serial key does. */
export class InMemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];
  private lastId = 0;

  constructor(private readonly clock: Clock) {}

  async record(tenantId: string, actor: Actor, action: string, details: Record<string, unknown>): Promise<void> {
    this.lastId += 1;
    this.entries.push({ id: this.lastId, tenantId, at: this.clock.now(), actor: { ...actor }, action, details: structuredClone(details) });
  }

  async list(tenantId: string, beforeId: number | undefined, limit: number): Promise<AuditEntry[]> {
    return this.entries
      .filter((entry) => entry.tenantId === tenantId && (beforeId === undefined || entry.id < beforeId))
      .sort((a, b) => b.id - a.id)
      .slice(0, limit)
      .map((entry) => structuredClone(entry));
  }

  async deleteForTenant(tenantId: string): Promise<void> {
    for (let index = this.entries.length - 1; index >= 0; index -= 1) if (this.entries[index]!.tenantId === tenantId) this.entries.splice(index, 1);
  }
}
