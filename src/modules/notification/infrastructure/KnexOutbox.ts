import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { domainOf } from '../../../shared/mail/address';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, DATABASE } from '../../../shared/tokens';
import type { DispatchSignal } from '../domain/DispatchSignal';
import type { Outbox } from '../domain/Outbox';
import type { OutgoingMail } from '../domain/OutgoingMail';
import { DISPATCH_SIGNAL } from '../tokens';

export interface QueuedMessage {
  id: string;
  messageId: string;
}

@injectable()
export class KnexOutbox implements Outbox {
  constructor(
    @inject(DATABASE) private readonly db: Knex,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(DISPATCH_SIGNAL) private readonly signal: DispatchSignal,
  ) {}

  async enqueue(mail: OutgoingMail): Promise<string> {
    const { id } = await this.insertIn(this.db, mail);
    this.signal.notify();
    return id;
  }

  /**
   * Inserts the mail inside the caller's transaction (the alert run stores a digest's unique key
   * and its mail together). The caller commits, then calls `signal.notify()` via `wake()`.
   */
  async insertIn(db: Knex | Knex.Transaction, mail: OutgoingMail, idempotency?: { key: string; requestHash: string }): Promise<QueuedMessage> {
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    const messageId = `<${randomUUID()}@${domainOf(mail.from.address)}>`;
    const now = this.clock.now().getTime();
    await db('outbox_messages').insert({
      id,
      tenant_id: mail.tenantId,
      kind: mail.kind,
      status: 'queued',
      attempts: 0,
      next_attempt_at: now,
      envelope_from: mail.envelopeFrom,
      from_json: JSON.stringify(mail.from),
      reply_to_json: mail.replyTo ? JSON.stringify(mail.replyTo) : null,
      to_json: JSON.stringify(mail.to),
      cc_json: JSON.stringify(mail.cc),
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      ticket_json: mail.ticket ? JSON.stringify(mail.ticket) : null,
      message_id: messageId,
      sender_rewritten: mail.senderRewritten,
      rewrite_reason: mail.rewriteReason ?? null,
      auto_submitted: mail.autoSubmitted,
      idempotency_key: idempotency?.key ?? null,
      request_hash: idempotency?.requestHash ?? null,
      created_at: now,
    });
    return { id, messageId };
  }

  /** Wakes the dispatcher after a transaction that used insertIn has committed. */
  wake(): void {
    this.signal.notify();
  }
}
