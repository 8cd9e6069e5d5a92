import type { SmtpConnection } from '../../../shared/smtp/SmtpConnection';
import type { Message, MessageCode, MessageParams } from '../../../shared/messages/message';
import type { SmtpEndpoint } from './MailHostDirectory';

export type VerifyStepName = 'token' | 'connect' | 'tls' | 'auth' | 'sender';

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

/** A login other than mail.username and password (AUTH XOAUTH2 as a mailbox). */
export interface ProbeLogin {
  mailbox: string;
  /** Gets ready before connecting (a token); resolves with what is secret, so that no reply carries it out. */
  prepare(): Promise<string[]>;
  authenticate(session: SmtpConnection, capabilities: string[], timeoutMs: number): Promise<{ ok: boolean; detail: Message }>;
}

/** Checks a mail host step by step without sending a mail. */
export interface MailHostProbe {
  /** Connects, secures, logs in, then tries MAIL FROM + one RCPT to `recipient` + RSET for each sender. */
  verify(endpoint: SmtpEndpoint, senders: SenderProbe[], recipient: string, allowedSenders: string[], login?: ProbeLogin): Promise<VerifyReport>;
}
