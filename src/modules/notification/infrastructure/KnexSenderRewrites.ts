import type { Message } from '../../../shared/messages/message';
import { errorColumns, rewriteReasonColumn } from './outbox/storedMessage';
import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { DATABASE } from '../../../shared/tokens';
import type { SenderRewrite } from '../domain/senderFallback';
import type { SenderRewrites } from '../domain/SenderRewrites';

@injectable()
export class KnexSenderRewrites implements SenderRewrites {
  constructor(@inject(DATABASE) private readonly db: Knex) {}

  async apply(id: string, owner: string, rewrite: SenderRewrite, requeue?: { at: Date; lastError: Message }): Promise<boolean> {
    const updated = await this.db('outbox_messages')
      .where({ id, lease_owner: owner, status: 'sending' })
      .update({
        envelope_from: rewrite.envelopeFrom,
        from_json: JSON.stringify(rewrite.from),
        reply_to_json: JSON.stringify(rewrite.replyTo),
        sender_rewritten: true,
        rewrite_reason: rewriteReasonColumn(rewrite.rewriteReason),
        message_id: rewrite.messageId,
        ...(requeue
          ? {
              status: 'queued',
              next_attempt_at: requeue.at.getTime(),
              lease_owner: null,
              lease_until: null,
              ...errorColumns(requeue.lastError),
              interruptions: 0,
            }
          : {}),
      });
    return updated > 0;
  }
}
