import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';

/** Descriptors kept for everything but HTTP clients: SMTP sessions, the database, files, logs. */
const RESERVED_DESCRIPTORS = 128;
/** Beyond this many open connections a single process serves no one better. */
const MAX_CONNECTIONS = 8_192;
/** Without a readable limit, assume Linux's usual soft limit. */
const DEFAULT_DESCRIPTORS = 1_024;

/** How long a client may take to send its headers, and its whole request (bodies are at most 1 MiB). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often those two timeouts are checked (Node's default, 30 s, would let idle connections stay up to 40 s). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 2_000;

/** The process's soft limit of open files (RLIMIT_NOFILE), from /proc/self/limits; undefined where there is none. */
export function descriptorLimit(limits = '/proc/self/limits'): number | undefined {
  try {
    const line = readFileSync(limits, 'utf8')
      .split('\n')
      .find((candidate) => candidate.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * HTTP connections open at once: half the descriptors less a reserve, so that a flood of idle
 * connections cannot take the ones SMTP sessions and the database need. 1,024 descriptors give
 * 384 connections; 65,536 and more give 8,192.
 */
export function connectionCap(descriptors = descriptorLimit() ?? DEFAULT_DESCRIPTORS): number {
  return Math.max(16, Math.min(MAX_CONNECTIONS, Math.floor(descriptors / 2) - RESERVED_DESCRIPTORS));
}

/** Past the cap Node closes each new connection at once; a client that holds one without finishing its request loses it after the timeouts. */
export function limitConnections(server: Server, cap = connectionCap()): void {
  server.maxConnections = cap;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
}
