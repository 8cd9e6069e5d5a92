import type { MailAddress } from '../../../shared/mail/MailAddress';
import type { Locale } from '../../tenant/domain/Tenant';
import type { CalendarDate } from './CalendarDate';
import type { DueDeadline } from './Deadline';
import { digestSubject, type DigestContent, type DigestLine } from './renderDigest';

export interface ComposedDigest {
  /** What the mail's text and HTML are rendered from (renderDigest), when it is sent or previewed. */
  content: DigestContent;
  subject: string;
  recipient: MailAddress;
  locale: Locale;
  /** Every ticket listed, for marking tomorrow's new lines. */
  ticketIds: string[];
  reached: number;
  soon: number;
}

/**
 * One recipient's digest for day `date` from their open deadlines (all due by D + lead days):
 * reached ones (due by D) oldest first, then soon-due ones; lines absent from the previous digest
 * are new. The language is the assignee's, else the tenant's.
 */
export function composeDigest(input: {
  tenant: { name: string; locale: Locale };
  date: CalendarDate;
  lines: DueDeadline[];
  previousTickets: string[] | undefined;
}): ComposedDigest {
  const first = input.lines[0]!;
  const previous = new Set(input.previousTickets ?? []);
  const toLine = (deadline: DueDeadline): DigestLine => ({
    ticketId: deadline.ticketId,
    title: deadline.title,
    dueDate: deadline.dueDate,
    ...(deadline.url !== undefined ? { url: deadline.url } : {}),
    isNew: !previous.has(deadline.ticketId),
  });
  const byDue = [...input.lines].sort((a, b) => (a.dueDate === b.dueDate ? (a.ticketId < b.ticketId ? -1 : 1) : a.dueDate < b.dueDate ? -1 : 1));
  const reached = byDue.filter((line) => line.dueDate <= input.date).map(toLine);
  const soon = byDue.filter((line) => line.dueDate > input.date).map(toLine);
  const name = input.lines.find((line) => line.name)?.name;
  const locale = input.lines.find((line) => line.locale)?.locale ?? input.tenant.locale;
  return {
    content: { locale, tenantName: input.tenant.name, ...(name ? { recipientName: name } : {}), date: input.date, reached, soon },
    subject: digestSubject(locale, reached.length, soon.length),
    recipient: { ...(name ? { name } : {}), address: first.email },
    locale,
    ticketIds: byDue.map((line) => line.ticketId),
    reached: reached.length,
    soon: soon.length,
  };
}
