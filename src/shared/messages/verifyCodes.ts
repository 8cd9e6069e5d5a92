import { define } from './define';

/** The codes of verify steps (`steps[].code`): what each step of POST …/mail/verify found. */
export const VERIFY_MESSAGES = define({
  // --- Verify steps (`steps[].code`) ---
  verify_connected: { en: 'connected to {target} ({address})', params: ['target', 'address'] },
  verify_connected_smtp: { en: 'connected to {target} ({address}); the host greets as an SMTP server', params: ['target', 'address'] },
  verify_connect_refused: { en: 'could not connect to {target}: the connection was refused (nothing listens on that port)', params: ['target'] },
  verify_connect_reset: { en: 'could not connect to {target}: the host reset the connection', params: ['target'] },
  verify_connect_unreachable: { en: 'could not connect to {target}: the host is unreachable', params: ['target'] },
  verify_connect_failed: { en: 'could not connect to {target}: {error}', params: ['target', 'error'] },
  verify_tls_implicit: { en: 'implicit TLS established; the certificate of {host} is valid', params: ['host'] },
  verify_tls_implicit_pinned: { en: 'implicit TLS established; the certificate of {host} is valid for the pinned mail.caCertificate', params: ['host'] },
  verify_starttls: { en: 'STARTTLS established; the certificate of {host} is valid', params: ['host'] },
  verify_starttls_pinned: { en: 'STARTTLS established; the certificate of {host} is valid for the pinned mail.caCertificate', params: ['host'] },
  verify_tls_skipped_none: { en: 'not tried: mail.security is "none" (allowed for private hosts only)', params: [] },
  verify_starttls_missing: {
    en: '{host} does not offer STARTTLS, which mail.security "starttls" requires; the password was not sent. Enable STARTTLS on the host, or use port 465 with security "tls"',
    params: ['host'],
  },
  verify_starttls_refused: { en: 'the host refused STARTTLS: {reply}; the password was not sent', params: ['reply'] },
  verify_tls_timeout: { en: 'the TLS handshake with {host} did not finish within {seconds} s', params: ['host', 'seconds'] },
  verify_certificate_invalid: {
    en: 'the certificate of {host} could not be verified ({reason}) — if the host uses a self-signed or private-CA certificate, pin that CA in mail.caCertificate; the password was not sent',
    params: ['host', 'reason'],
  },
  verify_certificate_not_pinned_ca: {
    en: 'the certificate of {host} could not be verified ({reason}) — the certificate is not issued by the CA pinned in mail.caCertificate (or does not name the host); pin the CA that issued it; the password was not sent',
    params: ['host', 'reason'],
  },
  verify_greeting_refused: { en: 'the host did not greet as an SMTP server is ready to: {reply}', params: ['reply'] },
  verify_ehlo_refused: { en: 'the host refused EHLO and HELO: {reply}', params: ['reply'] },
  verify_auth_skipped: { en: 'not tried: no login (mail.username and password) configured', params: [] },
  verify_logged_in: { en: 'logged in as {username}', params: ['username'] },
  verify_auth_no_mechanism: {
    en: 'the host offers no login by AUTH PLAIN or LOGIN{mechanisms}; check host and port (port 25 is usually not for submission; use 587 or 465)',
    params: ['mechanisms'],
  },
  verify_login_refused: {
    en: 'the host refused the login for {username}: {reply} — the user name or password is wrong; check mail.username and set mail.password again',
    params: ['username', 'reply'],
  },
  verify_login_refused_mandrill: {
    en: 'the host refused the login for {username}: {reply} — the user name or password is wrong; check mail.username and set mail.password again (for Mandrill the password is an API key)',
    params: ['username', 'reply'],
  },
  verify_login_refused_gmx: {
    en: 'the host refused the login for {username}: {reply} — the user name or password is wrong; check mail.username and set mail.password again (GMX also needs "POP3/IMAP access" enabled in the mailbox settings)',
    params: ['username', 'reply'],
  },
  verify_login_failed: { en: 'the login for {username} failed: {reply}', params: ['username', 'reply'] },
  verify_login_failed_temporary: {
    en: 'the login for {username} failed: {reply} (a temporary problem of the host; try again later)',
    params: ['username', 'reply'],
  },
  verify_timeout: { en: 'the host did not answer within {seconds} s', params: ['seconds'] },
  connection_refused: { en: 'the connection was refused (nothing listens on that port)', params: [] },
  connection_reset: { en: 'the host reset the connection', params: [] },
  host_unreachable: { en: 'the host is unreachable', params: [] },
  network_error: { en: '{error}', params: ['error'] },
  verify_step_not_tried: { en: 'not tried: the {failedStep} step failed', params: ['failedStep'] },
  verify_sender_temporary: { en: 'the host answered {address} with a temporary error: {reply}; try again later', params: ['address', 'reply'] },
  verify_recipient_refused: {
    en: 'the host accepted {address} as sender but refused the test recipient {recipient}: {reply}',
    params: ['address', 'recipient', 'reply'],
  },
  verify_mail_from_refused: { en: 'the host refused MAIL FROM:<{address}>, not for the sender itself: {reply}', params: ['address', 'reply'] },
  verify_alert_sender_refused: {
    en: 'the host refused {address} as sender: {reply} — alert digests cannot go out from it: set alertSender to an address this login may send as, or let the login send as {address} on the host, or use the hosted preset',
    params: ['address', 'reply'],
  },
  verify_allowed_sender_refused: {
    en: 'the host refused {address} as sender: {reply} — mail.allowedSenders ({allowedSenders}) lets personal mail go out as {address}, which the host refuses (such mail is sent again via the alert address): remove {pattern} from allowedSenders, or let the login send as {domainPattern} on the host, or use the hosted preset',
    params: ['address', 'reply', 'allowedSenders', 'pattern', 'domainPattern'],
  },
  verify_allowed_sender_refused_elsewhere: {
    en: 'the host refused {address} as sender: {reply} — mail.allowedSenders ({allowedSenders}) lets personal mail go out as {address}, which the host refuses (such mail is sent again via the alert address): remove {pattern} from allowedSenders, or use the hosted preset',
    params: ['address', 'reply', 'allowedSenders', 'pattern'],
  },
  verify_listed_sender_refused: {
    en: 'the host refused {address} as sender: {reply} — mail.allowedSenders ({allowedSenders}) lets personal mail go out as {address}, which the host refuses (such mail is sent again via the alert address): list only the addresses the host accepts in allowedSenders, or let the login send as {domainPattern} on the host, or use the hosted preset',
    params: ['address', 'reply', 'allowedSenders', 'domainPattern'],
  },
  verify_listed_sender_refused_elsewhere: {
    en: 'the host refused {address} as sender: {reply} — mail.allowedSenders ({allowedSenders}) lets personal mail go out as {address}, which the host refuses (such mail is sent again via the alert address): list only the addresses the host accepts in allowedSenders, or use the hosted preset',
    params: ['address', 'reply', 'allowedSenders'],
  },
  verify_unlisted_sender_refused: {
    en: 'the host refused {address} as sender: {reply} — as expected: mail.allowedSenders does not list it, so personal mail from it goes out via the alert address with Reply-To',
    params: ['address', 'reply'],
  },
  verify_alert_sender_accepted: { en: 'the host accepts {address} as sender (alert address)', params: ['address'] },
  verify_allowed_sender_accepted: { en: 'the host accepts {address} as sender; personal mail from it goes out as the author', params: ['address'] },
  verify_unlisted_sender_accepted: {
    en: 'the host accepts {address} as sender, but mail.allowedSenders ({allowedSenders}) does not list it, so personal mail from it goes out via the alert address; add {domainPattern} to allowedSenders to send as the author',
    params: ['address', 'allowedSenders', 'domainPattern'],
  },
  verify_foreign_sender_accepted: {
    en: 'the host accepts {address} as sender, but mail.allowedSenders ({allowedSenders}) does not list it, so personal mail from it goes out via the alert address, as it should: {domain} is not a domain of this tenant (its alert address and allowedSenders)',
    params: ['address', 'allowedSenders', 'domain'],
  },

  // --- Verify of OAuth 2.0 tenants (microsoft365, google-workspace) ---
  verify_token_failed: { en: 'no token: {cause}', params: ['causeCode'] },
  verify_token_delegated: { en: 'a token to act as {mailbox} was obtained (domain-wide delegation works for it)', params: ['mailbox'] },
  verify_token_role_missing: {
    en: 'a token was obtained, but it grants no {role} (roles: {roles}): in Entra ID → App registrations → {clientId} → API permissions, add the application permission {permission} and grant admin consent',
    params: ['role', 'roles', 'clientId', 'permission'],
  },
  verify_token_granted: { en: 'a token of app {clientId} was obtained; it grants {role}', params: ['clientId', 'role'] },
  verify_graph_no_smtp: { en: 'not tried: mail.transport is "graph" (Microsoft Graph sendMail, no SMTP)', params: [] },
  verify_graph_sender_unchecked: {
    en: "not tried: Graph cannot check a sender without sending; a refusal (ErrorSendAsDenied) shows in the notification's status",
    params: [],
  },
  verify_sender_not_covered: {
    en: 'not tried: mail.allowedSenders does not cover {address}, so personal mail from it goes out via the alert address',
    params: ['address'],
  },
  verify_sender_login_failed: { en: 'logging in as {address} failed ({failedStep}): {cause}', params: ['address', 'failedStep', 'causeCode'] },
  verify_xoauth2_missing: { en: '{target} offers no AUTH XOAUTH2; check mail.host and mail.port', params: ['target'] },
  verify_xoauth2_logged_in: { en: 'logged in as {mailbox} with an OAuth token (AUTH XOAUTH2)', params: ['mailbox'] },
  verify_xoauth2_temporary: { en: 'the login as {mailbox} failed for now: {reply}; try again later', params: ['mailbox', 'reply'] },
});
