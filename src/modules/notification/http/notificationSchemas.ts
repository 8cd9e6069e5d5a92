import { z } from 'zod';
import { MailAddressOut, MessageCode, MessageParamsOut } from '../../../shared/http/schemas';
import { hasLineBreakOrNul, isPlainAddress } from '../../../shared/mail/address';
import { FAILURE_CATEGORIES } from '../domain/DeliveryFailureLog';
import { MESSAGE_STATUSES } from '../domain/OutboxMessage';
import { rule } from '../../../shared/messages/message';

export const MAX_RECIPIENTS = 50;
/** Tries of one message stay far below this; the bound only tells generated clients what to expect. */
const MAX_ATTEMPTS = 1_000;
const COUNT = z.number().int().min(0).max(2_147_483_647);

const singleLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !hasLineBreakOrNul(value), rule('no_line_breaks'));
const withoutNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\0'), rule('no_nul'));
export const plainAddress = z.string().max(254).refine(isPlainAddress, rule('plain_address'));
const person = z.object({ name: singleLine(200).optional(), email: plainAddress }).meta({ id: 'Recipient' });
const mailAddress = MailAddressOut;

export const tenantParams = z.object({ tenantId: z.string().max(63) });
export const notificationParams = z.object({ tenantId: z.string().max(63), notificationId: z.string().max(40) });

export const notificationBody = z
  .object({
    kind: z.enum(['comment', 'assignment', 'message']).default('message'),
    author: z.object({ name: singleLine(200).min(1), email: plainAddress }),
    to: z.array(person).max(MAX_RECIPIENTS),
    cc: z.array(person).max(MAX_RECIPIENTS).default([]),
    subject: singleLine(200).min(1),
    text: withoutNul(500_000),
    html: withoutNul(900_000).optional(),
    ticket: z
      .object({
        id: singleLine(200).min(1),
        title: singleLine(500).optional(),
        url: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .optional(),
      })
      .optional(),
  })
  .superRefine((body, context) => {
    const count = body.to.length + body.cc.length;
    if (count < 1 || count > MAX_RECIPIENTS) context.addIssue({ code: 'custom', path: ['to'], ...rule('recipient_count', { maximum: MAX_RECIPIENTS, count }) });
  })
  .meta({
    id: 'NotificationRequest',
    description: `A personal notification; to and cc together name 1 to ${MAX_RECIPIENTS} recipients.`,
    examples: [
      {
        kind: 'comment',
        author: { name: 'Anna Muster', email: 'anna.muster@kunde.ch' },
        to: [{ name: 'Beat Keller', email: 'beat.keller@kunde.ch' }],
        subject: 'Neuer Kommentar zu #4711',
        text: 'Bitte bis Freitag prüfen.',
        ticket: { id: '4711', title: 'Heizung Haus B', url: 'https://kos.kunde.ch/tickets/4711' },
      },
    ],
  });

export const queuedSchema = z
  .object({ id: z.string(), status: z.literal('queued') })
  .meta({ id: 'QueuedNotification', examples: [{ id: 'msg_0193f1a2b3c4a1b2c3d4e5f6a7b8c9d0e1f2', status: 'queued' }] });

export const notificationStatus = z
  .enum(MESSAGE_STATUSES)
  .meta({ id: 'NotificationStatus', description: "parked: the tenant's host refused the login; the mail waits until the tenant's mail settings change" });

export const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['comment', 'assignment', 'message', 'digest', 'test']),
    status: notificationStatus,
    attempts: z.number().int().min(0).max(MAX_ATTEMPTS).describe('every delivery try, the successful one included'),
    from: mailAddress,
    replyTo: mailAddress.optional(),
    senderRewritten: z.boolean(),
    rewriteReason: z.string().optional(),
    rewriteReasonCode: MessageCode.optional(),
    rewriteReasonParams: MessageParamsOut.optional(),
    messageId: z.string(),
    lastError: z.string().optional(),
    lastErrorCode: MessageCode.optional(),
    lastErrorParams: MessageParamsOut.optional(),
    rejectedRecipients: z
      .array(z.object({ address: z.string(), code: z.number().int().min(200).max(599).optional(), response: z.string() }).meta({ id: 'RejectedRecipient' }))
      .optional(),
    subject: z.string(),
    to: z.array(mailAddress),
    cc: z.array(mailAddress),
    ticketId: z.string().optional(),
    createdAt: z.string(),
    nextAttemptAt: z.string().optional(),
    sentAt: z.string().optional(),
  })
  .meta({
    id: 'Notification',
    examples: [
      {
        id: 'msg_0193f1a2b3c4a1b2c3d4e5f6a7b8c9d0e1f2',
        kind: 'comment',
        status: 'sent',
        attempts: 1,
        from: { name: 'Anna Muster', address: 'anna.muster@kunde.ch' },
        senderRewritten: false,
        messageId: '<msg_0193f1a2b3c4a1b2c3d4e5f6a7b8c9d0e1f2@kos-notify>',
        subject: 'Neuer Kommentar zu #4711',
        to: [{ name: 'Beat Keller', address: 'beat.keller@kunde.ch' }],
        cc: [],
        ticketId: '4711',
        createdAt: '2026-12-01T08:00:00.000Z',
        sentAt: '2026-12-01T08:00:01.000Z',
      },
    ],
  });

export const testMailBody = z.object({ to: plainAddress }).meta({ id: 'TestMailRequest', examples: [{ to: 'it@kunde.ch' }] });

export const testMailSchema = z
  .object({
    id: z.string(),
    status: notificationStatus,
    lastError: z.string().optional(),
    lastErrorCode: MessageCode.optional(),
    lastErrorParams: MessageParamsOut.optional(),
    messageId: z.string().optional(),
  })
  .meta({
    id: 'TestMailOutcome',
    examples: [{ id: 'msg_0193f1a2b3c4a1b2c3d4e5f6a7b8c9d0e1f2', status: 'sent', messageId: '<msg_0193f1a2b3c4a1b2c3d4e5f6a7b8c9d0e1f2@kos-notify>' }],
  });

export const mailHealthSchema = z
  .object({
    state: z
      .enum(['unverified', 'ok', 'warning', 'parked'])
      .describe(
        "unverified: neither a passed verify nor a delivered mail yet; warning: see warnings (sender refusals of the last 24 h, a client secret expiring); parked: the host refused the login, the tenant's mail waits until its mail settings change",
      ),
    since: z.string().optional().describe('when parked: since when'),
    reason: z.string().optional().describe('when parked: why, and which setting to fix'),
    reasonCode: MessageCode.optional(),
    reasonParams: MessageParamsOut.optional(),
    warnings: z
      .array(
        z.object({ code: MessageCode, params: MessageParamsOut, message: z.string() }).meta({
          id: 'MailHealthWarning',
          description:
            'oauth2_client_secret_expiring/expired: the client secret expires within 30 days or has expired; senders_refused: authors the host refused as sender in the last 24 hours (params.addresses), their mail goes via the alert address',
        }),
      )
      .describe('what needs attention while mail still goes out, e.g. a client secret expiring within 30 days or refused authors'),
    lastVerifiedAt: z.string().optional().describe('when a verify of the current mail settings last passed every step'),
    lastSuccessAt: z.string().optional().describe('when the host last accepted a mail of this tenant'),
    lastFailureAt: z.string().optional().describe('the latest failed try (failed tries are kept for 48 hours)'),
    failures24h: z
      .object(Object.fromEntries(FAILURE_CATEGORIES.map((category) => [category, COUNT])) as Record<(typeof FAILURE_CATEGORIES)[number], typeof COUNT>)
      .describe(
        'failed tries of the last 24 hours by class: auth (login refused), sender (sender refused), tls, connection (unreachable, timeout, refused by the network guard), rejected (other 4xx/5xx replies), other',
      ),
    queued: COUNT.describe('mail not yet delivered: queued, sending or parked'),
    oldestQueuedSeconds: COUNT.describe('age of the oldest of those; 0 when none waits'),
  })
  .meta({
    id: 'MailHealth',
    examples: [
      {
        state: 'ok',
        warnings: [],
        lastSuccessAt: '2026-12-03T03:00:12.000Z',
        failures24h: { auth: 0, sender: 0, tls: 0, connection: 1, rejected: 0, other: 0 },
        queued: 0,
        oldestQueuedSeconds: 0,
      },
    ],
  });
