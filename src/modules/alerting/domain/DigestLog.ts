import type { OutgoingMail } from '../../notification/domain/OutgoingMail';
import type { CalendarDate } from './CalendarDate';

/** Which digest went to whom on which day: the guard against sending a day's digest twice. */
export interface DigestKey {
  tenantId: string;
  /** Lower-cased address. */
  recipient: string;
  date: CalendarDate;
}

export interface DigestLog {
  /** Whether the recipient's digest of the day is already queued. */
  has(key: DigestKey): Promise<boolean>;
  /** The ticket ids listed in the recipient's latest digest before `key.date`, if there was one. */
  previousTickets(key: DigestKey): Promise<string[] | undefined>;
  /**
   * Queues the mail and records the key in one transaction; false (and nothing queued) when the
   * key was recorded before, by this or any other run or instance.
   */
  queue(key: DigestKey, runId: string, ticketIds: string[], mail: OutgoingMail): Promise<boolean>;
  /** Forgets the tenant's digests (offboarding). */
  deleteTenant(tenantId: string): Promise<void>;
}
