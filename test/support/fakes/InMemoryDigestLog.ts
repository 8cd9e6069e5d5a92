import type { CalendarDate } from '../../../src/modules/alerting/domain/CalendarDate';
import type { DigestHistory, DigestKey, DigestLog, PendingDigest } from '../../../src/modules/alerting/domain/DigestLog';
import type { InMemoryOutbox } from './InMemoryOutbox';

interface Recorded {
  key: DigestKey;
  runId: string;
  ticketIds: string[];
  outboxId: string;
}

/** The digest log in a map, queuing its mails into the in-memory outbox in the same step. */
export class InMemoryDigestLog implements DigestLog {
  private readonly recorded = new Map<string, Recorded>();

  constructor(private readonly outbox: InMemoryOutbox) {}

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
    const won = digests.map((digest, index) => !this.recorded.has(keyOf(digest.key)) && digests.findIndex((other) => keyOf(other.key) === keyOf(digest.key)) === index);
    const winners = digests.filter((_, index) => won[index]);
    const queued = this.outbox.addMany(winners.map((digest) => digest.mail));
    winners.forEach((digest, index) => this.recorded.set(keyOf(digest.key), { key: { ...digest.key }, runId, ticketIds: [...digest.ticketIds], outboxId: queued[index]!.id }));
    if (winners.length > 0) this.outbox.wake();
    return won;
  }

  async deleteTenant(tenantId: string): Promise<void> {
    for (const [key, digest] of this.recorded) if (digest.key.tenantId === tenantId) this.recorded.delete(key);
  }
}

function keyOf(key: DigestKey): string {
  return `${key.tenantId}\u0000${key.recipient}\u0000${key.date}`;
}
