import { DeliveryError } from '../../../src/modules/notification/domain/DeliveryError';
import type { Envelope, MailTransport, TransportResult } from '../../../src/modules/notification/domain/MailTransport';
import type { SmtpEndpoint } from '../../../src/modules/tenant/domain/MailHostDirectory';

/** How the host answers for one recipient address. */
export type ScriptedAnswer =
  | { kind: 'accept' }
  /** Refused at RCPT while the others are taken (4xx for now, 5xx for good). */
  | { kind: 'refuse'; code: number; response: string }
  /** The whole send fails as the SMTP client would throw it (login refused, 451 at DATA, connection lost …). */
  | { kind: 'fail'; error: DeliveryError };

export interface RecordedSend {
  endpoint: SmtpEndpoint;
  envelope: Envelope;
  raw: string;
}

/** A mail host in memory: records every send it was asked for, and answers per address as scripted (accepts by default). */
export class ScriptedMailTransport implements MailTransport {
  readonly sends: RecordedSend[] = [];
  /** The tenants whose connection the dispatcher asked to open ahead of their sends, in order. */
  readonly prepared: string[] = [];
  /** How long each send takes (a slow host). */
  delayMs = 0;
  closed = false;
  private readonly answers = new Map<string, ScriptedAnswer[]>();

  /** The answers for an address, one per send in turn; the last one stays. */
  script(address: string, ...answers: ScriptedAnswer[]): void {
    this.answers.set(address.toLowerCase(), answers);
  }

  async send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.sends.push({ endpoint: structuredClone(endpoint), envelope: structuredClone(envelope), raw: raw.toString('utf8') });
    const answers = envelope.to.map((address) => ({ address, answer: this.next(address) }));
    const failure = answers.find(({ answer }) => answer.kind === 'fail');
    if (failure?.answer.kind === 'fail') throw failure.answer.error;
    const rejected = answers.flatMap(({ address, answer }) => (answer.kind === 'refuse' ? [{ address, code: answer.code, response: answer.response }] : []));
    if (rejected.length === envelope.to.length)
      throw new DeliveryError('every recipient was refused', { phase: 'rcpt', replyCode: rejected[0]!.code, response: rejected[0]!.response, rejected });
    return { accepted: answers.filter(({ answer }) => answer.kind === 'accept').map(({ address }) => address), rejected, response: '250 2.0.0 Ok: queued' };
  }

  prepare(endpoint: SmtpEndpoint): void {
    this.prepared.push(endpoint.tenantId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The sends to an address, in order. */
  sendsTo(address: string): RecordedSend[] {
    return this.sends.filter((send) => send.envelope.to.includes(address));
  }

  private next(address: string): ScriptedAnswer {
    const answers = this.answers.get(address.toLowerCase());
    if (!answers || answers.length === 0) return { kind: 'accept' };
    return answers.length > 1 ? answers.shift()! : answers[0]!;
  }
}
