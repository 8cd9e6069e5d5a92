import { message, type Message } from '../../../../shared/messages/message';
import { GOOGLE_MAIL_SCOPE, type OAuth2Credentials } from './OAuth2Settings';
import { TokenError } from './AccessTokens';

type Microsoft = Extract<OAuth2Credentials, { provider: 'microsoft' }>;
type Google = Extract<OAuth2Credentials, { provider: 'google' }>;

const SECRET_REFUSED = /AADSTS70002(15|22)\b/;

/** Microsoft's token endpoint refused: which setting to fix, in plain words. */
export function microsoftRefusal(app: Microsoft, error: string, description: string, consentUrl: string | undefined): TokenError {
  const answer = `${error}${aadsts(description)}`;
  const { clientId, directoryId } = app;
  if (SECRET_REFUSED.test(description) || error === 'invalid_client') {
    if (!app.ownApp) return new TokenError(message('oauth2_operator_secret_refused', { clientId, answer }), false);
    return new TokenError(
      message(/AADSTS7000222/.test(description) ? 'oauth2_client_secret_refused_expired' : 'oauth2_client_secret_refused', { clientId, answer }),
      false,
    );
  }
  if (/AADSTS700016\b/.test(description)) {
    if (!app.ownApp && consentUrl) return new TokenError(message('oauth2_operator_app_unknown', { clientId, directoryId, answer, consentUrl }), false);
    return new TokenError(message('oauth2_app_unknown', { clientId, directoryId, answer }), false);
  }
  if (/AADSTS65001\b/.test(description)) {
    if (app.ownApp) return new TokenError(message('oauth2_consent_missing', { clientId, directoryId, answer }), false);
    return new TokenError(message('oauth2_operator_consent_missing', { directoryId, answer, consentUrl: consentUrl ?? '(mail.oauth2.consentUrl)' }), false);
  }
  if (/AADSTS(90002|900023|90013)\b/.test(description)) return new TokenError(message('oauth2_directory_unknown', { directoryId, answer }), false);
  return new TokenError(message('oauth2_token_refused', { clientId, directoryId, answer }), false);
}

/** Google's token endpoint refused the assertion for `mailbox`. */
export function googleRefusal(account: Google, mailbox: string, error: string, description: string, delegationClientId: string | undefined): TokenError {
  const answer = `${error}${description ? `: ${description.slice(0, 200)}` : ''}`;
  const { clientEmail } = account;
  if (error === 'unauthorized_client') {
    const detail =
      delegationClientId === undefined
        ? message('oauth2_delegation_missing_own', { clientEmail, mailbox, answer, scope: GOOGLE_MAIL_SCOPE })
        : message('oauth2_delegation_missing', { clientEmail, mailbox, answer, delegationClientId, scope: GOOGLE_MAIL_SCOPE });
    return new TokenError(detail, false);
  }
  if (error === 'invalid_client' || /signature|key/i.test(description)) {
    return new TokenError(message(account.ownAccount ? 'oauth2_private_key_refused' : 'oauth2_operator_key_refused', { clientEmail, answer }), false);
  }
  if (error === 'invalid_grant' && /email|user/i.test(description)) return new TokenError(message('oauth2_mailbox_unknown', { mailbox, answer }), false, true);
  return new TokenError(message('oauth2_google_token_refused', { mailbox, answer }), false);
}

/** The host refused a fresh token too: the app lacks the permission or the mailbox right. */
export function tokenRefusedByHost(provider: 'microsoft' | 'google', mailbox: string, reply: string): Message {
  if (provider === 'google') return message('oauth2_token_refused_by_gmail', { mailbox, reply, scope: GOOGLE_MAIL_SCOPE });
  return message('oauth2_token_refused_by_exchange', { mailbox, reply });
}

/** Exchange answers `535 5.7.139 … SmtpClientAuthentication is disabled`. */
export function smtpAuthDisabled(mailbox: string, reply: string): Message {
  return message('oauth2_smtp_auth_disabled', { mailbox, reply });
}

/** Exchange answers a password login with `5.7.30 Basic authentication is not supported`. */
export function basicAuthUnsupported(reply: string): Message {
  return message('oauth2_basic_auth_unsupported', { reply });
}

export function isSmtpAuthDisabled(reply: string): boolean {
  return /5\.7\.139\b/.test(reply) || /SmtpClientAuthentication is disabled/i.test(reply);
}

export function isBasicAuthUnsupported(reply: string): boolean {
  return /5\.7\.30\b/.test(reply) || /Basic authentication is not supported/i.test(reply);
}

function aadsts(description: string): string {
  const code = /AADSTS\d+/.exec(description)?.[0];
  return code ? ` ${code}` : '';
}
