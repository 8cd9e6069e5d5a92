import { createHash, randomBytes, randomUUID } from 'node:crypto';

const KEY_PREFIX = 'kn_';

/** A new API key: 256 random bits, so that a plain SHA-256 is a sufficient stored hash. */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newKeyId(): string {
  return `key_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}
