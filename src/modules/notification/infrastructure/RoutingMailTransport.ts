import { inject, injectable } from 'inversify';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import type { Envelope, MailTransport, TransportResult } from '../domain/MailTransport';
import { GraphMailTransport } from './GraphMailTransport';
import { SmtpMailTransport } from './SmtpMailTransport';

/** SMTP for every tenant, except microsoft365 tenants with `mail.transport: graph`. */
@injectable()
export class RoutingMailTransport implements MailTransport {
  constructor(
    @inject(SmtpMailTransport) private readonly smtp: SmtpMailTransport,
    @inject(GraphMailTransport) private readonly graph: GraphMailTransport,
  ) {}

  send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    return (endpoint.transport === 'graph' ? this.graph : this.smtp).send(endpoint, envelope, raw);
  }

  prepare(endpoint: SmtpEndpoint): void {
    (endpoint.transport === 'graph' ? this.graph : this.smtp).prepare(endpoint);
  }

  async close(): Promise<void> {
    await Promise.all([this.smtp.close(), this.graph.close()]);
  }
}
