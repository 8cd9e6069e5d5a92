import { DELIVERY_MESSAGES } from './deliveryCodes';
import { define } from './define';
import { OAUTH_MESSAGES } from './oauthCodes';
import { VERIFY_MESSAGES } from './verifyCodes';

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
  ...VERIFY_MESSAGES,
  ...DELIVERY_MESSAGES,
  ...OAUTH_MESSAGES,
});

export type MessageCode = keyof typeof MESSAGES;
export type MessageParams = Record<string, string | number | string[]>;

/** A message as the API shows it: the English text beside its code and parameters. */
export interface Message {
  code: MessageCode;
  params: MessageParams;
  message: string;
}
