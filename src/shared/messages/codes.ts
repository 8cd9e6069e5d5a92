/**
 * Every message code the service emits, with its English template and the parameters it takes.
 * Problems, field errors, verify steps, delivery errors, sender rewrites and mail health all draw
 * their `code` from here; clients translate by code and fill in `params`. Plain data on purpose:
 * the console and tests read it without loading the service.
 */
export interface MessageDefinition {
  /** English template; `{name}` is replaced by the parameter of that name. */
  readonly en: string;
  readonly params: readonly string[];
}

const define = <T extends Record<string, MessageDefinition>>(messages: T): T => messages;

export const MESSAGES = define({
  // --- Problems (the `code` of a problem+json answer) ---
  malformed_json: { en: 'the body is not valid JSON', params: [] },
  body_not_utf8: { en: 'the body must be UTF-8 JSON', params: [] },
  payload_too_large: { en: 'the request body is over 1 MiB', params: [] },
  validation_failed: { en: 'the request breaks the schema: {fields}', params: ['fields'] },
  storage_full: { en: 'the database has no space left for writes; nothing was stored: retry later', params: [] },
  database_unreachable: { en: 'the database is not reachable', params: [] },
  internal_error: { en: 'the service failed unexpectedly; the error is logged', params: [] },
  api_key_missing: { en: 'send the API key as "Authorization: Bearer <key>"', params: [] },
  api_key_unknown: { en: 'the API key is not known', params: [] },
  api_key_expired: { en: 'the API key has expired', params: [] },
  metrics_token_missing: { en: 'send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"', params: [] },
  metrics_token_wrong: { en: 'the metrics token is not the one configured in METRICS_TOKEN', params: [] },
  admin_key_required: { en: 'this endpoint needs the admin key', params: [] },
  endpoint_not_found: { en: 'no endpoint {method} {path}', params: ['method', 'path'] },
  method_not_allowed: { en: 'this path accepts {allowed}', params: ['allowed'] },
  tenant_not_found: { en: 'no such tenant', params: [] },
  api_key_not_found: { en: 'the tenant has no such API key', params: [] },
  notification_not_found: { en: 'no such notification', params: [] },
  test_mail_removed: { en: 'the test mail was removed (tenant offboarded?)', params: [] },
  alert_run_not_found: { en: 'no such alert run', params: [] },
  deadline_not_found: { en: 'the tenant has no deadline for ticket {ticketId}', params: ['ticketId'] },
  console_not_built: { en: 'the console is not built; run `npm run build`', params: [] },
  tenant_id_mismatch: { en: "the body's id {bodyId} is not the tenant of the path", params: ['bodyId'] },
  idempotency_key_invalid: { en: 'the Idempotency-Key header must be 1 to 200 printable ASCII characters', params: [] },
  idempotency_key_reused: { en: 'this Idempotency-Key was used before with a different request body', params: [] },
  notification_not_failed: { en: 'the notification is {status}; only a failed notification can be retried', params: ['status'] },
  notification_retried_meanwhile: { en: 'the notification was retried meanwhile', params: [] },
  cursor_unknown: { en: 'the cursor is not one this service handed out', params: [] },
  tenant_settings_not_allowed: { en: '{violations}', params: ['violations'] },
  alert_run_date_in_future: {
    en: '{date} is in the future in {timezone}; an alert run can only be started for today or an earlier day',
    params: ['date', 'timezone'],
  },
  rate_limited: { en: 'rate limit exceeded; retry after {retryAfterSeconds} s', params: ['retryAfterSeconds'] },

  // --- Field errors (`errors[].code`): zod issue kinds ---
  invalid_type: { en: 'expected {expected}', params: ['expected'] },
  too_small: { en: 'too small: expected {origin} to have at least {minimum}', params: ['origin', 'minimum'] },
  too_big: { en: 'too big: expected {origin} to have at most {maximum}', params: ['origin', 'maximum'] },
  invalid_format: { en: 'invalid {format}', params: ['format'] },
  invalid_value: { en: 'must be one of {values}', params: ['values'] },
  unrecognized_keys: { en: 'unknown field(s): {keys}', params: ['keys'] },
  invalid_union: { en: 'matches none of the allowed forms', params: [] },
  invalid_key: { en: 'invalid key', params: [] },
  invalid_element: { en: 'invalid element', params: [] },
  not_multiple_of: { en: 'must be a multiple of {divisor}', params: ['divisor'] },
  invalid: { en: 'invalid', params: [] },
  // --- Field errors: the service's own rules ---
  no_line_breaks: { en: 'must not contain line breaks (CR, LF, U+2028, U+2029) or NUL', params: [] },
  no_nul: { en: 'must not contain NUL', params: [] },
  plain_address: { en: 'must be a plain address local@domain (no display name, quotes, comments or groups)', params: [] },
  sender_pattern: { en: 'must be an exact address local@domain or *@domain', params: [] },
  host_name: { en: 'must be a host name or an IP address', params: [] },
  pem_certificate: { en: 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)', params: [] },
  calendar_date: { en: 'must be a real calendar date', params: [] },
  recipient_count: { en: 'to and cc together must name 1 to {maximum} recipients (got {count})', params: ['maximum', 'count'] },
  must_equal_path_tenant: { en: 'must equal the tenant id of the path ({tenantId})', params: ['tenantId'] },
  unknown_cursor: { en: 'unknown cursor', params: [] },
  status_not_failed: { en: 'is {status}, not failed', params: ['status'] },
  status_no_longer_failed: { en: 'is no longer failed', params: [] },
  hosted_preset_unavailable: {
    en: 'the hosted preset is not available: the operator has not configured HOSTED_SMTP_URL and HOSTED_SENDER',
    params: [],
  },
  hosted_preset_field_forbidden: { en: "the hosted preset uses the operator's mail host; leave this out", params: [] },
  preset_sender_fixed: { en: 'the {preset} preset sends only as {sender}; leave this out', params: ['preset', 'sender'] },
  custom_host_required: { en: 'the custom preset needs the mail host', params: [] },
  preset_sends_as_mailbox: { en: 'the {preset} preset sends only as the mailbox address; leave this out', params: ['preset'] },
  gmx_username_required: {
    en: 'the gmx preset needs the mailbox address as login (e.g. kunde@gmx.ch); it is also the only sender',
    params: [],
  },
  alert_sender_fixed: {
    en: 'the {preset} preset sends only as {sender}; leave alertSender.address out or set it to {sender}',
    params: ['preset', 'sender'],
  },
  alert_sender_required: { en: 'the {preset} preset needs the alert address (alertSender.address)', params: ['preset'] },
  alert_sender_not_allowed: {
    en: '{address} is not allowed as sender by mail.allowedSenders ({allowedSenders}); use an address these patterns cover or add it to mail.allowedSenders',
    params: ['address', 'allowedSenders'],
  },
  mail_host_private: {
    en: 'the mail host {host} resolves to a loopback, private, link-local or otherwise non-public address, which tenants may not reach (operators can allow it with SMTP_ALLOW_PRIVATE_HOSTS=true)',
    params: ['host'],
  },
  mail_host_unresolvable: { en: 'the mail host {host} could not be resolved', params: ['host'] },
  security_none_private_only: {
    en: 'security "none" is accepted only for hosts on loopback or private networks when the operator sets SMTP_ALLOW_PRIVATE_HOSTS=true; use starttls or tls',
    params: [],
  },
  security_none_public_host: {
    en: 'security "none" would send the password in clear over the internet to {host}; it is accepted only for hosts on loopback or private networks; use starttls or tls',
    params: ['host'],
  },
  demo_preset_unavailable: {
    en: 'the demo preset is switched off on this service (DEMO_PRESET=false): it sends as a shared demo mailbox and is not for production; choose another preset',
    params: [],
  },

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
    en: 'the host refused {address} as sender: {reply} — mail.allowedSenders ({allowedSenders}) lets personal mail go out as {address}, so it would fail: remove {pattern} from allowedSenders (such mail then goes out via the alert address with Reply-To), or let the login send as {domainPattern} on the host, or use the hosted preset',
    params: ['address', 'reply', 'allowedSenders', 'pattern', 'domainPattern'],
  },
  verify_listed_sender_refused: {
    en: 'the host refused {address} as sender: {reply} — mail.allowedSenders ({allowedSenders}) lets personal mail go out as {address}, so it would fail: list only the addresses the host accepts in allowedSenders (such mail then goes out via the alert address with Reply-To), or let the login send as {domainPattern} on the host, or use the hosted preset',
    params: ['address', 'reply', 'allowedSenders', 'domainPattern'],
  },
  verify_other_sender_refused: {
    en: 'the host refused {address} as sender: {reply} — personal mail from it goes out via the alert address with Reply-To; to send as the author instead, let the login send as {domainPattern} on the host and add {domainPattern} to allowedSenders, or use the hosted preset',
    params: ['address', 'reply', 'domainPattern'],
  },
  verify_alert_sender_accepted: { en: 'the host accepts {address} as sender (alert address)', params: ['address'] },
  verify_allowed_sender_accepted: { en: 'the host accepts {address} as sender; personal mail from it goes out as the author', params: ['address'] },
  verify_unlisted_sender_accepted: {
    en: 'the host accepts {address} as sender, but mail.allowedSenders ({allowedSenders}) does not list it, so personal mail from it goes out via the alert address; add {domainPattern} to allowedSenders to send as the author',
    params: ['address', 'allowedSenders', 'domainPattern'],
  },

  // --- Delivery outcomes (`lastErrorCode`; a parked tenant's `reasonCode`) ---
  delivery_unexpected_error: { en: 'unexpected delivery error: {error}', params: ['error'] },
  login_refused: {
    en: "the mail host refused the login (the host answered: {reply}); the tenant's queue is parked until its mail settings (mail.username, mail.password) change",
    params: ['reply'],
  },
  login_refused_no_reply: {
    en: "the mail host refused the login; the tenant's queue is parked until its mail settings (mail.username, mail.password) change",
    params: [],
  },
  sender_refused: {
    en: 'the mail host refused the sender {sender} (the host answered: {reply}); fix the tenant setting mail.allowedSenders so that it lists only addresses this host lets the login send as',
    params: ['sender', 'reply'],
  },
  tls_failed: {
    en: 'TLS failed: {error}; check mail.security (starttls needs a host that offers STARTTLS) and, for a host with its own CA, mail.caCertificate',
    params: ['error'],
  },
  temporary_failure: { en: 'temporary failure at {phase} (the host answered: {reply})', params: ['phase', 'reply'] },
  temporary_failure_no_reply: { en: 'temporary failure at {phase}', params: ['phase'] },
  message_refused: { en: 'the mail host refused the message at {phase} (the host answered: {reply})', params: ['phase', 'reply'] },
  message_refused_no_reply: { en: 'the mail host refused the message at {phase}', params: ['phase'] },
  connection_failed: { en: '{errorCode}: {error}', params: ['errorCode', 'error'] },
  delivery_failed: { en: '{error}', params: ['error'] },
  // {cause} is the text of the code in causeCode, filled from the same params.
  gave_up: { en: 'gave up after {attempts} tries: {cause}', params: ['attempts', 'causeCode'] },
  tenant_gone: { en: 'the tenant no longer exists', params: [] },
  tenant_parked: { en: "the tenant's mail host refused the login; waiting for its mail settings to change", params: [] },
  delivery_interrupted: { en: 'delivery was interrupted {interruptions} times (the process stopped while sending); set aside', params: ['interruptions'] },
  recipients_temporarily_refused: { en: 'temporary failure at rcpt, retried for these recipients: {refusals}', params: ['refusals'] },

  /** A text stored before codes were stored with it (rows of earlier versions). */
  stored_text: { en: '{text}', params: ['text'] },

  // --- Sender rewrites (`rewriteReasonCode`) ---
  sender_rewritten_hosted: { en: 'the hosted mail service sends only as {allowedSenders}; {address} is shown as Reply-To', params: ['allowedSenders', 'address'] },
  sender_rewritten_mailbox: {
    en: 'the GMX mailbox sends only as its own address {allowedSenders}; {address} is shown as Reply-To',
    params: ['allowedSenders', 'address'],
  },
  sender_rewritten_policy: {
    en: "the tenant's mail host allows only {allowedSenders} as sender (mail.allowedSenders); {address} is shown as Reply-To",
    params: ['allowedSenders', 'address'],
  },

  // --- Mail health: `reasonCode` is a delivery outcome above; `warnings[].code` come from the warning sources ---
  sender_refusals_24h: {
    en: 'the mail host refused {addresses} as sender in the last 24 hours; their mail goes out via the alert address with Reply-To',
    params: ['addresses'],
  },
  client_secret_expiring: { en: 'the client secret expires on {expiresAt}; renew it before then', params: ['expiresAt'] },
});

export type MessageCode = keyof typeof MESSAGES;
export type MessageParams = Record<string, string | number>;

/** A message as the API shows it: the English text beside its code and parameters. */
export interface Message {
  code: MessageCode;
  params: MessageParams;
  message: string;
}
