import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo's stand-in for Microsoft's token endpoint: one directory, one app registration, the
 * client-credentials grant, JWT-shaped tokens with the roles the app was granted. Offline, on
 * loopback; the tests have a fuller fake (test/support/oauth).
 */
export class FakeEntraId {
  readonly tokens = new Map<string, number>();
  requests = 0;
  private readonly server: Server;
  url = '';

  constructor(
    readonly directoryId: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests++;
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const answer = (status: number, body: object) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
        if (req.url !== `/${this.directoryId}/oauth2/v2.0/token`)
          return answer(400, { error: 'invalid_request', error_description: 'AADSTS90002: Tenant not found.' });
        if (form.get('client_id') !== this.clientId)
          return answer(400, {
            error: 'unauthorized_client',
            error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`,
          });
        if (form.get('client_secret') !== this.clientSecret)
          return answer(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        const now = Math.floor(Date.now() / 1000);
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const token = `${part({ typ: 'JWT', alg: 'none' })}.${part({ aud: 'https://outlook.office365.com', tid: this.directoryId, appid: this.clientId, roles: ['SMTP.SendAsApp'], iat: now, exp: now + 3599 })}.${randomBytes(16).toString('base64url')}`;
        this.tokens.set(token, (now + 3599) * 1000);
        answer(200, { token_type: 'Bearer', expires_in: 3599, access_token: token });
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Whether the token is one this fake issued and it has not expired. */
  accepts(token: string): boolean {
    return (this.tokens.get(token) ?? 0) > Date.now();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
