import { timingSafeEqual } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { UnauthenticatedError } from '../errors';
import { API_KEY_STORE, CLOCK, CONFIG } from '../tokens';
import type { Config } from '../config/Config';
import type { Clock } from '../time/Clock';
import type { ApiKeyStore } from './ApiKeyStore';
import type { Principal } from './Principal';
import { hashApiKey } from './apiKeys';
import { message } from '../messages/message';

@injectable()
export class Authenticator {
  private readonly adminKeyHash?: Buffer;

  constructor(
    @inject(CONFIG) config: Config,
    @inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @inject(CLOCK) private readonly clock: Clock,
  ) {
    if (config.adminApiKey) this.adminKeyHash = Buffer.from(hashApiKey(config.adminApiKey), 'hex');
  }

  /** The hash of the key in an `Authorization: Bearer` header; undefined without one. */
  presentedKeyHash(authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match ? hashApiKey(match[1]!) : undefined;
  }

  /** The principal for a presented key's hash; throws 401 for a missing, unknown or expired key. */
  async authenticate(presented: string | undefined): Promise<Principal> {
    if (presented === undefined) throw new UnauthenticatedError(message('api_key_missing'));
    const presentedBytes = Buffer.from(presented, 'hex');
    if (this.adminKeyHash && timingSafeEqual(presentedBytes, this.adminKeyHash)) {
      return { kind: 'admin', actor: { id: 'admin' } };
    }
    // The lookup goes by hash, so timing reveals nothing of a stored key; the final compare is
    // constant-time all the same.
    const stored = await this.keys.findByHash(presented);
    if (!stored || !timingSafeEqual(presentedBytes, Buffer.from(stored.keyHash, 'hex'))) {
      throw new UnauthenticatedError(message('api_key_unknown'));
    }
    const now = this.clock.now();
    if (stored.expiresAt && stored.expiresAt <= now) throw new UnauthenticatedError(message('api_key_expired'));
    await this.keys.markUsed(stored.id, now);
    const name = stored.name === null ? {} : { name: stored.name };
    if (stored.tenantId === null) return { kind: 'admin', keyId: stored.id, actor: { id: `admin:${stored.id}`, ...name } };
    return { kind: 'tenant', tenantId: stored.tenantId, keyId: stored.id, actor: { id: `key:${stored.id}`, ...name } };
  }
}
