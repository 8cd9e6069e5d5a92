import { createHash } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { ExpiringCache } from '../../../shared/cache/ExpiringCache';
import { ConflictError, NotFoundError } from '../../../shared/errors';
import type { MailAddress } from '../../../shared/mail/MailAddress';
import { resolvePersonalSender } from '../../tenant/domain/resolveSender';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import type { MailSettingsObserver, TenantDataOwner } from '../../tenant/domain/TenantLifecycle';
import { TENANT_DIRECTORY } from '../../tenant/tokens';
import type { NotificationLog } from '../domain/NotificationLog';
import type { Outbox } from '../domain/Outbox';
import type { OutgoingMail } from '../domain/OutgoingMail';
import { NOTIFICATION_LOG, OUTBOX } from '../tokens';
import { personalMail } from '../domain/personalMail';
import { message } from '../../../shared/messages/message';

export interface NotificationRequest {
  kind: 'comment' | 'assignment' | 'message';
  author: { name: string; email: string };
  to: Array<{ name?: string; email: string }>;
  cc: Array<{ name?: string; email: string }>;
  subject: string;
  text: string;
  html?: string;
  ticket?: { id: string; title?: string; url?: string };
}

/** How long a tenant's settings are reused between requests (the dispatcher reuses them 2 s). */
const TENANT_CACHE_MS = 1_000;

/** Stores a personal notification for delivery, once per idempotency key. */
@injectable()
export class QueueNotification implements MailSettingsObserver, TenantDataOwner {
  /** Saves a database read per request; dropped at once when this instance changes or deletes the tenant. */
  private readonly tenantCache = new ExpiringCache<string, Tenant>(TENANT_CACHE_MS);

  constructor(
    @inject(OUTBOX) private readonly outbox: Outbox,
    @inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
  ) {}

  /** Resolves once the mail is committed; a repeat with the same key and body returns the first id. */
  async execute(tenantId: string, request: NotificationRequest, idempotencyKey?: string): Promise<{ id: string; status: 'queued' }> {
    // Only a request with a key is compared with an earlier one.
    const idempotency = idempotencyKey ? { key: idempotencyKey, requestHash: createHash('sha256').update(JSON.stringify(request)).digest('hex') } : undefined;
    if (idempotency) {
      const earlier = await this.replay(tenantId, idempotency);
      if (earlier) return earlier;
    }
    const tenant = await this.tenant(tenantId);
    if (!tenant) throw new NotFoundError(message('tenant_not_found'));
    const sender = resolvePersonalSender(tenant, { name: request.author.name, address: request.author.email });
    const bodies = personalMail({ locale: tenant.locale, tenantName: tenant.name, authorName: request.author.name, ...request });
    const mail: OutgoingMail = {
      tenantId,
      kind: request.kind,
      ...sender,
      to: request.to.map(toAddress),
      cc: request.cc.map(toAddress),
      subject: request.subject,
      ...bodies,
      ticket: request.ticket,
      // Out-of-office replies must not flood the author.
      autoSubmitted: true,
    };
    try {
      const id = await this.outbox.enqueue(mail, idempotency);
      return { id, status: 'queued' };
    } catch (error) {
      // Two requests with one key raced: the unique key let one in; answer as its repeat.
      const earlier = idempotency ? await this.replay(tenantId, idempotency) : undefined;
      if (earlier) return earlier;
      throw error;
    }
  }

  async mailSettingsChanged(tenantId: string): Promise<void> {
    this.tenantCache.delete(tenantId);
  }

  async deleteTenantData(tenantId: string): Promise<void> {
    this.tenantCache.delete(tenantId);
  }

  private tenant(tenantId: string): Promise<Tenant | undefined> {
    return this.tenantCache.get(tenantId, () => this.tenants.get(tenantId));
  }

  private async replay(tenantId: string, { key, requestHash }: { key: string; requestHash: string }): Promise<{ id: string; status: 'queued' } | undefined> {
    const earlier = await this.log.findByIdempotencyKey(tenantId, key);
    if (!earlier) return undefined;
    if (earlier.requestHash !== requestHash) throw new ConflictError(message('idempotency_key_reused'));
    return { id: earlier.message.id, status: 'queued' };
  }
}

function toAddress(recipient: { name?: string; email: string }): MailAddress {
  return recipient.name ? { name: recipient.name, address: recipient.email } : { address: recipient.email };
}
