import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';

export interface Envelope {
  from: string;
  to: string[];
}

/** What the host answered, per recipient. */
export interface TransportResult {
  accepted: string[];
  rejected: Array<{ address: string; code?: number; response: string }>;
  response: string;
}

/**
 * Hands a finished message to a tenant's mail host. Failures throw a DeliveryError carrying the
 * SMTP reply code, enhanced status code and the phase where they happened.
 */
export interface MailTransport {
  /** Sends the raw RFC 5322 message with the envelope through the endpoint. */
  send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult>;
  /**
   * The endpoint's tenant sends next: open its connection now if the host has room, so that the
   * send finds it ready. Never waits and never fails; a send opens what it still needs.
   */
  prepare(endpoint: SmtpEndpoint): void;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
