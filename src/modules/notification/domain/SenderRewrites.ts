import type { Message } from '../../../shared/messages/message';
import type { SenderRewrite } from './senderFallback';

/** Writes a rewritten sender into a leased message. */
export interface SenderRewrites {
  /**
   * Replaces the sender fields of the message while `owner` holds its lease; with `requeueAt` the
   * message is also queued again from then (the refused try counted). False when the lease is gone.
   */
  apply(id: string, owner: string, rewrite: SenderRewrite, requeue?: { at: Date; lastError: Message }): Promise<boolean>;
}
