import type { EncryptedSecret } from './TenantSettings';

/** Encrypts tenant secrets bound to their tenant: a ciphertext does not decrypt for another tenant. */
export interface CredentialsCipher {
  /** Encrypts under the current key. */
  encrypt(tenantId: string, plaintext: string): EncryptedSecret;
  /** Decrypts with the key the secret names; throws when that key is unknown or the secret belongs to another tenant. */
  decrypt(tenantId: string, secret: EncryptedSecret): string;
  /** The id of the key new secrets are encrypted under. */
  readonly currentKeyId: string;
}
