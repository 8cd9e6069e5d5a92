import type { MessageCode, MessageParams } from '../../../shared/messages/message';
import type { SmtpEndpoint } from './MailHostDirectory';

export type VerifyStepName = 'connect' | 'tls' | 'auth' | 'sender';

export interface VerifyStep {
  step: VerifyStepName;
  ok: boolean;
  skipped?: boolean;
  /** What happened, in words an admin understands. */
  detail: string;
  /** The code of `detail` and its parameters, for a translation. */
  code: MessageCode;
  params: MessageParams;
  /** The sender tried (sender steps only). */
  address?: string;
}

export interface VerifyReport {
  ok: boolean;
  steps: VerifyStep[];
}

export interface SenderProbe {
  address: string;
  /** Whether the tenant's sender policy lets this address appear as sender. */
  allowedByPolicy: boolean;
  isAlertSender: boolean;
}

/** Checks a mail host step by step without sending a mail. */
export interface MailHostProbe {
  /** Connects, secures, logs in, then tries MAIL FROM + one RCPT to `recipient` + RSET for each sender. */
  verify(endpoint: SmtpEndpoint, senders: SenderProbe[], recipient: string, allowedSenders: string[]): Promise<VerifyReport>;
}
