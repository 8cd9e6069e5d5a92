import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import type { Clock } from '../../../shared/time/Clock';
import { CLOCK, CONFIG } from '../../../shared/tokens';
import type { CredentialsCipher } from '../domain/CredentialsCipher';
import { effectiveTenant } from '../domain/effectiveTenant';
import type { MailHostDirectory, SmtpEndpoint } from '../domain/MailHostDirectory';
import type { TenantRepository } from '../domain/TenantRepository';
import type { StoredTenant } from '../domain/TenantSettings';
import { oauth2CredentialsOf } from '../domain/oauth/oauth2Credentials';
import { CREDENTIALS_CIPHER, TENANT_REPOSITORY } from '../tokens';
import type { Message } from '../../../shared/messages/message';

/** The tenant's effective host with the password or OAuth 2.0 secret decrypted; `hosted` tenants get the operator's credentials. */
@injectable()
export class StoredMailHostDirectory implements MailHostDirectory {
  constructor(
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(CREDENTIALS_CIPHER) private readonly cipher: CredentialsCipher,
    @inject(CONFIG) private readonly config: Config,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  async endpointFor(tenantId: string): Promise<SmtpEndpoint | undefined> {
    const stored = await this.tenants.get(tenantId);
    return stored ? this.endpointOf(stored) : undefined;
  }

  async endpointsFor(tenantIds: string[]): Promise<Map<string, SmtpEndpoint>> {
    return new Map((await this.tenants.getMany(tenantIds)).map((stored) => [stored.id, this.endpointOf(stored)]));
  }

  private endpointOf(stored: StoredTenant): SmtpEndpoint {
    const { mail, settingsVersion } = effectiveTenant(stored, this.config.hosted, this.config.oauth);
    const password = mail.preset === 'hosted' ? this.config.hosted?.password : stored.password ? this.cipher.decrypt(stored.id, stored.password) : undefined;
    return {
      tenantId: stored.id,
      host: mail.host,
      port: mail.port,
      security: mail.security,
      ...(mail.username !== undefined ? { username: mail.username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(mail.caCertificate !== undefined ? { caCertificate: mail.caCertificate } : {}),
      ...(mail.maxPerMinute !== undefined ? { maxPerMinute: mail.maxPerMinute } : {}),
      ...(mail.preset === 'hosted' ? { hostedMaxPerMinute: this.config.hostedMaxPerMinute } : {}),
      settingsVersion,
      ...(mail.transport ? { transport: mail.transport } : {}),
      ...oauth2CredentialsOf(stored, this.config.oauth, (secret) => this.cipher.decrypt(stored.id, secret, 'oauth2')),
    };
  }

  async park(tenantId: string, settingsVersion: number, reason: Message): Promise<void> {
    await this.tenants.park(tenantId, settingsVersion, reason, this.clock.now());
  }

  async markVerified(tenantId: string, settingsVersion: number): Promise<void> {
    await this.tenants.markVerified(tenantId, settingsVersion, this.clock.now());
  }
}
