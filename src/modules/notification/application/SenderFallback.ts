import type { Message } from '../../../shared/messages/message';
import { inject, injectable } from 'inversify';
import type { Logger } from '../../../shared/logging/logger';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, LOGGER } from '../../../shared/tokens';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { OutboxMessage } from '../domain/OutboxMessage';
import type { RefusedSender, RefusedSenders } from '../domain/RefusedSenders';
import { canFallBack, REFUSED_SENDER_TTL_MS, rewriteRefusedSender } from '../domain/senderFallback';
import type { SenderRewrites } from '../domain/SenderRewrites';
import { REFUSED_SENDERS, SENDER_REWRITES } from '../tokens';

/** How long this process reuses the list of refused authors; another instance's refusal shows up within it. */
const SNAPSHOT_MS = 2_000;

/**
 * A personal notification whose author the tenant's host refuses as sender is not lost: it goes
 * again at once from the alert address, and for 24 hours that author's mail goes so from the start.
 */
@injectable()
export class SenderFallback {
  private snapshot?: { at: number; refused: Promise<Map<string, RefusedSender>> };

  constructor(
    @inject(REFUSED_SENDERS) private readonly refusedSenders: RefusedSenders,
    @inject(SENDER_REWRITES) private readonly rewrites: SenderRewrites,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The message as it should be sent: rewritten (and stored so) when its author was refused in the last 24 hours. */
  async beforeSend(message: OutboxMessage, tenant: Tenant, owner: string): Promise<OutboxMessage> {
    if (!canFallBack(message, tenant)) return message;
    const refused = (await this.refused()).get(key(message.tenantId, message.envelopeFrom));
    if (!refused) return message;
    const rewrite = rewriteRefusedSender(message, tenant, { reply: refused.reply, refusedAt: refused.refusedAt })!;
    await this.rewrites.apply(message.id, owner, rewrite);
    return { ...message, ...rewrite };
  }

  /**
   * After the host refused the message's sender: records the author as refused and queues the
   * message again at once from the alert address. False when there is no fallback (not personal
   * mail, or the alert address itself was refused).
   */
  async afterRefusal(message: OutboxMessage, tenant: Tenant, owner: string, reply: string, lastError: Message): Promise<boolean> {
    const now = this.clock.now();
    const rewrite = rewriteRefusedSender(message, tenant, { reply });
    if (!rewrite) return false;
    await this.refusedSenders.record({ tenantId: message.tenantId, address: message.envelopeFrom, refusedAt: now, reply });
    this.snapshot = undefined;
    this.log.warn(
      { id: message.id, tenantId: message.tenantId, sender: message.envelopeFrom },
      'the mail host refused the author as sender; sent again from the alert address',
    );
    return this.rewrites.apply(message.id, owner, rewrite, { at: now, lastError });
  }

  private refused(): Promise<Map<string, RefusedSender>> {
    const now = this.clock.now().getTime();
    if (this.snapshot && Date.now() - this.snapshot.at < SNAPSHOT_MS) return this.snapshot.refused;
    const refused = this.refusedSenders
      .since(new Date(now - REFUSED_SENDER_TTL_MS))
      .then((rows) => new Map(rows.map((row) => [key(row.tenantId, row.address), row])));
    const snapshot = { at: Date.now(), refused };
    this.snapshot = snapshot;
    refused.catch(() => {
      if (this.snapshot === snapshot) this.snapshot = undefined;
    });
    return refused;
  }
}

function key(tenantId: string, address: string): string {
  return `${tenantId}\n${address.toLowerCase()}`;
}
