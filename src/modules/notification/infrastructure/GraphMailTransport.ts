import { message as text } from '../../../shared/messages/message';
import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { guardedRequest, type GuardedResponse } from '../../../shared/net/guardedRequest';
import { MailHostRefusedError, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';
import type { AccessToken, AccessTokens } from '../../tenant/domain/oauth/AccessTokens';
import { ACCESS_TOKENS, HOST_LOOKUP } from '../../tenant/tokens';
import { DeliveryError } from '../domain/DeliveryError';
import type { Envelope, MailTransport, TransportResult } from '../domain/MailTransport';
import { redactToken, tokenFor } from './oauth/xoauth2Login';

const GRAPH_TIMEOUT_MS = 60_000;

/**
 * Sends through Microsoft Graph `sendMail` as the envelope sender's mailbox: the same MIME
 * message as over SMTP, base64 in a text/plain body. Graph takes the recipients from the
 * message's To and Cc. A 401 renews the token once; then the login counts as refused.
 */
@injectable()
export class GraphMailTransport implements MailTransport {
  constructor(
    @inject(CONFIG) private readonly config: Config,
    @inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
    @inject(HOST_LOOKUP) private readonly lookup: HostLookup,
  ) {}

  async send(endpoint: SmtpEndpoint, envelope: Envelope, raw: Buffer): Promise<TransportResult> {
    const mailbox = envelope.from.toLowerCase();
    let token = await tokenFor(this.tokens, endpoint, mailbox, 'graph');
    let response = await this.post(mailbox, token, raw);
    if (response.status === 401) {
      this.tokens.drop(endpoint, mailbox, 'graph', token);
      token = await tokenFor(this.tokens, endpoint, mailbox, 'graph');
      response = await this.post(mailbox, token, raw);
    }
    if (response.status === 202) return { accepted: envelope.to, rejected: [], response: '202 Accepted (Microsoft Graph sendMail)' };
    if (response.status === 401) this.tokens.drop(endpoint, mailbox, 'graph', token);
    throw failure(response, mailbox, token);
  }

  /** Each send is a request of its own: nothing to open ahead. */
  prepare(): void {}

  async close(): Promise<void> {}

  private async post(mailbox: string, token: AccessToken, raw: Buffer): Promise<GuardedResponse> {
    const url = `${this.config.oauth.microsoftGraphUrl}/v1.0/users/${encodeURIComponent(mailbox)}/sendMail`;
    try {
      return await guardedRequest({
        url,
        method: 'POST',
        headers: { Authorization: `Bearer ${token.value}`, 'Content-Type': 'text/plain' },
        body: raw.toString('base64'),
        timeoutMs: GRAPH_TIMEOUT_MS,
        allowPrivate: this.config.smtpAllowPrivateHosts,
        lookup: this.lookup,
      });
    } catch (error) {
      if (error instanceof MailHostRefusedError) throw new DeliveryError(error.message, { phase: 'guard', permanent: error.reason === 'non-public' });
      throw new DeliveryError(`Microsoft Graph could not be reached: ${(error as Error).message}`, { phase: 'connect', errorCode: 'ECONNECTION' });
    }
  }
}

/** Graph's answer as the DeliveryError the dispatcher classifies. */
function failure(response: GuardedResponse, mailbox: string, token: AccessToken): DeliveryError {
  const { code, message } = graphError(response.body);
  const line = redactToken(`${response.status} ${code}${message ? `: ${message}` : ''}`, mailbox, token);
  if (response.status === 401) {
    const fix = text('graph_token_refused', { mailbox, reply: line });
    return new DeliveryError(fix.message, { phase: 'auth', response: line, errorCode: 'EAUTH', fix });
  }
  if (response.status === 403 && /SendAsDenied/i.test(code)) {
    return new DeliveryError(`Microsoft Graph refused to send as ${mailbox}: ${line}`, { phase: 'mail', replyCode: 403, response: line });
  }
  if (response.status === 403) {
    const fix = text('graph_access_denied', { mailbox, reply: line });
    return new DeliveryError(fix.message, { phase: 'auth', response: line, errorCode: 'EAUTH', fix });
  }
  if (response.status === 429 || response.status >= 500) {
    const after = response.headers['retry-after'];
    const busy = after ? text('graph_busy_retry_after', { reply: line, seconds: String(after) }) : text('graph_busy', { reply: line });
    return new DeliveryError(busy.message, { phase: 'data', response: line, errorCode: 'EGRAPHBUSY', detail: busy });
  }
  // Any other refusal (400 malformed message, 404 unknown mailbox) does not get better by trying again.
  return new DeliveryError(`Microsoft Graph refused the message: ${line}`, { phase: 'data', replyCode: 554, response: line });
}

function graphError(body: string): { code: string; message: string } {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    return { code: typeof error?.code === 'string' ? error.code : 'error', message: typeof error?.message === 'string' ? error.message.slice(0, 300) : '' };
  } catch {
    return { code: 'error', message: body.slice(0, 200) };
  }
}
