import { GOOGLE_MAIL_SCOPE, type OAuth2Credentials } from './OAuth2Settings';
import { TokenError } from './AccessTokens';

type Microsoft = Extract<OAuth2Credentials, { provider: 'microsoft' }>;
type Google = Extract<OAuth2Credentials, { provider: 'google' }>;

const SECRET_REFUSED = /AADSTS70002(15|22)\b/;

/** Microsoft's token endpoint refused: which setting to fix, in plain words. */
export function microsoftRefusal(app: Microsoft, error: string, description: string, consentUrl: string | undefined): TokenError {
  const said = `(Microsoft answered ${error}${aadsts(description)})`;
  const operator = (fix: string) => `${fix}; this is the operator's app (MICROSOFT_CLIENT_ID): tell the operator`;
  if (SECRET_REFUSED.test(description) || error === 'invalid_client') {
    const expired = /AADSTS7000222/.test(description) ? 'has expired' : 'is wrong or expired';
    const fix = `the client secret of app ${app.clientId} ${expired} ${said}`;
    return new TokenError(
      app.ownApp
        ? `${fix}: create a new client secret in Entra ID (App registrations → ${app.clientId} → Certificates & secrets) and set it in mail.oauth2.clientSecret (and mail.oauth2.clientSecretExpiresAt)`
        : operator(fix),
      false,
      'oauth2_client_secret_refused',
    );
  }
  if (/AADSTS700016\b/.test(description)) {
    return new TokenError(
      `Microsoft knows no app ${app.clientId} in directory ${app.directoryId} ${said}: check mail.oauth2.clientId and mail.oauth2.directoryId${app.ownApp ? '' : consentUrl ? `, and let the customer's administrator consent once at ${consentUrl}` : ''}`,
      false,
      'oauth2_app_unknown',
    );
  }
  if (/AADSTS65001\b/.test(description)) {
    return new TokenError(
      app.ownApp
        ? `no administrator has consented to app ${app.clientId} in directory ${app.directoryId} ${said}: in Entra ID → App registrations → ${app.clientId} → API permissions, add Office 365 Exchange Online SMTP.SendAsApp (or Microsoft Graph Mail.Send for transport graph) and grant admin consent`
        : `the customer's administrator has not consented to the operator's app in directory ${app.directoryId} ${said}: open the consent URL ${consentUrl ?? '(mail.oauth2.consentUrl)'} once as a Global Administrator`,
      false,
      'oauth2_consent_missing',
    );
  }
  if (/AADSTS(90002|900023|90013)\b/.test(description)) {
    return new TokenError(`Microsoft knows no directory ${app.directoryId} ${said}: check mail.oauth2.directoryId (the Entra tenant id or primary domain)`, false, 'oauth2_directory_unknown');
  }
  return new TokenError(`Microsoft refused a token for app ${app.clientId} in directory ${app.directoryId} ${said}: check mail.oauth2`, false, 'oauth2_token_refused');
}

/** Google's token endpoint refused the assertion for `mailbox`. */
export function googleRefusal(account: Google, mailbox: string, error: string, description: string, delegationClientId: string | undefined): TokenError {
  const said = `(Google answered ${error}${description ? `: ${description.slice(0, 200)}` : ''})`;
  if (error === 'unauthorized_client') {
    const client = delegationClientId ?? `the client id of ${account.clientEmail}`;
    return new TokenError(
      `Google does not let ${account.clientEmail} act as ${mailbox} ${said}: the customer's Workspace administrator must add ${client} under Security → Access and data control → API controls → Domain-wide delegation with the scope ${GOOGLE_MAIL_SCOPE}`,
      false,
      'oauth2_delegation_missing',
    );
  }
  if (error === 'invalid_client' || /signature|key/i.test(description)) {
    const fix = account.ownAccount ? 'set a current key of the service account in mail.oauth2.serviceAccount.privateKey' : "the operator's GOOGLE_SERVICE_ACCOUNT_JSON needs a current key: tell the operator";
    return new TokenError(`Google refused the key of service account ${account.clientEmail} ${said}: ${fix}`, false, 'oauth2_private_key_refused');
  }
  if (error === 'invalid_grant' && /email|user/i.test(description)) {
    return new TokenError(`Google knows no active mailbox ${mailbox} ${said}`, false, 'oauth2_mailbox_unknown', true);
  }
  return new TokenError(
    `Google refused a token for ${mailbox} ${said}: the mailbox must exist in the customer's Workspace, and mail.oauth2.serviceAccount must be a service account of it`,
    false,
    'oauth2_token_refused',
  );
}

/** The host refused a fresh token too: the app lacks the permission or the mailbox right. */
export function tokenRefusedByHost(provider: 'microsoft' | 'google', mailbox: string, reply: string): string {
  if (provider === 'google') {
    return `Gmail refused the OAuth token for ${mailbox} twice (${reply}): check the domain-wide delegation of the service account of mail.oauth2 (scope ${GOOGLE_MAIL_SCOPE}) and that ${mailbox} is a mailbox of the customer's Workspace`;
  }
  return `Exchange refused the OAuth token for ${mailbox} twice (${reply}): the app of mail.oauth2 needs the permission SMTP.SendAsApp with admin consent, and Exchange needs the app's service principal (New-ServicePrincipal) with rights on ${mailbox} (Add-MailboxPermission -AccessRights FullAccess, or an RBAC for applications role)`;
}

/** Exchange answers `535 5.7.139 … SmtpClientAuthentication is disabled`. */
export function smtpAuthDisabled(mailbox: string, reply: string): string {
  return `Exchange has SMTP AUTH switched off for ${mailbox} (${reply}): enable Authenticated SMTP for the mailbox (Set-CASMailbox -Identity ${mailbox} -SmtpClientAuthenticationDisabled $false), or set mail.transport to "graph" (Microsoft Graph sendMail, permission Mail.Send)`;
}

/** Exchange answers a password login with `5.7.30 Basic authentication is not supported`. */
export function basicAuthUnsupported(reply: string): string {
  return `Microsoft 365 no longer accepts password logins (${reply}): switch the tenant to the microsoft365 preset (mail.preset "microsoft365" with mail.oauth2), which logs in with OAuth 2.0; the tenant's queue is parked until its mail settings change`;
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
