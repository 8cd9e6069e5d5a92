import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/Config';

export type { Logger };

/** Paths whose values never reach a log line, whatever a caller passes in. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  '*.password',
  '*.*.password',
  'key',
  '*.key',
  'apiKey',
  '*.apiKey',
  'credentialsKey',
  '*.credentialsKey',
  'auth.pass',
  '*.auth.pass',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kos-notify' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
