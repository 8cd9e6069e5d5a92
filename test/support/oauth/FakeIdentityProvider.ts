import { createHmac, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An app registration in a fake Entra directory. */
export interface FakeApp {
  secret: string;
  /** Application permissions granted with admin consent, per resource. */
  roles: { smtp: string[]; graph: string[] };
  /** False: AADSTS65001 (no administrator consented in this directory). */
  consented: boolean;
  /** True: AADSTS7000222 (the secret has expired). */
  secretExpired?: boolean;
}

export interface IssuedToken {
  provider: 'microsoft' | 'google';
  audience: 'smtp' | 'graph';
  /** Google: the mailbox the token acts as (the assertion's sub). */
  mailbox?: string;
  clientId: string;
  roles: string[];
  exp: number;
}

export interface TokenRequest {
  provider: 'microsoft' | 'google';
  /** The form as sent; secrets included (the fake is the only one to see them). */
  form: Record<string, string>;
  status: number;
}

const AUDIENCES = { 'https://outlook.office365.com/.default': 'smtp', 'https://graph.microsoft.com/.default': 'graph' } as const;
const GOOGLE_PATH = '/google/token';

/** A Google Workspace service account whose key the fake knows. */
export class FakeServiceAccount {
  readonly privateKey: string;
  readonly publicKey: KeyObject;
  constructor(
    readonly clientEmail: string,
    readonly clientId: string,
  ) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKey = pair.publicKey;
  }

  json(): string {
    return JSON.stringify({ type: 'service_account', client_email: this.clientEmail, client_id: this.clientId, private_key: this.privateKey });
  }
}

/**
 * Microsoft's token endpoint (client credentials, the AADSTS errors of a wrong secret, an unknown
 * app, a missing consent), Google's (JWT bearer grant: the RS256 assertion verified with the
 * service account's public key and its claims checked; `unauthorized_client` without delegation),
 * and the Graph `sendMail` endpoint (Bearer token, base64 MIME). Tokens are JWT-shaped with
 * `roles` and `exp`; every one issued is remembered so that the fake hosts can check them.
 * `now` may be moved so that tests can let tokens expire.
 */
export class FakeIdentityProvider {
  /** directory id → client id → app */
  readonly directories = new Map<string, Map<string, FakeApp>>();
  /** service account email → account and the mailboxes it may act as (`*` = any) */
  readonly serviceAccounts = new Map<string, { account: FakeServiceAccount; delegated: Set<string> }>();
  readonly issued = new Map<string, IssuedToken>();
  readonly requests: TokenRequest[] = [];
  /** Mail sent through Graph: the user of the path and the decoded MIME. */
  readonly graphMail: Array<{ user: string; mime: Buffer }> = [];
  /** Google: mailboxes the Workspace does not know (invalid_grant). */
  readonly unknownMailboxes = new Set<string>();
  /** Graph mailboxes that answer 403 ErrorSendAsDenied. */
  readonly graphSendAsDenied = new Set<string>();
  /** Graph calls refused with 401 (a stale or foreign token). */
  graphUnauthorized = 0;
  /** Graph refuses every token with 401 (the app was removed from the directory). */
  graphRefuseTokens = false;
  lifetimeSeconds = 3599;
  offsetMs = 0;
  /** Delay before each token answer (lets concurrent requests overlap). */
  delayMs = 0;
  /** The next token requests answered 503 (an outage of the provider). */
  outages = 0;
  /** The next Graph calls answered 503 with Retry-After. */
  graphBusy = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeIdentityProvider> {
    let self!: FakeIdentityProvider;
    const server = createServer((req, res) => void self.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new FakeIdentityProvider(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  get googleTokenUrl(): string {
    return `${this.url}${GOOGLE_PATH}`;
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  addApp(directoryId: string, clientId: string, app: Partial<FakeApp> & { secret: string }): FakeApp {
    const full: FakeApp = { roles: { smtp: ['SMTP.SendAsApp'], graph: ['Mail.Send'] }, consented: true, ...app };
    if (!this.directories.has(directoryId)) this.directories.set(directoryId, new Map());
    this.directories.get(directoryId)!.set(clientId, full);
    return full;
  }

  addServiceAccount(account: FakeServiceAccount, delegated: string[] = ['*']): void {
    this.serviceAccounts.set(account.clientEmail, { account, delegated: new Set(delegated) });
  }

  /** Whether `token` is one this fake issued and has not expired. */
  live(token: string): IssuedToken | undefined {
    const issued = this.issued.get(token);
    return issued && issued.exp * 1000 > this.now() ? issued : undefined;
  }

  tokenRequests(provider?: 'microsoft' | 'google'): TokenRequest[] {
    return this.requests.filter((request) => !provider || request.provider === provider);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const url = new URL(req.url ?? '/', this.url);
    const microsoft = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    const graph = /^\/v1\.0\/users\/([^/]+)\/sendMail$/.exec(url.pathname);
    if ((microsoft || url.pathname === GOOGLE_PATH) && this.outages > 0) {
      this.outages--;
      this.requests.push({ provider: microsoft ? 'microsoft' : 'google', form: form(body), status: 503 });
      return json(res, 503, { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred.' });
    }
    if (graph && this.graphBusy > 0) {
      this.graphBusy--;
      res
        .writeHead(503, { 'Retry-After': '1', 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'Service unavailable' } }));
      return;
    }
    if (req.method === 'POST' && microsoft) return this.microsoftToken(decodeURIComponent(microsoft[1]!), form(body), res);
    if (req.method === 'POST' && url.pathname === GOOGLE_PATH) return this.googleToken(form(body), res);
    if (req.method === 'POST' && graph) return this.sendMail(decodeURIComponent(graph[1]!), req, body, res);
    json(res, 404, { error: 'not_found' });
  }

  private microsoftToken(directoryId: string, fields: Record<string, string>, res: ServerResponse): void {
    const answer = (status: number, payload: object): void => {
      this.requests.push({ provider: 'microsoft', form: fields, status });
      json(res, status, payload);
    };
    const directory = this.directories.get(directoryId);
    if (!directory) return answer(400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${directoryId}' not found.` });
    const app = directory.get(fields.client_id ?? '');
    if (!app) {
      return answer(400, {
        error: 'unauthorized_client',
        error_description: `AADSTS700016: Application with identifier '${fields.client_id}' was not found in the directory '${directoryId}'.`,
      });
    }
    if (fields.client_secret !== app.secret)
      return answer(401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${fields.client_id}'.`,
      });
    if (app.secretExpired)
      return answer(401, {
        error: 'invalid_client',
        error_description: `AADSTS7000222: The provided client secret keys for app '${fields.client_id}' are expired.`,
      });
    if (fields.grant_type !== 'client_credentials')
      return answer(400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: unsupported grant type' });
    const audience = AUDIENCES[fields.scope as keyof typeof AUDIENCES];
    if (!audience) return answer(400, { error: 'invalid_scope', error_description: `AADSTS70011: The provided value for scope ${fields.scope} is not valid.` });
    if (!app.consented) {
      return answer(400, {
        error: 'invalid_grant',
        error_description: `AADSTS65001: The user or administrator has not consented to use the application with ID '${fields.client_id}'.`,
      });
    }
    const roles = app.roles[audience];
    const token = this.issue(
      { provider: 'microsoft', audience, clientId: fields.client_id!, roles },
      { tid: directoryId, appid: fields.client_id, ...(roles.length ? { roles } : {}) },
    );
    answer(200, { token_type: 'Bearer', expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: token });
  }

  private googleToken(fields: Record<string, string>, res: ServerResponse): void {
    const answer = (status: number, payload: object): void => {
      this.requests.push({ provider: 'google', form: fields, status });
      json(res, status, payload);
    };
    if (fields.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return answer(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
    const [header, payload, signature] = (fields.assertion ?? '').split('.');
    const claims = decode(payload);
    const entry = this.serviceAccounts.get(String(claims?.iss));
    if (!header || !claims || !signature || !entry) return answer(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    if (decode(header)?.alg !== 'RS256') return answer(400, { error: 'invalid_grant', error_description: 'Invalid JWT: alg' });
    const verified = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(entry.account.publicKey, Buffer.from(signature, 'base64url'));
    if (!verified) return answer(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const now = Math.floor(this.now() / 1000);
    const { sub, scope, aud, iat, exp } = claims as Record<string, unknown>;
    if (aud !== this.googleTokenUrl)
      return answer(400, { error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe (aud)' });
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= now || iat > now + 300) {
      return answer(400, {
        error: 'invalid_grant',
        error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      });
    }
    if (scope !== 'https://mail.google.com/') return answer(400, { error: 'invalid_scope', error_description: `Invalid OAuth scope: ${String(scope)}` });
    if (typeof sub === 'string' && this.unknownMailboxes.has(sub.toLowerCase()))
      return answer(400, { error: 'invalid_grant', error_description: 'Invalid email or User ID' });
    if (typeof sub !== 'string' || !(entry.delegated.has('*') || entry.delegated.has(sub.toLowerCase()))) {
      return answer(401, {
        error: 'unauthorized_client',
        error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      });
    }
    const token = this.issue({ provider: 'google', audience: 'smtp', mailbox: sub.toLowerCase(), clientId: entry.account.clientId, roles: [] }, { sub });
    answer(200, { access_token: token, expires_in: this.lifetimeSeconds, token_type: 'Bearer' });
  }

  private sendMail(user: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const issued = this.live(token);
    if (!issued || issued.audience !== 'graph' || this.graphRefuseTokens) {
      this.graphUnauthorized++;
      return json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } });
    }
    if (!issued.roles.includes('Mail.Send'))
      return json(res, 403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } });
    if (this.graphSendAsDenied.has(user.toLowerCase())) {
      return json(res, 403, {
        error: {
          code: 'ErrorSendAsDenied',
          message: 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.',
        },
      });
    }
    if (!/^text\/plain/.test(req.headers['content-type'] ?? ''))
      return json(res, 400, { error: { code: 'ErrorMimeContentInvalid', message: 'Content-Type must be text/plain' } });
    this.graphMail.push({ user: user.toLowerCase(), mime: Buffer.from(body.toString('utf8'), 'base64') });
    res.writeHead(202).end();
  }

  private issue(token: Omit<IssuedToken, 'exp'>, claims: Record<string, unknown>): string {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.lifetimeSeconds;
    const aud = token.audience === 'graph' ? 'https://graph.microsoft.com' : 'https://outlook.office365.com';
    const input = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64({ aud, iat, nbf: iat, exp, jti: randomBytes(8).toString('hex'), ...claims })}`;
    const value = `${input}.${createHmac('sha256', 'fake-idp').update(input).digest('base64url')}`;
    this.issued.set(value, { ...token, exp });
    return value;
  }
}

function form(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

function json(res: ServerResponse, status: number, payload: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(part: string | undefined): Record<string, unknown> | undefined {
  try {
    return part ? (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
