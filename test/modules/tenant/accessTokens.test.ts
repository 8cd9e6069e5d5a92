import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpEndpoint } from '../../../src/modules/tenant/domain/MailHostDirectory';
import { TokenError } from '../../../src/modules/tenant/domain/oauth/AccessTokens';
import { CachedAccessTokens } from '../../../src/modules/tenant/infrastructure/oauth/CachedAccessTokens';
import type { HostLookup } from '../../../src/shared/net/hostGuard';
import { FixedClock } from '../../../src/shared/time/FixedClock';
import { FakeIdentityProvider } from '../../support/oauth/FakeIdentityProvider';
import { CANARY_CLIENT_SECRET, DIRECTORY, oauthEnv, OWN_APP } from '../../support/oauth/oauthTenants';
import { testConfig } from '../../support/testConfig';

describe('the token cache', () => {
  let idp: FakeIdentityProvider;
  const endpoint: SmtpEndpoint = {
    tenantId: 'kunde',
    host: 'smtp.office365.com',
    port: 587,
    security: 'starttls',
    settingsVersion: 1,
    oauth2: { provider: 'microsoft', directoryId: DIRECTORY, clientId: OWN_APP, clientSecret: CANARY_CLIENT_SECRET, ownApp: true },
  };

  beforeAll(async () => {
    idp = await FakeIdentityProvider.start();
    idp.addApp(DIRECTORY, OWN_APP, { secret: CANARY_CLIENT_SECRET });
  });
  afterAll(async () => idp?.close());

  const tokensAt = (clock: FixedClock, overrides: Parameters<typeof testConfig>[0] = {}, lookup?: HostLookup) =>
    new CachedAccessTokens(testConfig(overrides, oauthEnv(idp)), clock, lookup ?? (async () => [{ address: '127.0.0.1', family: 4 }]));

  it('serves 50 concurrent callers with one request, caches per sender, and renews 5 minutes before expiry', async () => {
    const clock = new FixedClock(new Date());
    const tokens = tokensAt(clock);
    idp.delayMs = 100;
    const before = idp.requests.length;
    const got = await Promise.all(Array.from({ length: 50 }, () => tokens.get(endpoint, 'Anna@kunde.ch', 'smtp')));
    idp.delayMs = 0;
    expect(idp.requests.length - before).toBe(1);
    expect(new Set(got.map((token) => token.value)).size).toBe(1);
    await tokens.get(endpoint, 'anna@kunde.ch', 'smtp');
    expect(idp.requests.length - before).toBe(1);
    await tokens.get(endpoint, 'beat@kunde.ch', 'smtp');
    expect(idp.requests.length - before).toBe(2);
    clock.advance((3599 - 301) * 1000);
    expect(tokens.fresh(got[0]!)).toBe(true);
    await tokens.get(endpoint, 'anna@kunde.ch', 'smtp');
    expect(idp.requests.length - before).toBe(2);
    clock.advance(2000);
    expect(tokens.fresh(got[0]!)).toBe(false);
    const renewed = await tokens.get(endpoint, 'anna@kunde.ch', 'smtp');
    expect(idp.requests.length - before).toBe(3);
    expect(renewed.value).not.toBe(got[0]!.value);
  });

  it('does not cache a refusal, and a dropped token is requested again', async () => {
    const tokens = tokensAt(new FixedClock(new Date()));
    const wrong = { ...endpoint, tenantId: 'falsch', oauth2: { ...endpoint.oauth2!, clientSecret: 'wrong' } } as SmtpEndpoint;
    const before = idp.requests.length;
    await expect(tokens.get(wrong, 'anna@kunde.ch', 'smtp')).rejects.toThrow(TokenError);
    await expect(tokens.get(wrong, 'anna@kunde.ch', 'smtp')).rejects.toThrow(/mail\.oauth2\.clientSecret/);
    expect(idp.requests.length - before).toBe(2);
    const token = await tokens.get(endpoint, 'otto@kunde.ch', 'smtp');
    tokens.drop(endpoint, 'otto@kunde.ch', 'smtp', token);
    await tokens.get(endpoint, 'otto@kunde.ch', 'smtp');
    expect(idp.requests.length - before).toBe(4);
  });

  it('reaches the identity endpoint only through the network guard: loopback is refused unless SMTP_ALLOW_PRIVATE_HOSTS=true', async () => {
    const before = idp.requests.length;
    const port = new URL(idp.url).port;
    const byName = tokensAt(
      new FixedClock(new Date()),
      { smtpAllowPrivateHosts: false, oauth: { ...testConfig({}, oauthEnv(idp)).oauth, microsoftLoginUrl: `http://login.kunde.test:${port}` } },
      async () => [{ address: '127.0.0.1', family: 4 }],
    );
    const refused = await byName.get(endpoint, 'anna@kunde.ch', 'smtp').catch((error: unknown) => error as TokenError);
    expect(refused).toBeInstanceOf(TokenError);
    expect(refused).toMatchObject({ temporary: false, code: 'oauth2_endpoint_refused' });
    expect((refused as Error).message).toContain('network guard');
    const literal = tokensAt(new FixedClock(new Date()), { smtpAllowPrivateHosts: false });
    await expect(literal.get(endpoint, 'anna@kunde.ch', 'smtp')).rejects.toMatchObject({ code: 'oauth2_endpoint_refused' });
    expect(idp.requests.length - before).toBe(0);
  });
});
