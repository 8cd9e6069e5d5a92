import { isSenderRefusal, parseReplyLine, type RefusalStage } from '../../../shared/smtp/replies';
import { basicAuthUnsupported, isBasicAuthUnsupported, isSmtpAuthDisabled, smtpAuthDisabled } from '../../tenant/domain/oauth/oauth2Reasons';
import { DeliveryError, type RecipientRefusal } from './DeliveryError';

/** What to do after a failed try, and how the health view counts it. */
export interface FailureVerdict {
  action: 'retry' | 'fail' | 'park';
  category: 'auth' | 'sender' | 'tls' | 'connection' | 'rejected' | 'other';
  /** What the status shows as lastError. */
  message: string;
  /** For a sender refusal: the host's reply that refused the sender. */
  refusal?: string;
}

const RETRYABLE_ERRORS = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Classifies by what the reply says rather than by command: Postfix refuses a sender it does not
 * own at every RCPT (553 5.7.1 … Sender address rejected), Exchange after DATA (5.2.252).
 * `alertSender` names the tenant's alert address, whose refusal needs another fix than an author's.
 */
export function classifyFailure(error: unknown, envelopeFrom: string, alertSender?: string): FailureVerdict {
  if (!(error instanceof DeliveryError)) {
    return { action: 'retry', category: 'other', message: `unexpected delivery error: ${error instanceof Error ? error.message : String(error)}` };
  }
  const { phase, replyCode, errorCode, permanent } = error.details;
  const response = error.details.response?.trim();
  const reply = response ? ` (the host answered: ${response})` : '';

  if (phase === 'guard') return { action: permanent ? 'fail' : 'retry', category: 'connection', message: error.message };
  // A connection that broke during AUTH (closed, timed out, a reply without end) says nothing about the login.
  const connectionBroke = replyCode === undefined && errorCode !== undefined && RETRYABLE_ERRORS.has(errorCode);
  if (phase === 'auth' && !connectionBroke && (replyCode === undefined || replyCode >= 500)) {
    return { action: 'park', category: 'auth', message: loginRefusal(error.details.fix, response, reply) };
  }
  const refusal = senderRefusalIn(error);
  if (refusal !== undefined) {
    const isAlertSender = alertSender !== undefined && alertSender.toLowerCase() === envelopeFrom.toLowerCase();
    const fix = isAlertSender
      ? 'set the tenant setting alertSender to an address this host lets the login send as, and list only such addresses in mail.allowedSenders'
      : 'fix the tenant setting mail.allowedSenders so that it lists only addresses this host lets the login send as';
    const whose = isAlertSender ? 'the alert address (alertSender) ' : 'the sender ';
    return { action: 'fail', category: 'sender', refusal, message: `the mail host refused ${whose}${envelopeFrom} (the host answered: ${refusal}); ${fix}` };
  }
  // Before the reply codes: a host that answers STARTTLS with 5xx has a TLS problem, not a message problem.
  if (phase === 'tls' || errorCode === 'ETLS') {
    return { action: 'retry', category: 'tls', message: `TLS failed: ${error.message}; check mail.security (starttls needs a host that offers STARTTLS) and, for a host with its own CA, mail.caCertificate` };
  }
  if (replyCode !== undefined && replyCode >= 400 && replyCode < 500) return { action: 'retry', category: 'rejected', message: `temporary failure at ${phase}${reply}` };
  if (replyCode !== undefined && replyCode >= 500) return { action: 'fail', category: 'rejected', message: `the mail host refused the message at ${phase}${reply}` };
  if (errorCode && RETRYABLE_ERRORS.has(errorCode)) return { action: 'retry', category: 'connection', message: `${errorCode}: ${error.message}` };
  return { action: 'retry', category: 'other', message: `${errorCode ? `${errorCode}: ` : ''}${error.message}${reply}` };
}

function loginRefusal(fix: string | undefined, response: string | undefined, reply: string): string {
  if (fix) return `${fix}; the tenant's queue is parked until its mail settings change`;
  if (response && isBasicAuthUnsupported(response)) return basicAuthUnsupported(response);
  if (response && isSmtpAuthDisabled(response)) return `${smtpAuthDisabled('the login mailbox', response)}; the tenant's queue is parked until its mail settings change`;
  return `the mail host refused the login${reply}; the tenant's queue is parked until its mail settings (mail.username, mail.password) change`;
}

/** The reply, of the failed command or of a refused recipient, in which the host refused the sender. */
function senderRefusalIn(error: DeliveryError): string | undefined {
  const { phase, response, rejected, senderRefused } = error.details;
  if (senderRefused) return response ?? error.message;
  const refusedAt = (line: string | undefined, stage: RefusalStage) => {
    const reply = line === undefined ? undefined : parseReplyLine(line);
    return reply !== undefined && isSenderRefusal(reply, stage);
  };
  if (phase === 'mail' && refusedAt(response, 'MAIL')) return response!.trim();
  // Exchange refuses a mailbox the login may not send as only after the data (554 5.2.252 SendAsDenied).
  if (phase === 'data' && refusedAt(response, 'DATA')) return response!.trim();
  if (phase !== 'rcpt') return undefined;
  if (refusedAt(response, 'RCPT')) return response!.trim();
  return rejected?.find((r) => refusedAt(r.response, 'RCPT'))?.response;
}

/** Refused recipients for a status text: `address: reply; …`. */
export function describeRefusals(rejected: RecipientRefusal[]): string {
  return rejected.map((r) => `${r.address}: ${r.response}`).join('; ');
}
