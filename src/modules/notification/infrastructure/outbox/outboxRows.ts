import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { domainOf } from '../../../../shared/mail/address';
import type { MailAddress } from '../../../../shared/mail/MailAddress';
import type { MessageKind, OutgoingMail } from '../../domain/OutgoingMail';
import type { MessageStatus, OutboxMessage } from '../../domain/OutboxMessage';
import type { QueuedMessage } from '../../domain/TransactionalOutbox';
import { rewriteReasonColumn, storedMessage, storedRewriteReason } from './storedMessage';

export const TABLE = 'outbox_messages';
/** The bodies live apart from the state that every try rewrites (migration 0006). */
export const BODIES = 'outbox_bodies';
/** State and bodies as one row; an INSERT here writes both tables in one statement. */
export const MAILS = 'outbox_mails';
/** Rows per INSERT: ~24 columns each, inside SQLite's limits (at most 500 rows per statement). */
export const INSERT_BATCH = 200;

/**
 * The state columns a message is stored with, in the order of the INSERT's values. The type of
 * a new row is made from this list, so that a column missing here cannot be set in `newMessage`.
 */
export const ROW_COLUMNS = [
  'id',
  'tenant_id',
  'kind',
  'status',
  'attempts',
  'next_attempt_at',
  'envelope_from',
  'from_json',
  'reply_to_json',
  'to_json',
  'cc_json',
  'subject',
  'ticket_json',
  'message_id',
  'sender_rewritten',
  'rewrite_reason',
  'auto_submitted',
  'last_error',
  'idempotency_key',
  'request_hash',
  'created_at',
  'envelope_to_json',
] as const;
export type NewRow = Pick<OutboxRow, (typeof ROW_COLUMNS)[number]>;

export interface BodyRow {
  id: string;
  text_body: string;
  html_body: string | null;
  /** A BodySnapshot as JSON when the bodies are rendered at send time (migration 0017); text_body is then empty. */
  snapshot_json: string | null;
}

/** The body columns, in the order of the INSERTs and the reads. */
export const BODY_COLUMNS = ['text_body', 'html_body', 'snapshot_json'] as const;

/** A message to store: its state row and its bodies. */
export interface NewMessage {
  row: NewRow;
  body: BodyRow;
}

export interface OutboxRow {
  id: string;
  tenant_id: string;
  kind: string;
  status: string;
  attempts: number;
  interruptions: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  envelope_from: string;
  from_json: string;
  reply_to_json: string | null;
  to_json: string;
  cc_json: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  snapshot_json: string | null;
  ticket_json: string | null;
  message_id: string;
  sender_rewritten: boolean | number;
  rewrite_reason: string | null;
  auto_submitted: boolean | number;
  last_error: string | null;
  last_error_code: string | null;
  last_error_params: string | null;
  rejected_recipients_json: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: number;
  sent_at: number | null;
  envelope_to_json: string | null;
}

/** A new mail as it is stored: queued, due now. */
export function newMessage(mail: OutgoingMail, now: number, idempotency?: { key: string; requestHash: string }, ids?: QueuedMessage): NewMessage {
  const id = ids?.id ?? messageIdFor(now);
  const row: NewRow = {
    id,
    tenant_id: mail.tenantId,
    kind: mail.kind,
    status: 'queued',
    attempts: 0,
    next_attempt_at: now,
    envelope_from: mail.envelopeFrom,
    from_json: JSON.stringify(mail.from),
    reply_to_json: mail.replyTo ? JSON.stringify(mail.replyTo) : null,
    to_json: JSON.stringify(mail.to),
    cc_json: JSON.stringify(mail.cc),
    subject: mail.subject,
    ticket_json: mail.ticket ? JSON.stringify(mail.ticket) : null,
    message_id: ids?.messageId ?? newMessageId(mail),
    sender_rewritten: mail.senderRewritten,
    rewrite_reason: rewriteReasonColumn(mail.rewriteReason),
    auto_submitted: mail.autoSubmitted,
    last_error: null,
    idempotency_key: idempotency?.key ?? null,
    request_hash: idempotency?.requestHash ?? null,
    created_at: now,
    envelope_to_json: null,
  };
  return { row, body: { id, text_body: mail.text, html_body: mail.html ?? null, snapshot_json: mail.snapshot ? JSON.stringify(mail.snapshot) : null } };
}

/**
 * The message again, for the recipients a host refused for now: same Message-ID, Date and
 * headers, queued for `at`, its tries counted on from the original's.
 */
export function retryMessage(original: OutboxRow, id: string, at: number, lastError: string, addresses: string[]): NewMessage {
  const row = Object.fromEntries(ROW_COLUMNS.map((column) => [column, original[column]])) as NewRow;
  return {
    row: {
      ...row,
      id,
      status: 'queued',
      next_attempt_at: at,
      last_error: lastError,
      idempotency_key: null,
      request_hash: null,
      envelope_to_json: JSON.stringify(addresses),
    },
    body: { id, text_body: original.text_body, html_body: original.html_body, snapshot_json: original.snapshot_json },
  };
}

/**
 * The rows of the due index (migration 0018): mail still to be sent. A query that reads the index
 * states this condition as written there: SQLite uses a partial index only when the query's WHERE
 * holds the index's own terms, which a bound parameter never matches.
 */
export const IN_DUE_INDEX = "status in ('queued', 'sending', 'parked')";

/** Queued and due, or sending with an expired lease; `status` as the caller names the column. */
export function due(query: Knex.QueryBuilder, now: number, status?: Knex.Raw): Knex.QueryBuilder {
  const is = (where: Knex.QueryBuilder, value: string): Knex.QueryBuilder => (status ? where.where(status, '=', value) : where.where('status', '=', value));
  return query
    .where((queued) => is(queued, 'queued').where('next_attempt_at', '<=', now))
    .orWhere((expired) => is(expired, 'sending').where('lease_until', '<', now));
}

/** The Message-ID header of a new mail: unique, in the sender's domain. */
export function newMessageId(mail: OutgoingMail): string {
  return `<${randomUUID()}@${domainOf(mail.from.address)}>`;
}

/**
 * `msg_` + the time in ms (12 hex digits) + 74 random bits of a UUID: ids that grow with time land at the
 * end of the primary-key B-trees instead of anywhere in them, which halved the cost of an insert
 * batch (docs/performance.md).
 */
export function messageIdFor(now: number): string {
  return `msg_${now.toString(16).padStart(12, '0')}${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

export function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind as MessageKind,
    status: row.status as MessageStatus,
    attempts: row.attempts,
    interruptions: Number(row.interruptions ?? 0),
    from: JSON.parse(row.from_json) as MailAddress,
    replyTo: row.reply_to_json ? (JSON.parse(row.reply_to_json) as MailAddress) : undefined,
    envelopeFrom: row.envelope_from,
    to: JSON.parse(row.to_json) as MailAddress[],
    cc: JSON.parse(row.cc_json) as MailAddress[],
    subject: row.subject,
    text: row.text_body,
    html: row.html_body ?? undefined,
    snapshot: row.snapshot_json ? JSON.parse(row.snapshot_json) : undefined,
    ticket: row.ticket_json ? JSON.parse(row.ticket_json) : undefined,
    senderRewritten: Boolean(row.sender_rewritten),
    rewriteReason: storedRewriteReason(row.rewrite_reason),
    autoSubmitted: Boolean(row.auto_submitted),
    messageId: row.message_id,
    lastError: storedMessage(row.last_error, row.last_error_code, row.last_error_params),
    rejectedRecipients: row.rejected_recipients_json ? JSON.parse(row.rejected_recipients_json) : undefined,
    envelopeTo: row.envelope_to_json ? (JSON.parse(row.envelope_to_json) as string[]) : undefined,
    nextAttemptAt: new Date(Number(row.next_attempt_at)),
    createdAt: new Date(Number(row.created_at)),
    sentAt: row.sent_at == null ? undefined : new Date(Number(row.sent_at)),
  };
}
