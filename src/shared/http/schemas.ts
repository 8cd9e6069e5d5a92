import { z } from 'zod';

/** Every address in an answer: `{name?, address}`. */
export const MailAddressOut = z.object({ name: z.string().optional(), address: z.string() }).meta({
  id: 'MailAddress',
  description: 'a mail address with an optional display name',
  examples: [{ name: 'Anna Muster', address: 'anna.muster@kunde.ch' }],
});

/** A stable snake_case message code; clients translate by it (the English text stays beside it). */
export const MessageCode = z.string().meta({ id: 'MessageCode', description: 'stable snake_case code of the message, e.g. alert_sender_not_allowed' });
/** The values a translation fills into the text of a code. */
export const MessageParamsOut = z
  .record(z.string(), z.union([z.string(), z.number().int().min(-2_147_483_648).max(2_147_483_647), z.array(z.string())]))
  .meta({ id: 'MessageParams', description: 'the values a translation fills into the text of the code; a list is shown joined' });

/** RFC 9457 problem details, as every error answers. */
export const ProblemOut = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: MessageCode,
    params: MessageParamsOut,
    errors: z
      .array(
        z
          .object({ path: z.string().describe('the field, e.g. mail.port or query.limit'), message: z.string(), code: MessageCode, params: MessageParamsOut })
          .meta({ id: 'FieldError' }),
      )
      .optional(),
  })
  .meta({
    id: 'Problem',
    examples: [
      {
        type: 'https://kos-notify.dev/problems/invalid_request',
        title: 'Invalid request',
        status: 400,
        detail: 'the request breaks the schema: mail.port',
        code: 'validation_failed',
        params: { fields: 'mail.port' },
        errors: [
          {
            path: 'mail.port',
            message: 'Too big: expected number to be <=65535',
            code: 'too_big',
            params: { origin: 'number', maximum: 65535, inclusive: 'true' },
          },
        ],
      },
    ],
  });
