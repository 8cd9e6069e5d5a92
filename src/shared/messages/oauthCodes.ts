import { define } from './define';

/**
 * The codes of an identity provider's or an OAuth host's refusal (microsoft365, google-workspace):
 * a parked tenant's `reasonCode`, the cause of a verify token step. `answer` is what the provider
 * said (its error and AADSTS code).
 */
export const OAUTH_MESSAGES = define({
  oauth2_client_secret_refused: {
    en: 'the client secret of app {clientId} is wrong or expired (Microsoft answered {answer}): create a new client secret in Entra ID (App registrations → {clientId} → Certificates & secrets) and set it in mail.oauth2.clientSecret (and mail.oauth2.clientSecretExpiresAt)',
    params: ['clientId', 'answer'],
  },
  oauth2_client_secret_refused_expired: {
    en: 'the client secret of app {clientId} has expired (Microsoft answered {answer}): create a new client secret in Entra ID (App registrations → {clientId} → Certificates & secrets) and set it in mail.oauth2.clientSecret (and mail.oauth2.clientSecretExpiresAt)',
    params: ['clientId', 'answer'],
  },
  oauth2_operator_secret_refused: {
    en: "the client secret of app {clientId} is wrong or expired (Microsoft answered {answer}); this is the operator's app (MICROSOFT_CLIENT_ID): tell the operator",
    params: ['clientId', 'answer'],
  },
  oauth2_app_unknown: {
    en: 'Microsoft knows no app {clientId} in directory {directoryId} (Microsoft answered {answer}): check mail.oauth2.clientId and mail.oauth2.directoryId',
    params: ['clientId', 'directoryId', 'answer'],
  },
  oauth2_operator_app_unknown: {
    en: "Microsoft knows no app {clientId} in directory {directoryId} (Microsoft answered {answer}): check mail.oauth2.directoryId, and let the customer's administrator consent once at {consentUrl}",
    params: ['clientId', 'directoryId', 'answer', 'consentUrl'],
  },
  oauth2_consent_missing: {
    en: 'no administrator has consented to app {clientId} in directory {directoryId} (Microsoft answered {answer}): in Entra ID → App registrations → {clientId} → API permissions, add Office 365 Exchange Online SMTP.SendAsApp (or Microsoft Graph Mail.Send for transport graph) and grant admin consent',
    params: ['clientId', 'directoryId', 'answer'],
  },
  oauth2_operator_consent_missing: {
    en: "the customer's administrator has not consented to the operator's app in directory {directoryId} (Microsoft answered {answer}): open the consent URL {consentUrl} once as a Global Administrator",
    params: ['directoryId', 'answer', 'consentUrl'],
  },
  oauth2_directory_unknown: {
    en: 'Microsoft knows no directory {directoryId} (Microsoft answered {answer}): check mail.oauth2.directoryId (the Entra tenant id or primary domain)',
    params: ['directoryId', 'answer'],
  },
  oauth2_token_refused: {
    en: 'Microsoft refused a token for app {clientId} in directory {directoryId} (Microsoft answered {answer}): check mail.oauth2',
    params: ['clientId', 'directoryId', 'answer'],
  },
  oauth2_delegation_missing: {
    en: "Google does not let {clientEmail} act as {mailbox} (Google answered {answer}): the customer's Workspace administrator must add {delegationClientId} under Security → Access and data control → API controls → Domain-wide delegation with the scope {scope}",
    params: ['clientEmail', 'mailbox', 'answer', 'delegationClientId', 'scope'],
  },
  oauth2_delegation_missing_own: {
    en: "Google does not let {clientEmail} act as {mailbox} (Google answered {answer}): the customer's Workspace administrator must add the client ID of the service account {clientEmail} under Security → Access and data control → API controls → Domain-wide delegation with the scope {scope}",
    params: ['clientEmail', 'mailbox', 'answer', 'scope'],
  },
  oauth2_private_key_refused: {
    en: 'Google refused the key of service account {clientEmail} (Google answered {answer}): set a current key of the service account in mail.oauth2.serviceAccount.privateKey',
    params: ['clientEmail', 'answer'],
  },
  oauth2_operator_key_refused: {
    en: "Google refused the key of service account {clientEmail} (Google answered {answer}): the operator's GOOGLE_SERVICE_ACCOUNT_JSON needs a current key: tell the operator",
    params: ['clientEmail', 'answer'],
  },
  oauth2_private_key_unusable: {
    en: 'the private key of service account {clientEmail} cannot sign (mail.oauth2.serviceAccount.privateKey)',
    params: ['clientEmail'],
  },
  oauth2_mailbox_unknown: { en: 'Google knows no active mailbox {mailbox} (Google answered {answer})', params: ['mailbox', 'answer'] },
  oauth2_google_token_refused: {
    en: "Google refused a token for {mailbox} (Google answered {answer}): the mailbox must exist in the customer's Workspace, and mail.oauth2.serviceAccount must be a service account of it",
    params: ['mailbox', 'answer'],
  },
  oauth2_no_microsoft_app: {
    en: "no Microsoft app to log in with: set mail.oauth2.clientId and mail.oauth2.clientSecret (the operator's MICROSOFT_CLIENT_ID is not configured)",
    params: [],
  },
  oauth2_no_service_account: {
    en: "no service account to log in with: set mail.oauth2.serviceAccount (the operator's GOOGLE_SERVICE_ACCOUNT_JSON is not configured)",
    params: [],
  },
  oauth2_directory_missing: { en: 'mail.oauth2.directoryId is missing', params: [] },
  oauth2_endpoint_refused: { en: 'the {provider} token endpoint {host} is refused by the network guard: {cause}', params: ['provider', 'host', 'causeCode'] },
  oauth2_endpoint_unreachable: { en: 'the {provider} token endpoint could not be reached ({error}); retried later', params: ['provider', 'error'] },
  oauth2_endpoint_unavailable: { en: 'the {provider} token endpoint answered HTTP {status}; retried later', params: ['provider', 'status'] },
  oauth2_endpoint_unavailable_error: {
    en: 'the {provider} token endpoint answered HTTP {status} ({error}); retried later',
    params: ['provider', 'status', 'error'],
  },
  oauth2_token_refused_by_gmail: {
    en: "Gmail refused the OAuth token for {mailbox} twice ({reply}): check the domain-wide delegation of the service account of mail.oauth2 (scope {scope}) and that {mailbox} is a mailbox of the customer's Workspace",
    params: ['mailbox', 'reply', 'scope'],
  },
  oauth2_token_refused_by_exchange: {
    en: "Exchange refused the OAuth token for {mailbox} twice ({reply}): the app of mail.oauth2 needs the permission SMTP.SendAsApp with admin consent, and Exchange needs the app's service principal (New-ServicePrincipal) with rights on {mailbox} (Add-MailboxPermission -AccessRights FullAccess, or an RBAC for applications role)",
    params: ['mailbox', 'reply'],
  },
  oauth2_smtp_auth_disabled: {
    en: 'Exchange has SMTP AUTH switched off for {mailbox} ({reply}): enable Authenticated SMTP for the mailbox (Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false), or set mail.transport to "graph" (Microsoft Graph sendMail, permission Mail.Send)',
    params: ['mailbox', 'reply'],
  },
  oauth2_smtp_auth_disabled_login: {
    en: 'Exchange has SMTP AUTH switched off for the login mailbox ({reply}): enable Authenticated SMTP for the mailbox (Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false), or set mail.transport to "graph" (Microsoft Graph sendMail, permission Mail.Send)',
    params: ['reply'],
  },
  oauth2_basic_auth_unsupported: {
    en: 'Microsoft 365 no longer accepts password logins ({reply}): switch the tenant to the microsoft365 preset (mail.preset "microsoft365" with mail.oauth2), which logs in with OAuth 2.0',
    params: ['reply'],
  },
  oauth2_xoauth2_missing: { en: '{target} offers no AUTH XOAUTH2; check mail.host and mail.port ({expected} with STARTTLS)', params: ['target', 'expected'] },
  graph_token_refused: {
    en: 'Microsoft Graph refused the token for {mailbox} twice ({reply}): check that the app has the Microsoft Graph permission Mail.Send (application) with admin consent (mail.oauth2)',
    params: ['mailbox', 'reply'],
  },
  graph_access_denied: {
    en: 'Microsoft Graph denied the app access to {mailbox} ({reply}): the app needs the Microsoft Graph permission Mail.Send (application) with admin consent, and an application access policy or RBAC for applications scope that covers {mailbox} (mail.oauth2)',
    params: ['mailbox', 'reply'],
  },
  graph_busy: { en: 'Microsoft Graph is busy ({reply}); retried later', params: ['reply'] },
  graph_busy_retry_after: { en: 'Microsoft Graph is busy ({reply}, Retry-After {seconds} s); retried later', params: ['reply', 'seconds'] },
  // --- Field errors of mail.oauth2 and mail.transport ---
  pem_private_key: { en: 'must be a PEM private key (private_key of the service account JSON key, -----BEGIN PRIVATE KEY-----)', params: [] },
  entra_directory_id: { en: "must be the Entra directory (tenant) id, a GUID, or the directory's primary domain such as kunde.onmicrosoft.com", params: [] },
  service_account_email: { en: 'must be the client_email of the service account', params: [] },
  oauth2_transport_microsoft_only: { en: 'mail.transport is for the microsoft365 preset only; leave it out', params: [] },
  oauth2_not_for_preset: {
    en: 'the {preset} preset logs in with mail.username and mail.password; mail.oauth2 is for microsoft365 and google-workspace',
    params: ['preset'],
  },
  oauth2_no_username: { en: 'the {preset} preset logs in with OAuth 2.0 (mail.oauth2), never with a password; leave this out', params: ['preset'] },
  oauth2_no_password: {
    en: 'the {preset} preset logs in with OAuth 2.0 (mail.oauth2), never with a password; leave this out (send null to remove a stored password)',
    params: ['preset'],
  },
  oauth2_directory_required: {
    en: "the microsoft365 preset needs the customer's Entra directory (tenant) id or primary domain in mail.oauth2.directoryId",
    params: [],
  },
  oauth2_service_account_google_only: { en: 'a service account is for google-workspace; leave it out', params: [] },
  oauth2_client_secret_required: { en: 'an own app (mail.oauth2.clientId) needs its client secret in mail.oauth2.clientSecret', params: [] },
  oauth2_client_id_required: {
    en: "a client secret needs the id of its app in mail.oauth2.clientId (or send clientSecret: null to use the operator's app)",
    params: [],
  },
  oauth2_operator_app_missing: {
    en: "the operator offers no Microsoft app (MICROSOFT_CLIENT_ID is not set): register an app in the customer's Entra ID and give mail.oauth2.clientId and clientSecret",
    params: [],
  },
  oauth2_microsoft_field_only: { en: '{field} is for microsoft365; google-workspace uses mail.oauth2.serviceAccount', params: ['field'] },
  oauth2_private_key_required: {
    en: 'an own service account needs its private key (private_key of its JSON key) in mail.oauth2.serviceAccount.privateKey',
    params: [],
  },
  oauth2_operator_account_missing: {
    en: "the operator offers no service account (GOOGLE_SERVICE_ACCOUNT_JSON is not set): give the customer's own in mail.oauth2.serviceAccount {clientEmail, privateKey}",
    params: [],
  },
  // A refused OAuth login parks the tenant: {cause} says what to fix.
  login_refused_fix: { en: "{cause}; the tenant's queue is parked until its mail settings change", params: ['causeCode'] },
  oauth2_client_secret_expiring: {
    en: 'the client secret of mail.oauth2 expires on {expiresAt} (in {days} days): create a new client secret for app {clientId} in Entra ID (Certificates & secrets) and set mail.oauth2.clientSecret and mail.oauth2.clientSecretExpiresAt',
    params: ['expiresAt', 'days', 'clientId'],
  },
  oauth2_client_secret_expired: {
    en: 'the client secret of mail.oauth2 expired on {expiresAt}: create a new client secret for app {clientId} in Entra ID (Certificates & secrets) and set mail.oauth2.clientSecret and mail.oauth2.clientSecretExpiresAt',
    params: ['expiresAt', 'clientId'],
  },
});
