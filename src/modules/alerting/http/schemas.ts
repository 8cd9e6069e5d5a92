import { z } from 'zod';
import { isPlainAddress, hasLineBreakOrNul } from '../../../shared/mail/address';
import { LOCALES } from '../../tenant/domain/Tenant';
import { isCalendarDate } from '../domain/CalendarDate';

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date');

const oneLine = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !hasLineBreakOrNul(value), 'must not contain line breaks or NUL');

export const ticketId = z
  .string()
  .regex(/^[^\s\u0000-\u001f\u007f/]{1,200}$/, 'must be 1 to 200 characters without spaces, slashes or control characters')
  .describe('the ticket id in KOS');

export const tenantParams = z.object({ tenantId: z.string().max(63) });
export const deadlineParams = z.object({ tenantId: z.string().max(63), ticketId });

const assignee = z.object({
  name: oneLine(200).optional(),
  email: z.string().max(254).refine(isPlainAddress, 'must be a plain address local@domain'),
  locale: z.enum(['de', 'fr', 'it', 'en'] satisfies typeof LOCALES).optional().describe('language of this assignee\'s digest; else the tenant\'s'),
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

export const deadlineBody = z.object(deadlineFields);
export const bulkBody = z.object({
  deadlines: z.array(z.object({ ticketId, ...deadlineFields })).max(5000),
  replace: z.boolean().default(false).describe('remove the tenant\'s deadlines that are not in the list (full sync)'),
});

export const deadlineView = z.object({
  ticketId: z.string(),
  title: z.string(),
  dueDate: z.string(),
  assignees: z.array(z.object({ name: z.string().optional(), email: z.string(), locale: z.string().optional() })),
  url: z.string().optional(),
  done: z.boolean(),
  updatedAt: z.string(),
});

export const alertRunView = z.object({
  id: z.string(),
  date: z.string(),
  trigger: z.enum(['schedule', 'manual', 'catch-up']),
  status: z.enum(['running', 'completed', 'failed']),
  scheduledAt: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  tenants: z.number(),
  recipients: z.number(),
  queued: z.number(),
  alreadySent: z.number(),
  errors: z.array(z.object({ tenantId: z.string().optional(), message: z.string() })),
});
