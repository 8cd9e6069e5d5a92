import { isIPv6 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, RequestHandler } from 'express';
import type { Authenticator } from '../auth/Authenticator';
import { UnauthenticatedError } from '../errors';
import { RateLimiter } from './RateLimiter';

/** How long an over-limit request waits for its 429. */
const OVER_LIMIT_PAUSE_MS = 500;

export interface AuthenticationLimits {
  /** Requests a minute per authenticated key, and failed authentications a minute per client address. */
  perMinute: number;
  /** Keys and addresses remembered at most (each a few hundred bytes). */
  maxKeys?: number;
  maxAddresses?: number;
}

/**
 * Authenticates every request that `isPublic` does not exempt, and limits both who gets in and
 * who keeps failing. Only keys that authenticated get a window of their own; a presented key not
 * seen before is weighed by its client's address instead, before its lookup, so that random keys
 * cost no state beyond one bounded entry per address and, once that address is over its limit,
 * no database query.
 */
export function authenticateRequests(authenticator: Authenticator, limits: AuthenticationLimits, isPublic: (req: Request) => boolean): RequestHandler {
  const keys = new RateLimiter(limits.perMinute, { maxKeys: limits.maxKeys });
  const failures = new RateLimiter(limits.perMinute, { maxKeys: limits.maxAddresses });
  return async (req, res, next) => {
    if (isPublic(req)) return next();
    // Counted before the key is looked up and before the body is parsed: a limited request costs
    // no parsing and no query that another key's requests would wait behind.
    const keyHash = authenticator.presentedKeyHash(req.get('authorization'));
    const known = keyHash !== undefined && keys.has(keyHash);
    const address = clientOf(req.socket.remoteAddress);
    try {
      if (known) keys.take(keyHash);
      else failures.check(address);
    } catch (error) {
      // The refusal comes after a pause, so that a client flooding over many connections is slowed
      // to a few requests a second per connection instead of filling the event loop.
      await sleep(OVER_LIMIT_PAUSE_MS);
      throw error;
    }
    try {
      res.locals.principal = await authenticator.authenticate(keyHash);
    } catch (error) {
      if (error instanceof UnauthenticatedError) failures.count(address);
      throw error;
    }
    if (keyHash !== undefined && !known) keys.take(keyHash);
    next();
  };
}

/** The client a failed authentication is counted for: its IPv4 address, or its IPv6 /64 (one host's usual share). */
export function clientOf(address: string | undefined): string {
  if (!address) return 'unknown';
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
