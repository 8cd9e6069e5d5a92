import type { Knex } from 'knex';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError } from '../../src/shared/database/databaseErrors';
import { DATABASE } from '../../src/shared/tokens';
import { captureLog } from '../support/captureLog';
import { DATABASE_KINDS, type DatabaseKind } from '../support/databases';
import { createTestApp, type TestApp } from '../support/testApp';
import { TEST_ADMIN_KEY } from '../support/testConfig';

const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const CANARY = 'canary-db-value-7f3a';

/** Makes every new outbox row fail in the database itself, as a broken or full database would. */
async function breakOutboxInserts(db: Knex, kind: DatabaseKind): Promise<void> {
  if (kind === 'sqlite') {
    await db.raw(`create trigger refuse_outbox before insert on outbox_messages begin select raise(abort, 'refused by the test'); end`);
    return;
  }
  await db.raw(
    `create function refuse_outbox() returns trigger language plpgsql as $$ begin raise exception 'refused by the test' using errcode = '23514'; end $$`,
  );
  await db.raw('create trigger refuse_outbox before insert on outbox_messages for each row execute function refuse_outbox()');
}

const notification = {
  author: { name: `Anna ${CANARY}`, email: `anna.${CANARY}@kunde.ch` },
  to: [{ email: `bob.${CANARY}@kunde.ch` }],
  subject: `Subject ${CANARY}`,
  text: `${CANARY} `.repeat(300),
  html: `<p>${CANARY}</p>`.repeat(100),
};

describe.each(DATABASE_KINDS)('database errors in the log (%s)', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('carry the error code, statement kind and table, never the values bound to the statement', async () => {
    const log = captureLog();
    t = await createTestApp(kind, { logger: log.logger });
    const tenant = await request(t.app)
      .put('/api/v1/tenants/acme')
      .set(ADMIN)
      .send({
        name: 'Acme',
        mail: { preset: 'custom', host: 'mail.kunde.ch', port: 587, security: 'starttls', username: 'u', password: 'p', allowedSenders: ['*@kunde.ch'] },
        alertSender: { address: 'kos@kunde.ch' },
      });
    expect(tenant.status).toBe(201);
    await breakOutboxInserts(t.container.get(DATABASE), kind);

    const response = await request(t.app).post('/api/v1/tenants/acme/notifications').set(ADMIN).send(notification);
    expect(response.status).toBe(500);
    expect(response.text).not.toContain(CANARY);

    const line = log.lines().find((raw) => raw.includes('"unexpected error"'))!;
    expect(line).toBeDefined();
    const entry = JSON.parse(line);
    expect(entry.err).toMatchObject({ type: 'DatabaseError', code: kind === 'sqlite' ? 'SQLITE_CONSTRAINT' : '23514', kind: 'insert' });
    expect(entry.err.message).toContain('refused by the test');
    expect(log.text()).not.toContain(CANARY);
    // The request was 5.9 KB of text; the line stays a line.
    expect(line.length).toBeLessThan(600);
    console.info(`database error log line (${kind}): ${line.length} characters: ${JSON.stringify(entry.err)}`);
  });

  it("drop PostgreSQL's detail, which quotes the duplicate key, and name the table", async () => {
    const log = captureLog();
    t = await createTestApp(kind, { logger: log.logger });
    const db = t.container.get(DATABASE);
    const row = { id: CANARY, key_hash: `h-${CANARY}`, label: CANARY, created_at: 1, created_by: 'test' };
    await db('api_keys').insert(row);
    const error = await db('api_keys')
      .insert(row)
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    log.logger.error({ err: error }, 'could not store the key');

    const entry = JSON.parse(log.lines()[0]!);
    expect(entry.err).toMatchObject({ code: kind === 'sqlite' ? 'SQLITE_CONSTRAINT' : '23505', kind: 'insert', table: 'api_keys' });
    expect(log.text()).not.toContain(CANARY);
    expect(describeError(error)).toMatch(/^database error (SQLITE_CONSTRAINT|23505) in insert on api_keys: /);
    expect(describeError(error)).not.toContain(CANARY);
  });
});
