import type { Message } from '../../../shared/messages/message';
import type { Tenant } from '../../tenant/domain/Tenant';

/**
 * Something that can put a tenant's mail health into `warning`: sender refusals of the last 24
 * hours, a client secret about to expire. Each source is bound under MAIL_HEALTH_WARNINGS and
 * asked on every health read; an empty list means nothing to warn of.
 */
export interface MailHealthWarnings {
  warningsFor(tenant: Tenant, now: Date): Promise<Message[]>;
}
