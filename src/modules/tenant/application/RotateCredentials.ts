import { inject, injectable } from 'inversify';
import type { Logger } from '../../../shared/logging/logger';
import { LOGGER } from '../../../shared/tokens';
import type { CredentialsCipher } from '../domain/CredentialsCipher';
import type { TenantRepository } from '../domain/TenantRepository';
import { CREDENTIALS_CIPHER, TENANT_REPOSITORY } from '../tokens';

export interface RotationResult {
  /** Rows re-encrypted under the current key by this run. */
  reencrypted: number;
  /** Rows that were already under the current key. */
  alreadyCurrent: number;
  /** Tenants whose password or OAuth 2.0 secret could not be decrypted with any configured key. */
  failed: string[];
}

/**
 * Re-encrypts every stored password and OAuth 2.0 secret under the current CREDENTIALS_KEY. Rows under an old key
 * keep decrypting while this runs (the old key stays in CREDENTIALS_KEY_PREVIOUS), and running
 * it twice changes nothing.
 */
@injectable()
export class RotateCredentials {
  constructor(
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(CREDENTIALS_CIPHER) private readonly cipher: CredentialsCipher,
    @inject(LOGGER) private readonly log: Logger,
  ) {}

  async execute(): Promise<RotationResult> {
    const result: RotationResult = { reencrypted: 0, alreadyCurrent: 0, failed: [] };
    for (const kind of ['password', 'oauth2'] as const) {
      for (const { tenantId, secret } of await this.tenants.listSecrets(kind)) {
        if (secret.keyId === this.cipher.currentKeyId) {
          result.alreadyCurrent += 1;
          continue;
        }
        let plaintext: string;
        try {
          plaintext = this.cipher.decrypt(tenantId, secret, kind);
        } catch (error) {
          this.log.error({ tenantId, kind, keyId: secret.keyId, reason: (error as Error).message }, 'cannot re-encrypt a tenant secret');
          if (!result.failed.includes(tenantId)) result.failed.push(tenantId);
          continue;
        }
        // A save racing the rotation has already written a fresh ciphertext; then this one is stale.
        if (await this.tenants.replaceSecret(kind, tenantId, secret, this.cipher.encrypt(tenantId, plaintext, kind))) result.reencrypted += 1;
        else result.alreadyCurrent += 1;
      }
    }
    this.log.info({ ...result, keyId: this.cipher.currentKeyId }, 'credentials rotation finished');
    return result;
  }
}
