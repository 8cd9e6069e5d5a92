import type { Actor } from '../../../shared/auth/Principal';
import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../../shared/errors';
import type { AuditLog } from '../../tenant/domain/AuditLog';
import { resolveAlertSender } from '../../tenant/domain/resolveSender';
import type { Locale } from '../../tenant/domain/Tenant';
import type { TenantDirectory } from '../../tenant/domain/TenantDirectory';
import { AUDIT_LOG, TENANT_DIRECTORY } from '../../tenant/tokens';
import type { DeliveryOptions } from '../domain/DeliveryOptions';
import type { NotificationLog } from '../domain/NotificationLog';
import type { Outbox } from '../domain/Outbox';
import type { MessageStatus } from '../domain/OutboxMessage';
import { DELIVERY_OPTIONS, NOTIFICATION_LOG, OUTBOX } from '../tokens';
import { message as text } from '../../../shared/messages/message';
import type { MessageCode, MessageParams } from '../../../shared/messages/message';

export interface TestMailOutcome {
  id: string;
  status: MessageStatus;
  lastError?: string;
  lastErrorCode?: MessageCode;
  lastErrorParams?: MessageParams;
  messageId?: string;
}

const CONTENT: Record<Locale, { subject: string; text: (tenant: string) => string }> = {
  de: {
    subject: 'KOS: Test-E-Mail',
    text: (tenant) => `Diese Test-E-Mail hat KOS über den Mailserver des Mandanten "${tenant}" gesendet. Sie kommt an, also funktionieren die Einstellungen.`,
  },
  fr: {
    subject: 'KOS : e-mail de test',
    text: (tenant) => `KOS a envoyé cet e-mail de test par le serveur de messagerie du mandant « ${tenant} ». Il est arrivé : les réglages fonctionnent.`,
  },
  it: {
    subject: 'KOS: e-mail di prova',
    text: (tenant) => `KOS ha inviato questa e-mail di prova tramite il server di posta del mandante "${tenant}". È arrivata: le impostazioni funzionano.`,
  },
  en: {
    subject: 'KOS: test mail',
    text: (tenant) => `KOS sent this test mail through the mail host of the tenant "${tenant}". It arrived, so the settings work.`,
  },
};

const SETTLED: MessageStatus[] = ['sent', 'failed', 'parked'];

/**
 * Sends one real mail from the alert address the way every mail goes (outbox, dispatcher,
 * transport) and waits a bounded time for its outcome; a mail still queued or sending then is
 * answered as such and keeps going. The tenant's audit log records who sent it, to whom, and how
 * it went.
 */
@injectable()
export class SendTestMail {
  constructor(
    @inject(OUTBOX) private readonly outbox: Outbox,
    @inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async execute(tenantId: string, to: string, actor: Actor): Promise<TestMailOutcome> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError(text('tenant_not_found'));
    const content = CONTENT[tenant.locale] ?? CONTENT.de;
    const id = await this.outbox.enqueue({
      tenantId,
      kind: 'test',
      ...resolveAlertSender(tenant),
      to: [{ address: to }],
      cc: [],
      subject: content.subject,
      text: content.text(tenant.name),
      autoSubmitted: true,
    });
    const deadline = Date.now() + this.options.testMailWaitMs;
    for (;;) {
      const message = await this.log.get(tenantId, id);
      if (!message) throw new NotFoundError(text('test_mail_removed'));
      if (SETTLED.includes(message.status) || Date.now() >= deadline) {
        const outcome: TestMailOutcome = {
          id,
          status: message.status,
          messageId: message.messageId,
          ...(message.lastError
            ? { lastError: message.lastError.message, lastErrorCode: message.lastError.code, lastErrorParams: message.lastError.params }
            : {}),
        };
        const { id: notificationId, ...result } = outcome;
        await this.audit.record(tenantId, actor, 'mail.test-sent', { to, notificationId, ...result });
        return outcome;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
