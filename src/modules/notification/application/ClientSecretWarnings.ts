import { injectable } from 'inversify';
import type { Message } from '../../../shared/messages/message';
import { clientSecretWarnings } from '../../tenant/domain/oauth/secretExpiry';
import type { Tenant } from '../../tenant/domain/Tenant';
import type { MailHealthWarnings } from '../domain/MailHealthWarnings';

/** The tenant's own OAuth client secret, from 30 days before it expires. */
@injectable()
export class ClientSecretWarnings implements MailHealthWarnings {
  warningsFor(tenant: Tenant, now: Date): Promise<Message[]> {
    return Promise.resolve(clientSecretWarnings(tenant, now));
  }
}
