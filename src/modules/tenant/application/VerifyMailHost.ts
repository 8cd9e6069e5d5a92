import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../../shared/errors';
import type { MailHostDirectory } from '../domain/MailHostDirectory';
import type { MailHostProbe, VerifyReport } from '../domain/MailHostProbe';
import { senderAllowed } from '../domain/senderPolicy';
import type { TenantDirectory } from '../domain/TenantDirectory';
import { MAIL_HOST_DIRECTORY, MAIL_HOST_PROBE, TENANT_DIRECTORY } from '../tokens';
import { message } from '../../../shared/messages/message';

/** Checks the tenant's host for the alert address and the given senders, sending nothing. */
@injectable()
export class VerifyMailHost {
  constructor(
    @inject(TENANT_DIRECTORY) private readonly tenants: TenantDirectory,
    @inject(MAIL_HOST_DIRECTORY) private readonly hosts: MailHostDirectory,
    @inject(MAIL_HOST_PROBE) private readonly probe: MailHostProbe,
  ) {}

  async execute(tenantId: string, probeSenders: string[]): Promise<VerifyReport> {
    const tenant = await this.tenants.get(tenantId);
    const endpoint = await this.hosts.endpointFor(tenantId);
    if (!tenant || !endpoint) throw new NotFoundError(message('tenant_not_found'));
    const alert = tenant.alertSender.address;
    const seen = new Set([alert.toLowerCase()]);
    const others = probeSenders.filter((address) => !seen.has(address.toLowerCase()) && seen.add(address.toLowerCase()));
    const senders = [alert, ...others].map((address) => ({
      address,
      isAlertSender: address === alert,
      allowedByPolicy: senderAllowed(tenant.mail.allowedSenders, address),
    }));
    const report = await this.probe.verify(endpoint, senders, alert, tenant.mail.allowedSenders);
    // A passed verify ends the tenant's `unverified` health state.
    if (report.ok) await this.hosts.markVerified(tenantId, endpoint.settingsVersion);
    return report;
  }
}
