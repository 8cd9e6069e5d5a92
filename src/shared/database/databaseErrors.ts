import { DatabaseError as PostgresError } from 'pg';

/** What may be said of a failed statement: its code, kind and table, never the values it carried. */
export interface DatabaseErrorSummary {
  type: 'DatabaseError';
  code: string;
  kind?: string;
  table?: string;
  message: string;
}

const SQLITE_CODE = /^SQLITE_[A-Z_]+$/;
const KINDS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'with',
  'begin',
  'commit',
  'rollback',
  'savepoint',
  'release',
  'pragma',
  'create',
  'alter',
  'drop',
]);
const TABLE_OF: Record<string, RegExp> = {
  insert: /^insert\s+(?:or\s+\w+\s+)?into\s+["`]?([\w.]+)/i,
  update: /^update\s+["`]?([\w.]+)/i,
  delete: /^delete\s+from\s+["`]?([\w.]+)/i,
  // Up to the first FROM outside a string literal: nothing of a value is taken.
  select: /^select\s[^']*?\sfrom\s+["`]?([\w.]+)/i,
};
const MAX_MESSAGE = 200;

/** An error of SQLite or PostgreSQL as knex passes it on (its message then starts with the statement). */
export function isDatabaseError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  if (error instanceof PostgresError) return true;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && SQLITE_CODE.test(code)) || 'sql' in error || 'bindings' in error;
}

/** A write failed because the disk (or the database's size limit) is full. */
export function isOutOfSpace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && (code === 'SQLITE_FULL' || (error instanceof PostgresError && code === '53100'));
}

/**
 * The error's code, statement kind and table, and the driver's own words. knex prefixes the
 * message with the whole statement and, unless told otherwise, its bound values (a mail's text,
 * recipients and subject): that prefix is dropped, and so are PostgreSQL's `detail` and `where`,
 * which quote values too.
 */
export function summarizeDatabaseError(error: Error): DatabaseErrorSummary {
  const rawCode = (error as { code?: unknown }).code;
  const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : 'unknown';
  const separator = error.message.lastIndexOf(' - ');
  const statement = mainStatement(separator >= 0 ? error.message.slice(0, separator).trimStart() : '');
  const kind = /^\w+/.exec(statement)?.[0]?.toLowerCase();
  const knownKind = kind && KINDS.has(kind) ? kind : undefined;
  const table = (error as { table?: unknown }).table ?? (knownKind && TABLE_OF[knownKind]?.exec(statement)?.[1]);
  // PostgreSQL's data exceptions (class 22) quote the offending value in the message itself.
  const driverMessage = code.startsWith('22') && error instanceof PostgresError ? 'data exception' : error.message.slice(separator >= 0 ? separator + 3 : 0);
  return {
    type: 'DatabaseError',
    code,
    ...(knownKind ? { kind: knownKind } : {}),
    ...(typeof table === 'string' ? { table } : {}),
    message: driverMessage.length > MAX_MESSAGE ? `${driverMessage.slice(0, MAX_MESSAGE)}…` : driverMessage,
  };
}

/** A `with …` statement from its main verb on: the first word outside the parentheses of its common table expressions. */
function mainStatement(statement: string): string {
  if (!/^with\s/i.test(statement)) return statement;
  let depth = 0;
  for (let i = 0; i < statement.length; i++) {
    const char = statement[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && i > 4) {
      const verb = /^(insert|update|delete|select)\s/i.exec(statement.slice(i, i + 7));
      if (verb) return statement.slice(i);
    }
  }
  return statement;
}

/** A line about any error that is safe to store or show: a database error as its summary, others by message. */
export function describeError(error: unknown): string {
  if (isDatabaseError(error)) {
    const { code, kind, table, message } = summarizeDatabaseError(error);
    return `database error ${code}${kind ? ` in ${kind}` : ''}${table ? ` on ${table}` : ''}: ${message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
