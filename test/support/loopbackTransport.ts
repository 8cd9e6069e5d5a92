import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from '../../src/modules/notification/domain/DeliveryOptions';
import { SmtpMailTransport } from '../../src/modules/notification/infrastructure/SmtpMailTransport';
import type { AccessTokens } from '../../src/modules/tenant/domain/oauth/AccessTokens';
import type { Config } from '../../src/shared/config/Config';
import { systemLookup } from '../../src/shared/net/hostGuard';

/** The SMTP transport alone, for hosts on loopback, with short timeouts so that a silent test host fails fast. */
export function loopbackTransport(options: Partial<DeliveryOptions> = {}, tokens: AccessTokens = {} as AccessTokens): SmtpMailTransport {
  const config = { smtpAllowPrivateHosts: true } as Config;
  const timeouts = { connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 2_000 };
  return new SmtpMailTransport(config, { ...DEFAULT_DELIVERY_OPTIONS, ...timeouts, ...options }, systemLookup, tokens);
}
