import { inject, injectable } from 'inversify';
import { message, type Message } from '../../../shared/messages/message';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { MailHealthWarnings } from '../domain/MailHealthWarnings';
import type { RefusedSenders } from '../domain/RefusedSenders';
import { REFUSED_SENDER_TTL_MS } from '../domain/senderFallback';
import { REFUSED_SENDERS } from '../tokens';

/** Authors the host refused as sender in the last 24 hours: their mail goes via the alert address meanwhile. */
@injectable()
export class RefusedSenderWarnings implements MailHealthWarnings {
  constructor(@inject(REFUSED_SENDERS) private readonly refusedSenders: RefusedSenders) {}

  async warningsFor(tenant: Tenant, now: Date): Promise<Message[]> {
    const refused = await this.refusedSenders.ofTenant(tenant.id, new Date(now.getTime() - REFUSED_SENDER_TTL_MS));
    return refused.length > 0 ? [message('senders_refused', { addresses: refused.map((row) => row.address) })] : [];
  }
}
