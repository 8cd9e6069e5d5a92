import type { EncryptedSecret } from './TenantSettings';

/** The SMTP password, or the OAuth 2.0 client secret / private key. */
export type SecretPurpose = 'password' | 'oauth2';

/** Encrypts tenant secrets bound to their tenant: a ciphertext does not decrypt for another tenant. */
export interface CredentialsCipher {
  /** Encrypts under the current key, bound to the tenant and to what the secret is for. */
  encrypt(tenantId: string, plaintext: string, purpose?: SecretPurpose): EncryptedSecret;
  /** Decrypts with the key the secret names; throws when that key is unknown or the secret belongs to another tenant or purpose. */
  decrypt(tenantId: string, secret: EncryptedSecret, purpose?: SecretPurpose): string;
  /** The id of the key new secrets are encrypted under. */
  readonly currentKeyId: string;
}
