import { define } from './define';

/** The codes of delivery outcomes, sender rewrites and mail health: `lastErrorCode`, `rewriteReasonCode`, `reasonCode`, `warnings[].code`. */
export const DELIVERY_MESSAGES = define({
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
  alert_sender_refused_by_host: {
    en: 'the mail host refused the alert address (alertSender) {sender} (the host answered: {reply}); set the tenant setting alertSender to an address this host lets the login send as, and list only such addresses in mail.allowedSenders',
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
  sender_rewritten_hosted: {
    en: 'the hosted mail service sends only as {allowedSenders}; {address} is shown as Reply-To',
    params: ['allowedSenders', 'address'],
  },
  sender_rewritten_mailbox: {
    en: 'the GMX mailbox sends only as its own address {allowedSenders}; {address} is shown as Reply-To',
    params: ['allowedSenders', 'address'],
  },
  sender_rewritten_policy: {
    en: "the tenant's mail host allows only {allowedSenders} as sender (mail.allowedSenders); {address} is shown as Reply-To",
    params: ['allowedSenders', 'address'],
  },

  sender_refused_sent_again: {
    en: "the tenant's mail host refused {address} as sender (the host answered: {reply}) although mail.allowedSenders covers it with {pattern}; sent again from the alert address with {address} as Reply-To",
    params: ['address', 'reply', 'pattern'],
  },
  sender_refused_sent_again_any: {
    en: "the tenant's mail host refused {address} as sender (the host answered: {reply}) although mail.allowedSenders is empty (any sender); sent again from the alert address with {address} as Reply-To",
    params: ['address', 'reply'],
  },
  sender_refused_earlier: {
    en: "the tenant's mail host refused {address} as sender at {refusedAt} (the host answered: {reply}) although mail.allowedSenders covers it with {pattern}; for 24 hours its mail goes from the alert address with {address} as Reply-To",
    params: ['address', 'refusedAt', 'reply', 'pattern'],
  },
  sender_refused_earlier_any: {
    en: "the tenant's mail host refused {address} as sender at {refusedAt} (the host answered: {reply}) although mail.allowedSenders is empty (any sender); for 24 hours its mail goes from the alert address with {address} as Reply-To",
    params: ['address', 'refusedAt', 'reply'],
  },

  // --- Mail health: `reasonCode` is a delivery outcome above; `warnings[].code` come from the warning sources (and oauthCodes) ---
  // Not `sender_refused`: that is the failure of one message, with other params.
  senders_refused: {
    en: 'the mail host refused {addresses} as sender in the last 24 hours although mail.allowedSenders covers them; their mail goes from the alert address with Reply-To. Let the login send as them on the host, or narrow mail.allowedSenders',
    params: ['addresses'],
  },
});
