import { hash, randomBytes, randomUUID } from 'node:crypto';

const KEY_PREFIX = 'kn_';

/** A new API key: 256 random bits, so that a plain SHA-256 is a sufficient stored hash. */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** In one call: `createHash` would build a stream object for every presented key, on every request. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export function newKeyId(): string {
  return `key_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}
