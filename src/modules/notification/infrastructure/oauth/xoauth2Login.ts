import { replyLine, type SmtpReply } from '../../../../shared/smtp/ReplyReader';
import { authenticateXOAuth2, offersXOAuth2, xoauth2Response } from '../../../../shared/smtp/xoauth2';
import type { SmtpEndpoint } from '../../../tenant/domain/MailHostDirectory';
import { TokenError, type AccessToken, type AccessTokens, type TokenAudience } from '../../../tenant/domain/oauth/AccessTokens';
import { isSmtpAuthDisabled, smtpAuthDisabled, tokenRefusedByHost } from '../../../tenant/domain/oauth/oauth2Reasons';
import { DeliveryError } from '../../domain/DeliveryError';
import { message } from '../../../../shared/messages/message';
import type { SessionLogin } from '../SmtpSession';

/**
 * AUTH XOAUTH2 as `mailbox` with a cached token, obtained before the connection so that the
 * connection knows it as a secret. A token the host refuses is dropped and one new token tried;
 * refused again, the login fails for good with what to fix.
 */
export function xoauth2Login(tokens: AccessTokens, endpoint: SmtpEndpoint, mailbox: string): SessionLogin {
  const provider = endpoint.oauth2?.provider === 'google' ? 'google' : 'microsoft';
  let first: AccessToken | undefined;
  return {
    prepare: async () => {
      first = await tokenFor(tokens, endpoint, mailbox, 'smtp');
      return [first.value];
    },
    authenticate: async (connection, capabilities, timeoutMs) => {
      if (!offersXOAuth2(capabilities)) {
        const fix = message('oauth2_xoauth2_missing', {
          target: `${endpoint.host}:${endpoint.port}`,
          expected: `${provider === 'google' ? 'smtp.gmail.com' : 'smtp.office365.com'}:587`,
        });
        throw new DeliveryError(fix.message, { phase: 'auth', errorCode: 'EAUTH', fix });
      }
      let token = first ?? (await tokenFor(tokens, endpoint, mailbox, 'smtp'));
      let reply = await authenticateXOAuth2(connection, mailbox, token.value, timeoutMs);
      if (reply.code === 235) return () => tokens.fresh(token);
      if (reply.code < 500 || isSmtpAuthDisabled(reply.text)) throw refusedLogin(reply, token, mailbox);
      tokens.drop(endpoint, mailbox, 'smtp', token);
      token = await tokenFor(tokens, endpoint, mailbox, 'smtp');
      reply = await authenticateXOAuth2(connection, mailbox, token.value, timeoutMs);
      if (reply.code === 235) return () => tokens.fresh(token);
      tokens.drop(endpoint, mailbox, 'smtp', token);
      throw refusedLogin(reply, token, mailbox, provider);
    },
  };
}

/** A token, or the provider's refusal as a DeliveryError: temporary ones retry, the others park the tenant. */
export async function tokenFor(tokens: AccessTokens, endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience): Promise<AccessToken> {
  try {
    return await tokens.get(endpoint, mailbox, audience);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    if (error.temporary) throw new DeliveryError(error.message, { phase: 'connect', errorCode: 'ETOKEN', detail: error.detail });
    if (error.senderRefused) throw new DeliveryError(error.message, { phase: 'mail', response: error.message, senderRefused: true });
    throw new DeliveryError(error.message, { phase: 'auth', errorCode: 'EOAUTH2', fix: error.detail });
  }
}

function refusedLogin(reply: SmtpReply, token: AccessToken, mailbox: string, refusedTwice?: 'microsoft' | 'google'): DeliveryError {
  const response = redactToken(replyLine(reply), mailbox, token);
  const fix = isSmtpAuthDisabled(reply.text)
    ? smtpAuthDisabled(mailbox, response)
    : refusedTwice
      ? tokenRefusedByHost(refusedTwice, mailbox, response)
      : undefined;
  return new DeliveryError(`the host refused the OAuth login for ${mailbox}: ${response}`, {
    phase: 'auth',
    replyCode: reply.code,
    enhancedCode: reply.enhanced,
    response,
    errorCode: 'EAUTH',
    ...(fix ? { fix } : {}),
  });
}

/** A host may echo what it was sent: neither the token nor its SASL form leaves in an error. */
export function redactToken(text: string, mailbox: string, token: AccessToken): string {
  return [token.value, xoauth2Response(mailbox, token.value)].reduce((result, form) => result.split(form).join('[redacted]'), text);
}
