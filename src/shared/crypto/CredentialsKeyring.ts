import { createHash } from 'node:crypto';

export interface CredentialsKey {
  /** Stored beside each ciphertext so that a rotated key can still be found for old rows. */
  id: string;
  key: Buffer;
}

/** The key that encrypts new secrets, and every key still accepted for decryption. */
export class CredentialsKeyring {
  readonly current: CredentialsKey;
  private readonly byId: Map<string, CredentialsKey>;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.current = { id: keyId(current), key: current };
    this.byId = new Map([this.current, ...previous.map((key) => ({ id: keyId(key), key }))].map((entry) => [entry.id, entry]));
  }

  find(id: string): CredentialsKey | undefined {
    return this.byId.get(id);
  }
}

/** A short public fingerprint of a key: enough to tell keys apart, useless to recover one. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('kos-notify credentials key id').update(key).digest('hex').slice(0, 12);
}
