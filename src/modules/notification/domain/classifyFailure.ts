import { isSenderRefusal, parseReplyLine, type RefusalStage } from '../../../shared/smtp/replies';
import { message, wrapping, type Message } from '../../../shared/messages/message';
import { basicAuthUnsupported, isBasicAuthUnsupported, isSmtpAuthDisabled } from '../../tenant/domain/oauth/oauth2Reasons';
import { DeliveryError, type RecipientRefusal } from './DeliveryError';

/** What to do after a failed try, how the health view counts it, and what the status shows as lastError (code, params, text). */
export interface FailureVerdict extends Message {
  action: 'retry' | 'fail' | 'park';
  category: 'auth' | 'sender' | 'tls' | 'connection' | 'rejected' | 'other';
  /** For a sender refusal: the host's reply that refused the sender. */
  refusal?: string;
}

const RETRYABLE_ERRORS = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'EPROTOCOL',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Classifies by what the reply says rather than by command: Postfix refuses a sender it does not
 * own at every RCPT (553 5.7.1 … Sender address rejected), Exchange after DATA (5.2.252).
 * `alertSender` names the tenant's alert address, whose refusal needs another fix than an author's.
 */
export function classifyFailure(error: unknown, envelopeFrom: string, alertSender?: string): FailureVerdict {
  if (!(error instanceof DeliveryError)) {
    return { action: 'retry', category: 'other', ...message('delivery_unexpected_error', { error: error instanceof Error ? error.message : String(error) }) };
  }
  const { phase, replyCode, errorCode, permanent } = error.details;
  const response = error.details.response?.trim();
  // The host's reply is a parameter when there is one; the codes without it say so by their name.
  const withReply = (code: 'login_refused' | 'temporary_failure' | 'message_refused', params: Record<string, string> = {}) =>
    response ? message(code, { ...params, reply: response }) : message(`${code}_no_reply`, params);

  if (phase === 'guard')
    return { action: permanent ? 'fail' : 'retry', category: 'connection', ...(error.details.detail ?? message('delivery_failed', { error: error.message })) };
  // A connection that broke during AUTH (closed, timed out, a reply without end) says nothing about the login.
  const connectionBroke = replyCode === undefined && errorCode !== undefined && RETRYABLE_ERRORS.has(errorCode);
  if (phase === 'auth' && !connectionBroke && (replyCode === undefined || replyCode >= 500)) {
    return { action: 'park', category: 'auth', ...loginRefusal(error.details.fix, response, withReply('login_refused')) };
  }
  const refusal = senderRefusalIn(error);
  if (refusal !== undefined) {
    const isAlertSender = alertSender !== undefined && alertSender.toLowerCase() === envelopeFrom.toLowerCase();
    return {
      action: 'fail',
      category: 'sender',
      refusal,
      ...message(isAlertSender ? 'alert_sender_refused_by_host' : 'sender_refused', { sender: envelopeFrom, reply: refusal }),
    };
  }
  // Before the reply codes: a host that answers STARTTLS with 5xx has a TLS problem, not a message problem.
  if (phase === 'tls' || errorCode === 'ETLS') {
    return { action: 'retry', category: 'tls', ...message('tls_failed', { error: error.message }) };
  }
  if (replyCode !== undefined && replyCode >= 400 && replyCode < 500)
    return { action: 'retry', category: 'rejected', ...withReply('temporary_failure', { phase }) };
  if (replyCode !== undefined && replyCode >= 500) return { action: 'fail', category: 'rejected', ...withReply('message_refused', { phase }) };
  if (errorCode && RETRYABLE_ERRORS.has(errorCode))
    return { action: 'retry', category: 'connection', ...message('connection_failed', { errorCode, error: error.message }) };
  if (error.details.detail) return { action: 'retry', category: 'other', ...error.details.detail };
  return {
    action: 'retry',
    category: 'other',
    ...message('delivery_failed', { error: `${errorCode ? `${errorCode}: ` : ''}${error.message}${response ? ` (the host answered: ${response})` : ''}` }),
  };
}

/** A refused login parks the tenant; OAuth logins and Exchange's known answers name what to fix instead of the password. */
function loginRefusal(fix: Message | undefined, response: string | undefined, refused: Message): Message {
  if (fix) return wrapping('login_refused_fix', {}, fix);
  if (response && isBasicAuthUnsupported(response)) return wrapping('login_refused_fix', {}, basicAuthUnsupported(response));
  if (response && isSmtpAuthDisabled(response)) return wrapping('login_refused_fix', {}, message('oauth2_smtp_auth_disabled_login', { reply: response }));
  return refused;
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
