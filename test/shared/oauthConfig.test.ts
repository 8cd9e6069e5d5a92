import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/shared/config/Config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const account = { type: 'service_account', client_email: 'kos@project.iam.gserviceaccount.com', client_id: '1048576', private_key: privateKey };

describe('OAuth configuration', () => {
  it("defaults to the providers' public endpoints and no operator apps", () => {
    expect(loadConfig({}).oauth).toEqual({
      microsoftLoginUrl: 'https://login.microsoftonline.com',
      microsoftGraphUrl: 'https://graph.microsoft.com',
      googleTokenUrl: 'https://oauth2.googleapis.com/token',
    });
  });

  it("reads the operator's apps, the service account as JSON or as a path", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kos-sa-'));
    writeFileSync(join(dir, 'sa.json'), JSON.stringify(account));
    const env = {
      MICROSOFT_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      MICROSOFT_CLIENT_SECRET: 's3cret',
      MICROSOFT_LOGIN_URL: 'https://login.example.ch/',
    };
    const fromJson = loadConfig({ ...env, GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(account) }).oauth;
    expect(fromJson).toMatchObject({
      microsoftLoginUrl: 'https://login.example.ch',
      microsoftApp: { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 's3cret' },
      googleServiceAccount: { clientEmail: 'kos@project.iam.gserviceaccount.com', clientId: '1048576', privateKey },
    });
    expect(loadConfig({ GOOGLE_SERVICE_ACCOUNT_JSON: join(dir, 'sa.json') }).oauth.googleServiceAccount?.clientEmail).toBe(
      'kos@project.iam.gserviceaccount.com',
    );
  });

  it('refuses bad values, naming the variable; plain http and loopback only with SMTP_ALLOW_PRIVATE_HOSTS=true', () => {
    expect(problemsOf({ MICROSOFT_CLIENT_ID: '11111111-2222-4333-8444-555555555555' })).toEqual([
      'MICROSOFT_CLIENT_SECRET: must be set together with MICROSOFT_CLIENT_ID',
    ]);
    expect(problemsOf({ MICROSOFT_CLIENT_ID: 'app', MICROSOFT_CLIENT_SECRET: 'x' })).toEqual([
      'MICROSOFT_CLIENT_ID: must be the application (client) id, a GUID',
    ]);
    expect(problemsOf({ GOOGLE_SERVICE_ACCOUNT_JSON: '{"client_email":"a@b.ch"}' })).toEqual([
      'GOOGLE_SERVICE_ACCOUNT_JSON: the JSON key needs client_email and private_key',
    ]);
    expect(problemsOf({ GOOGLE_SERVICE_ACCOUNT_JSON: '/nicht/da.json' })[0]).toMatch(/^GOOGLE_SERVICE_ACCOUNT_JSON: .*could not be read/);
    expect(problemsOf({ GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({ ...account, private_key: 'nope' }) })).toEqual([
      'GOOGLE_SERVICE_ACCOUNT_JSON: private_key is not a PEM private key',
    ]);
    expect(problemsOf({ MICROSOFT_LOGIN_URL: 'http://127.0.0.1:8080' })[0]).toMatch(/^MICROSOFT_LOGIN_URL: must be an https:\/\/ URL/);
    expect(problemsOf({ GOOGLE_TOKEN_URL: 'https://user:pw@oauth2.example/token' })[0]).toMatch(/^GOOGLE_TOKEN_URL: /);
    expect(problemsOf({ MICROSOFT_GRAPH_URL: 'ftp://graph' })[0]).toMatch(/^MICROSOFT_GRAPH_URL: /);
    expect(loadConfig({ SMTP_ALLOW_PRIVATE_HOSTS: 'true', MICROSOFT_LOGIN_URL: 'http://127.0.0.1:8080' }).oauth.microsoftLoginUrl).toBe(
      'http://127.0.0.1:8080',
    );
  });
});
