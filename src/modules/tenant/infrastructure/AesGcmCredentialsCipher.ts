import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { CredentialsKeyring } from '../../../shared/crypto/CredentialsKeyring';
import { CREDENTIALS_KEYRING } from '../../../shared/tokens';
import type { CredentialsCipher, SecretPurpose } from '../domain/CredentialsCipher';
import type { EncryptedSecret } from '../domain/TenantSettings';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM; the tenant id is the associated data, so a ciphertext only decrypts for its tenant. */
@injectable()
export class AesGcmCredentialsCipher implements CredentialsCipher {
  constructor(@inject(CREDENTIALS_KEYRING) private readonly keyring: CredentialsKeyring) {}

  get currentKeyId(): string {
    return this.keyring.current.id;
  }

  encrypt(tenantId: string, plaintext: string, purpose: SecretPurpose = 'password'): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.current.key, iv);
    cipher.setAAD(associatedData(tenantId, purpose));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.keyring.current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64') };
  }

  decrypt(tenantId: string, secret: EncryptedSecret, purpose: SecretPurpose = 'password'): string {
    const key = this.keyring.find(secret.keyId);
    if (!key)
      throw new Error(
        `the stored ${purpose === 'password' ? 'password' : 'OAuth 2.0 secret'} of tenant ${tenantId} is encrypted under credentials key ${secret.keyId}, which is not configured (CREDENTIALS_KEY, CREDENTIALS_KEY_PREVIOUS)`,
      );
    const raw = Buffer.from(secret.ciphertext, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(tenantId, purpose));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        `the stored ${purpose === 'password' ? 'password' : 'OAuth 2.0 secret'} of tenant ${tenantId} does not decrypt (tampered, or copied from another tenant)`,
      );
    }
  }
}

/** The password keeps its original binding; other secrets also bind their purpose, so that no column's ciphertext decrypts in another. */
function associatedData(tenantId: string, purpose: SecretPurpose): Buffer {
  return Buffer.from(purpose === 'password' ? `kos-notify tenant password:${tenantId}` : `kos-notify tenant ${purpose} secret:${tenantId}`, 'utf8');
}
