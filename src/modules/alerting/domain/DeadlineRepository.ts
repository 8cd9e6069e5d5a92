import type { CalendarDate } from './CalendarDate';
import type { Deadline, DueDeadline, StoredDeadline } from './Deadline';

export interface DeadlinePosition {
  dueDate: CalendarDate;
  ticketId: string;
}

export interface DeadlineQuery {
  /** Only deadlines due strictly before this day. */
  dueBefore?: CalendarDate;
  /** Continue after this position (keyset paging by due date, then ticket id). */
  after?: DeadlinePosition;
  limit: number;
}

export interface BulkResult {
  created: number;
  replaced: number;
  removed: number;
}

/** The deadlines KOS keeps in sync, per tenant and ticket. */
export interface DeadlineRepository {
  /** Creates or replaces the ticket's deadline; true when it was created. */
  put(tenantId: string, deadline: Deadline): Promise<boolean>;
  /** Upserts all in one transaction; with `replace`, removes the tenant's deadlines not listed. */
  putMany(tenantId: string, deadlines: Deadline[], options: { replace: boolean }): Promise<BulkResult>;
  /** Removes the ticket's deadline; false when there was none. */
  remove(tenantId: string, ticketId: string): Promise<boolean>;
  /** A page ordered by due date, then ticket id. */
  list(tenantId: string, query: DeadlineQuery): Promise<StoredDeadline[]>;
  /**
   * Open deadlines due on or before `lastDay`, one entry per assignee, ordered by recipient
   * (lower-cased address), then due date and ticket id, so that each recipient's lines come
   * together. Reads in pages: memory stays bounded however many there are.
   */
  streamDue(tenantId: string, lastDay: CalendarDate): AsyncIterable<DueDeadline>;
  /** Removes every deadline of the tenant (offboarding). */
  deleteTenant(tenantId: string): Promise<void>;
}
