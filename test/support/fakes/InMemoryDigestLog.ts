import type { CalendarDate } from '../../../src/modules/alerting/domain/CalendarDate';
import type { DigestHistory, DigestKey, DigestLog, PendingDigest } from '../../../src/modules/alerting/domain/DigestLog';
import type { TransactionalOutbox } from '../../../src/modules/notification/domain/TransactionalOutbox';
import { InMemoryTransaction } from './InMemoryTransaction';

interface Recorded {
  key: DigestKey;
  runId: string;
  ticketIds: string[];
  outboxId: string;
}

/** The digest log in a map, queuing its mails through the outbox's TransactionalOutbox in the same transaction. */
export class InMemoryDigestLog implements DigestLog {
  private readonly recorded = new Map<string, Recorded>();
  /** Keys written by a transaction not yet over: a second writer of one loses, as with the table's primary key. */
  private readonly writing = new Set<string>();

  constructor(private readonly outbox: TransactionalOutbox<InMemoryTransaction>) {}

  async history(tenantId: string, recipients: string[], date: CalendarDate): Promise<DigestHistory> {
    const history: DigestHistory = { sent: new Set(), previousTickets: new Map() };
    const latest = new Map<string, Recorded>();
    for (const digest of this.recorded.values()) {
      const { key } = digest;
      if (key.tenantId !== tenantId || key.date > date || !recipients.includes(key.recipient)) continue;
      if ((latest.get(key.recipient)?.key.date ?? '') < key.date) latest.set(key.recipient, digest);
    }
    for (const [recipient, digest] of latest) {
      if (digest.key.date === date) history.sent.add(recipient);
      else history.previousTickets.set(recipient, [...digest.ticketIds]);
    }
    return history;
  }

  async queueMany(runId: string, digests: PendingDigest[]): Promise<boolean[]> {
    const won = digests.map((digest) => {
      const key = keyOf(digest.key);
      if (this.recorded.has(key) || this.writing.has(key)) return false;
      this.writing.add(key);
      return true;
    });
    const winners = digests.filter((_, index) => won[index]);
    if (winners.length === 0) return won;
    try {
      await InMemoryTransaction.run(async (transaction) => {
        const queued = await this.outbox.addIn(
          transaction,
          winners.map((digest) => digest.mail),
        );
        transaction.write(() => {
          winners.forEach((digest, index) =>
            this.recorded.set(keyOf(digest.key), { key: { ...digest.key }, runId, ticketIds: [...digest.ticketIds], outboxId: queued[index]!.id }),
          );
        });
      });
    } finally {
      for (const digest of winners) this.writing.delete(keyOf(digest.key));
    }
    this.outbox.committed();
    return won;
  }

  async deleteTenant(tenantId: string): Promise<void> {
    for (const [key, digest] of this.recorded) if (digest.key.tenantId === tenantId) this.recorded.delete(key);
  }
}

function keyOf(key: DigestKey): string {
  return `${key.tenantId}\u0000${key.recipient}\u0000${key.date}`;
}
