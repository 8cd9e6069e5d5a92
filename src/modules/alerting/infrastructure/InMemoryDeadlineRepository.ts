import type { CalendarDate } from '../domain/CalendarDate';
import type { Deadline, DueDeadline, StoredDeadline } from '../domain/Deadline';
import type { BulkResult, DeadlineQuery, DeadlineRepository } from '../domain/DeadlineRepository';
import { uniqueAssignees } from '../domain/uniqueAssignees';

/** The deadline repository in a map: the fake for use-case tests. */
export class InMemoryDeadlineRepository implements DeadlineRepository {
  private readonly tenants = new Map<string, Map<string, StoredDeadline>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async put(tenantId: string, deadline: Deadline): Promise<boolean> {
    const deadlines = this.of(tenantId);
    const created = !deadlines.has(deadline.ticketId);
    deadlines.set(deadline.ticketId, this.stored(deadline));
    return created;
  }

  async putMany(tenantId: string, deadlines: Deadline[], options: { replace: boolean }): Promise<BulkResult> {
    const stored = this.of(tenantId);
    const listed = new Set(deadlines.map((deadline) => deadline.ticketId));
    const existing = [...listed].filter((ticketId) => stored.has(ticketId)).length;
    let removed = 0;
    if (options.replace) {
      for (const ticketId of [...stored.keys()]) {
        if (!listed.has(ticketId)) {
          stored.delete(ticketId);
          removed += 1;
        }
      }
    }
    for (const deadline of deadlines) stored.set(deadline.ticketId, this.stored(deadline));
    return { created: listed.size - existing, replaced: existing, removed };
  }

  async remove(tenantId: string, ticketId: string): Promise<boolean> {
    return this.of(tenantId).delete(ticketId);
  }

  async list(tenantId: string, query: DeadlineQuery): Promise<StoredDeadline[]> {
    return [...this.of(tenantId).values()]
      .filter((deadline) => !query.dueBefore || deadline.dueDate < query.dueBefore)
      .filter((deadline) => !query.after || compare([deadline.dueDate, deadline.ticketId], [query.after.dueDate, query.after.ticketId]) > 0)
      .sort((a, b) => compare([a.dueDate, a.ticketId], [b.dueDate, b.ticketId]))
      .slice(0, query.limit)
      .map((deadline) => structuredClone(deadline));
  }

  async *streamDue(tenantId: string, lastDay: CalendarDate): AsyncIterable<DueDeadline> {
    const lines: DueDeadline[] = [...this.of(tenantId).values()]
      .filter((deadline) => !deadline.done && deadline.dueDate <= lastDay)
      .flatMap((deadline) =>
        uniqueAssignees(deadline.assignees).map((assignee) => ({
          tenantId,
          recipient: assignee.email.toLowerCase(),
          email: assignee.email,
          ...(assignee.name !== undefined ? { name: assignee.name } : {}),
          ...(assignee.locale !== undefined ? { locale: assignee.locale } : {}),
          ticketId: deadline.ticketId,
          title: deadline.title,
          dueDate: deadline.dueDate,
          ...(deadline.url !== undefined ? { url: deadline.url } : {}),
        })),
      );
    lines.sort((a, b) => compare([a.recipient, a.dueDate, a.ticketId], [b.recipient, b.dueDate, b.ticketId]));
    yield* lines;
  }

  async deleteTenant(tenantId: string): Promise<void> {
    this.tenants.delete(tenantId);
  }

  private of(tenantId: string): Map<string, StoredDeadline> {
    let deadlines = this.tenants.get(tenantId);
    if (!deadlines) this.tenants.set(tenantId, (deadlines = new Map()));
    return deadlines;
  }

  private stored(deadline: Deadline): StoredDeadline {
    return { ...structuredClone(deadline), assignees: uniqueAssignees(deadline.assignees), updatedAt: this.now() };
  }
}

// Code-unit order, as the databases compare these ASCII-dominated keys.
function compare(a: string[], b: string[]): number {
  for (let index = 0; index < a.length; index += 1) {
    if (a[index]! < b[index]!) return -1;
    if (a[index]! > b[index]!) return 1;
  }
  return 0;
}
