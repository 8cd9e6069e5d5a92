import type { OutgoingMail } from '../../notification/domain/OutgoingMail';
import type { CalendarDate } from './CalendarDate';

/** Which digest went to whom on which day: the guard against sending a day's digest twice. */
export interface DigestKey {
  tenantId: string;
  /** Lower-cased address. */
  recipient: string;
  date: CalendarDate;
}

/** A digest ready to queue: its key, the tickets it lists and the mail. */
export interface PendingDigest {
  key: DigestKey;
  ticketIds: string[];
  mail: OutgoingMail;
}

/** What the log knows about some recipients of a tenant for day D. */
export interface DigestHistory {
  /** Recipients whose digest of day D is already queued. */
  sent: Set<string>;
  /** For the others: the ticket ids of their latest digest before D, when there was one. */
  previousTickets: Map<string, string[]>;
}

export interface DigestLog {
  /** The history of these recipients (lower-cased) of the tenant as of day `date`, in one read. */
  history(tenantId: string, recipients: string[], date: CalendarDate): Promise<DigestHistory>;
  /**
   * Records the keys and queues the mails of the keys not recorded before, all in one
   * transaction: one result per digest, false (and no mail) when the key was already recorded by
   * this or any other run or instance, or appears earlier in the same call.
   */
  queueMany(runId: string, digests: PendingDigest[]): Promise<boolean[]>;
  /** Forgets the tenant's digests (offboarding). */
  deleteTenant(tenantId: string): Promise<void>;
}
