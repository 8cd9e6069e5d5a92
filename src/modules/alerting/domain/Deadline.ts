import type { Locale } from '../../tenant/domain/Tenant';
import type { CalendarDate } from './CalendarDate';

/** Someone responsible for a ticket; alerts go to `email` in `locale`, else the tenant's. */
export interface Assignee {
  email: string;
  name?: string;
  locale?: Locale;
}

/** A ticket's deadline as KOS keeps it in sync. */
export interface Deadline {
  ticketId: string;
  title: string;
  dueDate: CalendarDate;
  assignees: Assignee[];
  url?: string;
  done: boolean;
}

export interface StoredDeadline extends Deadline {
  updatedAt: Date;
}

/** One line of a digest-to-be: an open deadline as seen by one of its assignees. */
export interface DueDeadline {
  tenantId: string;
  /** The assignee's address lower-cased: digests are grouped by it. */
  recipient: string;
  /** The address as KOS wrote it. */
  email: string;
  name?: string;
  locale?: Locale;
  ticketId: string;
  title: string;
  dueDate: CalendarDate;
  url?: string;
}
