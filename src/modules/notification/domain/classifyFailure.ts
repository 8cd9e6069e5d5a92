import { DeliveryError, enhancedCodeOf, type RecipientRefusal } from './DeliveryError';

/** What to do after a failed try, and how the health view counts it. */
export interface FailureVerdict {
  action: 'retry' | 'fail' | 'park';
  category: 'auth' | 'sender' | 'tls' | 'connection' | 'rejected' | 'other';
  /** What the status shows as lastError. */
  message: string;
}

const RETRYABLE_ERRORS = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROTOCOL', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Classifies by reply code and enhanced status code rather than by command: Postfix refuses a
 * sender it does not own at every RCPT (553 5.7.1 … Sender address rejected), not at MAIL FROM.
 */
export function classifyFailure(error: unknown, envelopeFrom: string): FailureVerdict {
  if (!(error instanceof DeliveryError)) {
    return { action: 'retry', category: 'other', message: `unexpected delivery error: ${error instanceof Error ? error.message : String(error)}` };
  }
  const { phase, replyCode, errorCode, permanent } = error.details;
  const response = error.details.response?.trim();
  const reply = response ? ` (the host answered: ${response})` : '';

  if (phase === 'guard') return { action: permanent ? 'fail' : 'retry', category: 'connection', message: error.message };
  if (phase === 'auth' && (replyCode === undefined || replyCode >= 500)) {
    return { action: 'park', category: 'auth', message: `the mail host refused the login${reply}; the tenant's queue is parked until its mail settings (mail.username, mail.password) change` };
  }
  if (isSenderRefusal(phase, replyCode, response) || (phase === 'rcpt' && (error.details.rejected ?? []).some((r) => isSenderRefusal('rcpt', r.code, r.response)))) {
    const refusal = response ?? error.details.rejected?.find((r) => isSenderRefusal('rcpt', r.code, r.response))?.response;
    return {
      action: 'fail',
      category: 'sender',
      message: `the mail host refused the sender ${envelopeFrom}${refusal ? ` (the host answered: ${refusal})` : ''}; fix the tenant setting mail.allowedSenders so that it lists only addresses this host lets the login send as`,
    };
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

/** 550/553/554 with an enhanced code 5.7.x (or a reply naming the sender) at MAIL FROM or RCPT. */
export function isSenderRefusal(phase: string, code: number | undefined, response: string | undefined): boolean {
  if (code !== 550 && code !== 553 && code !== 554) return false;
  const enhanced = enhancedCodeOf(response);
  const policy = enhanced?.startsWith('5.7.') ?? false;
  if (phase === 'mail') return policy || code === 553 || /sender/i.test(response ?? '');
  if (phase === 'rcpt') return policy && /sender/i.test(response ?? '');
  return false;
}

/** Refused recipients for a status text: `address: reply; …`. */
export function describeRefusals(rejected: RecipientRefusal[]): string {
  return rejected.map((r) => `${r.address}: ${r.response}`).join('; ');
}
