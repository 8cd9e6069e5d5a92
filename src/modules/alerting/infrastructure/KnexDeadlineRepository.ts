import { inject, injectable, optional } from 'inversify';
import type { Knex } from 'knex';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, DATABASE, READ_DATABASE } from '../../../shared/tokens';
import type { Locale } from '../../tenant/domain/Tenant';
import type { CalendarDate } from '../domain/CalendarDate';
import type { Deadline, DueDeadline, StoredDeadline } from '../domain/Deadline';
import type { BulkResult, DeadlineQuery, DeadlineRepository } from '../domain/DeadlineRepository';
import { uniqueAssignees } from '../domain/uniqueAssignees';

// SQLite refuses one INSERT of more than 500 rows; stay well below.
const CHUNK = 400;
const STREAM_PAGE = 1_000;

interface DeadlineRow {
  tenant_id: string;
  ticket_id: string;
  title: string;
  due_date: string;
  assignees_json: string;
  url: string | null;
  done: boolean | number;
  created_at: number;
  updated_at: number;
}

interface AssigneeRow {
  tenant_id: string;
  ticket_id: string;
  email_lower: string;
  email: string;
  name: string | null;
  locale: string | null;
  due_date: string;
  title: string;
  url: string | null;
}

@injectable()
export class KnexDeadlineRepository implements DeadlineRepository {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(CLOCK) private readonly clock: Clock,
    /** The alert run's scan reads here, beside the run's writes (see createReadDatabase). */
    @inject(READ_DATABASE) @optional() private readonly reader: Knex = db,
  ) {}

  async put(tenantId: string, deadline: Deadline): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const existing = await trx('deadlines').where({ tenant_id: tenantId, ticket_id: deadline.ticketId }).first('ticket_id');
      await this.write(trx, tenantId, [deadline]);
      return !existing;
    });
  }

  async putMany(tenantId: string, deadlines: Deadline[], options: { replace: boolean }): Promise<BulkResult> {
    const byTicket = new Map(deadlines.map((deadline) => [deadline.ticketId, deadline]));
    const unique = [...byTicket.values()];
    const ticketIds = [...byTicket.keys()];
    return this.db.transaction(async (trx) => {
      let existing = 0;
      for (const ids of chunks(ticketIds, CHUNK)) {
        const [row] = await trx('deadlines').where('tenant_id', tenantId).whereIn('ticket_id', ids).count({ n: '*' });
        existing += Number(row?.n ?? 0);
      }
      let removed = 0;
      if (options.replace) {
        removed = await trx('deadlines').where('tenant_id', tenantId).whereNotIn('ticket_id', ticketIds).delete();
        await trx('deadline_assignees').where('tenant_id', tenantId).whereNotIn('ticket_id', ticketIds).delete();
      }
      await this.write(trx, tenantId, unique);
      return { created: unique.length - existing, replaced: existing, removed };
    });
  }

  async remove(tenantId: string, ticketId: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      await trx('deadline_assignees').where({ tenant_id: tenantId, ticket_id: ticketId }).delete();
      return (await trx('deadlines').where({ tenant_id: tenantId, ticket_id: ticketId }).delete()) > 0;
    });
  }

  async list(tenantId: string, query: DeadlineQuery): Promise<StoredDeadline[]> {
    const select = this.db<DeadlineRow>('deadlines').where('tenant_id', tenantId);
    if (query.dueBefore) select.where('due_date', '<', query.dueBefore);
    if (query.after) select.whereRaw('(due_date, ticket_id) > (?, ?)', [query.after.dueDate, query.after.ticketId]);
    const rows = await select.orderBy([{ column: 'due_date' }, { column: 'ticket_id' }]).limit(query.limit);
    return rows.map(toStoredDeadline);
  }

  async *streamDue(tenantId: string, lastDay: CalendarDate): AsyncIterable<DueDeadline> {
    // Keyset pages over the run index rather than .stream(): sqlite3 buffers a whole stream.
    let after: [string, string, string] | undefined;
    for (;;) {
      const select = this.reader<AssigneeRow>('deadline_assignees').where('tenant_id', tenantId).where('due_date', '<=', lastDay);
      if (after) select.whereRaw('(email_lower, due_date, ticket_id) > (?, ?, ?)', after);
      const rows = await select.orderBy([{ column: 'email_lower' }, { column: 'due_date' }, { column: 'ticket_id' }]).limit(STREAM_PAGE);
      for (const row of rows) yield toDueDeadline(row);
      if (rows.length < STREAM_PAGE) return;
      const last = rows[rows.length - 1]!;
      after = [last.email_lower, last.due_date, last.ticket_id];
    }
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('deadline_assignees').where('tenant_id', tenantId).delete();
      await trx('deadlines').where('tenant_id', tenantId).delete();
    });
  }

  private async write(trx: Knex.Transaction, tenantId: string, deadlines: Deadline[]): Promise<void> {
    const now = this.clock.now().getTime();
    for (const part of chunks(deadlines, CHUNK)) {
      await trx('deadlines')
        .insert(
          part.map((deadline) => ({
            tenant_id: tenantId,
            ticket_id: deadline.ticketId,
            title: deadline.title,
            due_date: deadline.dueDate,
            assignees_json: JSON.stringify(uniqueAssignees(deadline.assignees)),
            url: deadline.url ?? null,
            done: deadline.done,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict(['tenant_id', 'ticket_id'])
        .merge(['title', 'due_date', 'assignees_json', 'url', 'done', 'updated_at']);
      await trx('deadline_assignees')
        .where('tenant_id', tenantId)
        .whereIn(
          'ticket_id',
          part.map((deadline) => deadline.ticketId),
        )
        .delete();
    }
    const assigneeRows: AssigneeRow[] = deadlines
      .filter((deadline) => !deadline.done)
      .flatMap((deadline) =>
        uniqueAssignees(deadline.assignees).map((assignee) => ({
          tenant_id: tenantId,
          ticket_id: deadline.ticketId,
          email_lower: assignee.email.toLowerCase(),
          email: assignee.email,
          name: assignee.name ?? null,
          locale: assignee.locale ?? null,
          due_date: deadline.dueDate,
          title: deadline.title,
          url: deadline.url ?? null,
        })),
      );
    for (const part of chunks(assigneeRows, CHUNK)) await trx('deadline_assignees').insert(part);
  }
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let index = 0; index < items.length; index += size) yield items.slice(index, index + size);
}

function toStoredDeadline(row: DeadlineRow): StoredDeadline {
  return {
    ticketId: row.ticket_id,
    title: row.title,
    dueDate: row.due_date,
    assignees: JSON.parse(row.assignees_json),
    ...(row.url !== null ? { url: row.url } : {}),
    done: Boolean(row.done),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

function toDueDeadline(row: AssigneeRow): DueDeadline {
  return {
    tenantId: row.tenant_id,
    recipient: row.email_lower,
    email: row.email,
    ...(row.name !== null ? { name: row.name } : {}),
    ...(row.locale !== null ? { locale: row.locale as Locale } : {}),
    ticketId: row.ticket_id,
    title: row.title,
    dueDate: row.due_date,
    ...(row.url !== null ? { url: row.url } : {}),
  };
}
