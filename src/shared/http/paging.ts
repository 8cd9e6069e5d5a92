import { z } from 'zod';
import { InvalidRequestError, fieldError } from '../errors';
import { message } from '../messages/message';

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
    throw new InvalidRequestError(message('cursor_unknown'), [fieldError('query.cursor', 'unknown_cursor')]);
  }
}

/** A list answer; `name` (e.g. `TenantPage`) names it in /openapi.json. */
export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ items: z.array(item), nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last') })
    .meta({ id: name });
}

/**
 * One page of a list endpoint: reads one item more than asked after the cursor's position, so
 * that `nextCursor` is set exactly when more follow. `position` says where an item stands.
 */
export async function paginate<T, P, V>(
  query: { limit: number; cursor?: string | undefined },
  cursorSchema: z.ZodType<P>,
  fetch: (after: P | undefined, limit: number) => Promise<T[]>,
  position: (item: T) => P,
  view: (item: T) => V,
): Promise<Page<V>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema);
  const fetched = await fetch(after, query.limit + 1);
  const items = fetched.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: fetched.length > query.limit && last !== undefined ? encodeCursor(position(last)) : null };
}
