import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import type { DeliveryError } from '../domain/DeliveryError';
import type { Envelope, MailTransport, TransportResult } from '../domain/MailTransport';

export interface RecordedMail {
  endpoint: SmtpEndpoint;
  envelope: Envelope;
  raw: Buffer;
}

/** Keeps what it is given; `failNext` scripts the outcome of the following sends. */
export class RecordingMailTransport implements MailTransport {
  readonly sent: RecordedMail[] = [];
  private readonly script: Array<DeliveryError | ((mail: RecordedMail) => TransportResult | DeliveryError)> = [];

  failNext(...outcomes: Array<DeliveryError | ((mail: RecordedMail) => TransportResult | DeliveryError)>): void {
    this.script.push(...outcomes);
  }

  async send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    const mail = { endpoint, envelope, raw };
    const next = this.script.shift();
    const outcome = typeof next === 'function' ? next(mail) : next;
    if (outcome instanceof Error) throw outcome;
    this.sent.push(mail);
    return outcome ?? { accepted: [...envelope.to], rejected: [], response: '250 OK' };
  }

  async close(): Promise<void> {}
}
