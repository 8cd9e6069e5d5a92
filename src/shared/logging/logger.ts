import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/Config';
import { isDatabaseError, summarizeDatabaseError } from '../database/databaseErrors';

export type { Logger };

/** Keys whose values never reach a log line, at any depth, whatever a caller passes in. */
const SECRET_KEY = /^(authorization|password|pass|key|apikey|credentialskey|secret|token)$/i;
const CENSOR = '[redacted]';
/** Deeper than anything this service logs; a cycle stops here too. */
const MAX_DEPTH = 8;

/**
 * `value` with every secret-named key censored. Copies only what it changes, so a line without
 * secrets (every request line) costs a walk over its keys and no allocation. (pino's own `redact`
 * parses each configured path again for every line, which made a fifth of this service's
 * allocations under API load.)
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const redacted = SECRET_KEY.test(key) && item != null ? CENSOR : redactSecrets(item, depth + 1);
    if (redacted === item) continue;
    copy ??= shallowCopy(value);
    copy[key] = redacted;
  }
  return (copy ?? value) as T;
}

/** The object's own enumerable properties in a new object; an error stays an error of its class, so that pino's error serializer shows it as one. */
function shallowCopy(value: object): Record<string, unknown> {
  if (!(value instanceof Error)) return { ...value };
  const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
  return Object.assign(copy, value, { message: value.message, stack: value.stack });
}

/** Every logged `err`: a database error as its code, statement kind and table (never the statement's values). */
export function serializeError(error: unknown): unknown {
  return isDatabaseError(error) ? summarizeDatabaseError(error) : pino.stdSerializers.err(error as Error);
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: { err: serializeError },
      base: { service: 'kos-notify' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactSecrets(bindings),
        log: (object) => redactSecrets(object),
      },
    },
    destination,
  );
}
