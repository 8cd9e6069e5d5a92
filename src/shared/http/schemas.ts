import { z } from 'zod';

/** Every address in an answer: `{name?, address}`. */
export const MailAddressOut = z
  .object({ name: z.string().optional(), address: z.string() })
  .meta({ id: 'MailAddress', description: 'a mail address with an optional display name', examples: [{ name: 'Anna Muster', address: 'anna.muster@kunde.ch' }] });

/** RFC 9457 problem details, as every error answers. */
export const ProblemOut = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string().describe('the field, e.g. mail.port or query.limit'), message: z.string() }).meta({ id: 'FieldError' })).optional(),
  })
  .meta({
    id: 'Problem',
    examples: [{ type: 'https://kos-notify.dev/problems/invalid_request', title: 'Invalid request', status: 400, detail: 'the request breaks the schema: mail.port', errors: [{ path: 'mail.port', message: 'Too big: expected number to be <=65535' }] }],
  });
