import { z } from 'zod';
import { MailAddressOut } from '../../../shared/http/schemas';
import { isPlainAddress, hasLineBreakOrNul } from '../../../shared/mail/address';
import { LOCALES } from '../../tenant/domain/Tenant';
import { isCalendarDate } from '../domain/CalendarDate';
import { rule } from '../../../shared/messages/message';

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isCalendarDate, rule('calendar_date'));

const oneLine = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !hasLineBreakOrNul(value), rule('no_line_breaks'));

export const ticketId = z
  .string()
  .regex(/^[^\s\u0000-\u001f\u007f/]{1,200}$/, 'must be 1 to 200 characters without spaces, slashes or control characters')
  .describe('the ticket id in KOS');

export const tenantParams = z.object({ tenantId: z.string().max(63) });
export const deadlineParams = z.object({ tenantId: z.string().max(63), ticketId });

const assignee = z.object({
  name: oneLine(200).optional(),
  email: z.string().max(254).refine(isPlainAddress, rule('plain_address')),
  locale: z
    .enum(['de', 'fr', 'it', 'en'] satisfies typeof LOCALES)
    .optional()
    .describe("language of this assignee's digest; else the tenant's"),
});

const deadlineFields = {
  title: oneLine(500),
  dueDate: calendarDate,
  assignees: z.array(assignee).max(100),
  url: z
    .string()
    .max(2000)
    .regex(/^https?:\/\/[^\s]+$/i, 'must be an http(s) URL')
    .optional()
    .describe('link to the ticket in KOS'),
  done: z.boolean().default(false).describe('done deadlines are kept but never alerted'),
};

const EXAMPLE_DEADLINE = {
  title: 'Heizung Haus B prüfen',
  dueDate: '2026-12-10',
  assignees: [{ name: 'Beat Keller', email: 'beat.keller@kunde.ch', locale: 'de' }],
  url: 'https://kos.kunde.ch/tickets/4711',
};
const COUNT = z.number().int().min(0).max(2_147_483_647);

export const deadlineBody = z.object(deadlineFields).meta({ id: 'DeadlineRequest', examples: [EXAMPLE_DEADLINE] });
export const bulkBody = z
  .object({
    deadlines: z.array(z.object({ ticketId, ...deadlineFields }).meta({ id: 'DeadlineSyncItem' })).max(5000),
    replace: z.boolean().default(false).describe("remove the tenant's deadlines that are not in the list (full sync)"),
  })
  .meta({ id: 'DeadlineSyncRequest', examples: [{ deadlines: [{ ticketId: '4711', ...EXAMPLE_DEADLINE }], replace: true }] });

export const bulkResult = z
  .object({ created: COUNT, replaced: COUNT, removed: COUNT })
  .meta({ id: 'DeadlineSyncResult', examples: [{ created: 12, replaced: 340, removed: 3 }] });

export const deadlineView = z
  .object({
    ticketId: z.string(),
    title: z.string(),
    dueDate: z.string(),
    assignees: z.array(z.object({ name: z.string().optional(), address: z.string(), locale: z.enum(LOCALES).optional() }).meta({ id: 'Assignee' })),
    url: z.string().optional(),
    done: z.boolean(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Deadline',
    examples: [
      {
        ticketId: '4711',
        ...EXAMPLE_DEADLINE,
        assignees: [{ name: 'Beat Keller', address: 'beat.keller@kunde.ch', locale: 'de' }],
        done: false,
        updatedAt: '2026-12-01T08:00:00.000Z',
      },
    ],
  });

export const alertRunView = z
  .object({
    id: z.string(),
    date: z.string(),
    trigger: z.enum(['schedule', 'manual', 'catch-up']),
    status: z.enum(['running', 'completed', 'failed']),
    scheduledAt: z.string().optional().describe('the fire time a scheduled or catch-up run serves'),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    tenants: COUNT,
    recipients: COUNT,
    queued: COUNT,
    alreadySent: COUNT.describe('digests of this day that an earlier run had already queued'),
    errors: z.array(z.object({ tenantId: z.string().optional(), message: z.string() }).meta({ id: 'AlertRunError' })),
  })
  .meta({
    id: 'AlertRun',
    examples: [
      {
        id: 'run_5d1c0a',
        date: '2026-12-03',
        trigger: 'schedule',
        status: 'completed',
        scheduledAt: '2026-12-03T02:00:00.000Z',
        startedAt: '2026-12-03T02:00:00.120Z',
        finishedAt: '2026-12-03T02:00:04.870Z',
        tenants: 42,
        recipients: 610,
        queued: 608,
        alreadySent: 2,
        errors: [],
      },
    ],
  });

export const startedRunView = z
  .object({ id: z.string(), date: z.string(), status: z.enum(['running', 'completed', 'failed']) })
  .meta({ id: 'StartedAlertRun', examples: [{ id: 'run_5d1c0a', date: '2026-12-03', status: 'running' }] });

export const alertScheduleView = z
  .object({
    cron: z.string().describe('ALERT_CRON'),
    timezone: z.string().describe('ALERT_TIMEZONE'),
    leadDays: z.number().int().min(0).max(365).describe('ALERT_LEAD_DAYS: how many days ahead a deadline is announced'),
    nextRunAt: z.string().optional(),
    lastRun: z
      .object({ id: z.string(), date: z.string(), status: z.enum(['running', 'completed', 'failed']), finishedAt: z.string().optional() })
      .nullable()
      .describe('null before the first run'),
  })
  .meta({
    id: 'AlertSchedule',
    examples: [
      {
        cron: '0 3 * * *',
        timezone: 'Europe/Zurich',
        leadDays: 7,
        nextRunAt: '2026-12-04T02:00:00.000Z',
        lastRun: { id: 'run_5d1c0a', date: '2026-12-03', status: 'completed', finishedAt: '2026-12-03T02:00:04.870Z' },
      },
    ],
  });

const digestPreview = z
  .object({
    from: MailAddressOut.describe("the digest's From: the alert address under the alert sender's or the tenant's name"),
    recipients: z.array(MailAddressOut),
    locale: z.enum(LOCALES),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    reached: COUNT.describe('deadlines due on or before the day'),
    soon: COUNT.describe('deadlines due within the lead days'),
  })
  .meta({ id: 'DigestPreview' });

export const digestPreviewView = z
  .object({ tenantId: z.string(), date: z.string(), items: z.array(digestPreview), nextCursor: z.null().describe('always null: the preview is one page') })
  .meta({ id: 'DigestPreviewPage' });
