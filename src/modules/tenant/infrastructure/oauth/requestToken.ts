import { message, wrapping } from '../../../../shared/messages/message';
import type { OAuthConfig } from '../../../../shared/config/oauthConfig';
import { signRs256 } from '../../../../shared/crypto/jwt';
import { MailHostRefusedError } from '../../../../shared/net/hostGuard';
import { guardedRequest, type GuardedRequest } from '../../../../shared/net/guardedRequest';
import { TokenError, type AccessToken, type TokenAudience } from '../../domain/oauth/AccessTokens';
import { consentUrlOf, GOOGLE_MAIL_SCOPE, type OAuth2Credentials } from '../../domain/oauth/OAuth2Settings';
import { googleRefusal, microsoftRefusal } from '../../domain/oauth/oauth2Reasons';

const SCOPES: Record<TokenAudience, string> = {
  smtp: 'https://outlook.office365.com/.default',
  graph: 'https://graph.microsoft.com/.default',
};
const TOKEN_TIMEOUT_MS = 15_000;
const ASSERTION_LIFETIME_S = 3600;

export type Send = (request: Pick<GuardedRequest, 'url' | 'method' | 'headers' | 'body' | 'timeoutMs'>) => ReturnType<typeof guardedRequest>;

/** One token request to the tenant's identity provider: Microsoft's client-credentials grant or Google's JWT bearer grant. */
export async function requestToken(
  credentials: OAuth2Credentials,
  mailbox: string,
  audience: TokenAudience,
  oauth: OAuthConfig,
  send: Send,
  nowMs: number,
): Promise<AccessToken> {
  if (credentials.provider === 'unavailable') throw new TokenError(credentials.reason, false);
  let url: string;
  let form: URLSearchParams;
  if (credentials.provider === 'microsoft') {
    url = `${oauth.microsoftLoginUrl}/${encodeURIComponent(credentials.directoryId)}/oauth2/v2.0/token`;
    form = new URLSearchParams({
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      grant_type: 'client_credentials',
      scope: SCOPES[audience],
    });
  } else {
    url = oauth.googleTokenUrl;
    const iat = Math.floor(nowMs / 1000);
    const claims = { iss: credentials.clientEmail, sub: mailbox, scope: GOOGLE_MAIL_SCOPE, aud: oauth.googleTokenUrl, iat, exp: iat + ASSERTION_LIFETIME_S };
    let assertion: string;
    try {
      assertion = signRs256(claims, credentials.privateKey);
    } catch {
      throw new TokenError(message('oauth2_private_key_unusable', { clientEmail: credentials.clientEmail }), false);
    }
    form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  }
  const provider = credentials.provider === 'microsoft' ? 'Microsoft' : 'Google';
  let response;
  try {
    response = await send({
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      timeoutMs: TOKEN_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof MailHostRefusedError)
      throw new TokenError(wrapping('oauth2_endpoint_refused', { provider, host: new URL(url).host }, error.detail), false);
    throw new TokenError(message('oauth2_endpoint_unreachable', { provider, error: (error as Error).message }), true);
  }
  const body = parseJson(response.body);
  if (response.status >= 200 && response.status < 300 && typeof body.access_token === 'string') {
    const lifetime = Number(body.expires_in);
    return { value: body.access_token, expiresAt: nowMs + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 3600) * 1000 };
  }
  const error = typeof body.error === 'string' ? body.error : '';
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  if (response.status === 429 || response.status >= 500 || !error) {
    throw new TokenError(
      error
        ? message('oauth2_endpoint_unavailable_error', { provider, status: response.status, error })
        : message('oauth2_endpoint_unavailable', { provider, status: response.status }),
      true,
    );
  }
  if (credentials.provider === 'microsoft') throw microsoftRefusal(credentials, error, description, consentUrlOf(oauth, credentials.directoryId));
  throw googleRefusal(credentials, mailbox, error, description, credentials.ownAccount ? undefined : oauth.googleServiceAccount?.clientId);
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
