import type { RefusedSender, RefusedSenders } from '../../../src/modules/notification/domain/RefusedSenders';

/** Refused authors in a map keyed by tenant and address, as the table's primary key is. */
export class InMemoryRefusedSenders implements RefusedSenders {
  private readonly refusals = new Map<string, RefusedSender>();

  async record(refusal: RefusedSender): Promise<void> {
    this.refusals.set(`${refusal.tenantId}\u0000${refusal.address}`, { ...refusal });
  }

  async since(since: Date): Promise<RefusedSender[]> {
    return [...this.refusals.values()].filter((refusal) => refusal.refusedAt >= since).map((refusal) => ({ ...refusal }));
  }

  async ofTenant(tenantId: string, since: Date): Promise<RefusedSender[]> {
    return (await this.since(since)).filter((refusal) => refusal.tenantId === tenantId).sort((a, b) => b.refusedAt.getTime() - a.refusedAt.getTime());
  }
}
