import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer } from '../../../src/container';
import { RotateCredentials } from '../../../src/modules/tenant/application/RotateCredentials';
import { MAIL_HOST_DIRECTORY } from '../../../src/modules/tenant/tokens';
import { keyId } from '../../../src/shared/crypto/CredentialsKeyring';
import { createLogger } from '../../../src/shared/logging/logger';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { startSmtpHost } from '../../support/smtpHosts';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const CANARY = 'canary-Zx81-secret-4d2e';

interface Row {
  id: string;
  password_ciphertext: string | null;
  password_key_id: string | null;
}

describe.each(DATABASE_KINDS)('tenant credentials on %s', (kind) => {
  let t: TestApp;
  const logLines: string[] = [];
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  beforeAll(async () => {
    t = await createTestApp(kind, {
      config: { credentialsKey: oldKey },
      logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }),
    });
  });
  afterAll(async () => t.close());

  const rows = async (): Promise<Row[]> => t.container.get(DATABASE)('tenants').select('id', 'password_ciphertext', 'password_key_id').orderBy('id');
  const tenantBody = (password: string | undefined, port = 587) => ({
    name: 'Kunde AG',
    alertSender: { address: 'kos@kunde.ch' },
    mail: {
      preset: 'custom',
      host: '127.0.0.1',
      port,
      security: 'none',
      username: 'kos@kunde.ch',
      ...(password ? { password } : {}),
      allowedSenders: ['*@kunde.ch'],
    },
  });

  it('keeps the password out of responses, logs and audit, also after a failed login; the database holds only ciphertext', async () => {
    const host = await startSmtpHost({ login: { username: 'kos@kunde.ch', password: 'not-the-canary' } });
    try {
      const bodies: string[] = [];
      for (const id of ['alpha', 'beta', 'gamma']) {
        const saved = await request(t.app)
          .put(`/api/v1/tenants/${id}`)
          .set(admin)
          .send(tenantBody(`${CANARY}-${id}`, host.port));
        expect(saved.status).toBe(201);
        bodies.push(saved.text);
      }
      const verify = await request(t.app).post('/api/v1/tenants/alpha/mail/verify').set(admin).send({});
      expect(verify.body.steps[2]).toMatchObject({ step: 'auth', ok: false });
      bodies.push(verify.text);
      bodies.push((await request(t.app).get('/api/v1/tenants/alpha').set(admin)).text);
      bodies.push((await request(t.app).get('/api/v1/tenants').set(admin)).text);
      bodies.push((await request(t.app).get('/api/v1/tenants/alpha/audit').set(admin)).text);
      const rejected = await request(t.app)
        .put('/api/v1/tenants/alpha')
        .set(admin)
        .send({ ...tenantBody(`${CANARY}-alpha`), alertSender: { address: 'kos@other.ch' } });
      expect(rejected.status).toBe(422);
      bodies.push(rejected.text);
      const broken = await request(t.app)
        .put('/api/v1/tenants/alpha')
        .set(admin)
        .send({ ...tenantBody(`${CANARY}-alpha`), locale: 'xx' });
      expect(broken.status).toBe(400);
      bodies.push(broken.text);

      const seen = [...bodies, ...logLines].join('\n');
      expect(logLines.length).toBeGreaterThan(5);
      expect(seen).not.toContain(CANARY);
      expect(seen).not.toContain(Buffer.from(`${CANARY}-alpha`).toString('base64'));
      expect(seen).not.toContain(Buffer.from(`\0kos@kunde.ch\0${CANARY}-alpha`).toString('base64'));

      const raw = JSON.stringify(await t.container.get(DATABASE)('tenants').select());
      expect(raw).not.toContain(CANARY);
      for (const row of await rows()) {
        expect(row.password_key_id).toBe(keyId(oldKey));
        expect(Buffer.from(row.password_ciphertext!, 'base64').toString('latin1')).not.toContain(CANARY);
      }
      expect((await t.container.get(MAIL_HOST_DIRECTORY).endpointFor('alpha'))?.password).toBe(`${CANARY}-alpha`);
    } finally {
      await host.close();
    }
  });

  it('binds a ciphertext to its tenant: copied to another tenant it does not decrypt', async () => {
    const db = t.container.get(DATABASE);
    const [alpha] = await db<Row>('tenants').where({ id: 'alpha' });
    await db('tenants').insert({
      ...(await db('tenants').where({ id: 'beta' }).first()),
      id: 'copycat',
      password_ciphertext: alpha!.password_ciphertext,
      password_key_id: alpha!.password_key_id,
    });
    await expect(t.container.get(MAIL_HOST_DIRECTORY).endpointFor('copycat')).rejects.toThrow(/does not decrypt/);
    await db('tenants').where({ id: 'copycat' }).delete();
  });

  it('rotates: old rows decrypt during the rotation, every row is re-encrypted, then the old key is no longer needed', async () => {
    const before = await rows();
    const rotating = buildContainer({ ...t.config, credentialsKey: newKey, previousCredentialsKeys: [oldKey] });
    try {
      expect((await rotating.get(MAIL_HOST_DIRECTORY).endpointFor('beta'))?.password).toBe(`${CANARY}-beta`);
      expect(await rotating.get(RotateCredentials).execute()).toEqual({ reencrypted: 3, alreadyCurrent: 0, failed: [] });
      expect(await rotating.get(RotateCredentials).execute()).toEqual({ reencrypted: 0, alreadyCurrent: 3, failed: [] });
    } finally {
      await rotating.unbindAllAsync();
    }
    const after = await rows();
    expect(after.map((row) => row.password_key_id)).toEqual([keyId(newKey), keyId(newKey), keyId(newKey)]);
    after.forEach((row, index) => expect(row.password_ciphertext).not.toBe(before[index]!.password_ciphertext));

    const onlyNew = buildContainer({ ...t.config, credentialsKey: newKey, previousCredentialsKeys: [] });
    try {
      for (const id of ['alpha', 'beta', 'gamma']) expect((await onlyNew.get(MAIL_HOST_DIRECTORY).endpointFor(id))?.password).toBe(`${CANARY}-${id}`);
    } finally {
      await onlyNew.unbindAllAsync();
    }
    await expect(t.container.get(MAIL_HOST_DIRECTORY).endpointFor('alpha')).rejects.toThrow(/not configured/);
  });

  it('rotates from the command line (npm run rotate-credentials, built)', async () => {
    const third = randomBytes(32);
    const url = t.config.database.client === 'sqlite' ? `sqlite:${t.config.database.filename}` : t.config.database.connectionString;
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/src/cli/rotateCredentials.js'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: url,
        CREDENTIALS_KEY: third.toString('base64'),
        CREDENTIALS_KEY_PREVIOUS: `${oldKey.toString('base64')},${newKey.toString('base64')}`,
        LOG_LEVEL: 'silent',
      },
    });
    expect(JSON.parse(stdout)).toEqual({ reencrypted: 3, alreadyCurrent: 0, failed: [] });
    expect((await rows()).map((row) => row.password_key_id)).toEqual([keyId(third), keyId(third), keyId(third)]);
  });
});
