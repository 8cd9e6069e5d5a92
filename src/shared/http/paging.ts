import { z } from 'zod';
import { InvalidRequestError } from '../errors';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('page size, 1 to 500'),
  cursor: z.string().max(500).optional().describe('the nextCursor of the previous page'),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor points at; a cursor that was not made here is a 400 naming `cursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidRequestError('the cursor is not one this service handed out', [{ path: 'query.cursor', message: 'unknown cursor' }]);
  }
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
