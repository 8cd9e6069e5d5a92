import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killHard, postJson, startChildService, type ChildService } from '../../support/childService';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases';
import { notificationBody } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';

const OTHERS = ['kunde-a', 'kunde-b'];
const PER_TENANT = 10;
const POISON = 'Gift: dieser Versand beendet den Prozess';
const CO_TRAVELLER = 'Mitreisend: langsamer Host, unterwegs mit dem Gift';

/**
 * A message whose sending takes the process down (here: its host kills the process when its DATA
 * arrives) is set aside after three interrupted sends instead of stopping the service forever; an
 * innocent mail that was on the wire at every death is not.
 */
describe.each(DATABASE_KINDS)('a message that kills the process whenever it is sent, on %s', (kind) => {
  let dir: string;
  let database: TestDatabase;
  let db: Knex;
  let smtp: TestSmtpServer;
  let current: ChildService | undefined;
  let poisonArrivals = 0;
  /** The poison arrived while its process was still starting: killed as soon as it is up. */
  let killWhenUp = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kos-poison-'));
    database = await createTestDatabase(kind);
    smtp = await TestSmtpServer.start();
    smtp.onData = (mail) => {
      // An innocent mail whose host answers slowly: on the wire whenever the poison kills the process.
      if (mail.raw.toString('utf8').includes(CO_TRAVELLER)) return poisonArrivals < 3 ? { stallMs: 3_000 } : undefined;
      if (!mail.raw.toString('utf8').includes(POISON)) return undefined;
      poisonArrivals++;
      if (current) current.child.kill('SIGKILL');
      else killWhenUp = true;
      // Never answered: the process is gone before it could learn the outcome.
      return { stallMs: 5_000 };
    };
  });
  afterAll(async () => {
    if (current) await killHard(current);
    await db?.destroy();
    await smtp?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const databaseUrl = (): string => (database.config.client === 'pg' ? database.config.connectionString : `sqlite:${database.config.filename}`);
  const start = async (): Promise<ChildService> => {
    // Retries after a temporary failure (a send timing out on a loaded machine) come within the polls, not a minute later.
    current = await startChildService({ DATABASE_URL: databaseUrl(), RETRY_SCHEDULE: '1s,1s,1s,1s,1s,1s,1s,1s' }, dir);
    if (killWhenUp) current.child.kill('SIGKILL');
    killWhenUp = false;
    return current;
  };
  const exited = (service: ChildService): Promise<unknown> =>
    new Promise((resolve) => (service.child.exitCode !== null ? resolve(service.child.exitCode) : service.child.once('exit', resolve)));
  const queue = async (service: ChildService, tenantId: string, subject: string): Promise<string> => {
    const response = await postJson(
      `${service.base}/tenants/${tenantId}/notifications`,
      notificationBody({ author: { name: 'Anna', email: `anna@${tenantId}.ch` }, to: [{ email: `r@${tenantId}.ch` }], subject }),
    );
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };
  const row = (id: string) => db('outbox_messages').where({ id }).first();

  it('is set aside as failed after 3 interrupted sends; the third restart stays up and the other tenants get their mail', async () => {
    db = knex(
      database.config.client === 'pg'
        ? { client: 'pg', connection: database.config.connectionString }
        : { client: 'sqlite3', connection: { filename: database.config.filename }, useNullAsDefault: true },
    );
    const first = await start();
    for (const tenantId of ['gift', ...OTHERS]) {
      const tenant = {
        name: tenantId,
        alertSender: { address: `kos@${tenantId}.ch` },
        mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: [`*@${tenantId}.ch`] },
      };
      expect((await postJson(`${first.base}/tenants/${tenantId}`, tenant, 'PUT')).status).toBe(201);
    }
    const others: string[] = [];
    for (const tenantId of OTHERS) for (let i = 0; i < PER_TENANT / 2; i++) others.push(await queue(first, tenantId, `Vorher ${tenantId} ${i}`));
    others.push(await queue(first, 'kunde-a', CO_TRAVELLER));
    const poison = await queue(first, 'gift', POISON);

    // The first run and two restarts die on it; each death leaves it `sending`.
    let deaths = 0;
    for (let restart = 0; restart <= 2; restart++) {
      const service = current!;
      await exited(service);
      deaths++;
      current = undefined;
      expect(await row(poison)).toMatchObject({ status: 'sending' });
      // PostgreSQL runs several instances: a dead one's lease is taken over once it has run out.
      if (kind === 'postgres') await db('outbox_messages').where({ status: 'sending' }).update({ lease_until: 0 });
      await start();
    }
    expect(deaths).toBe(3);

    const third = current!;
    for (const tenantId of OTHERS) for (let i = 0; i < PER_TENANT / 2; i++) others.push(await queue(third, tenantId, `Nachher ${tenantId} ${i}`));
    await expect.poll(async () => (await row(poison)).status, { timeout: 30_000 }).toBe('failed');
    expect((await row(poison)).last_error).toBe('delivery was interrupted 3 times (the process stopped while sending); set aside');
    expect(poisonArrivals).toBe(3);

    // On failure the message names the rows that were not sent, with their status, error and interruptions.
    const unsent = async (): Promise<Array<{ subject: string; status: string; last_error: string | null; interruptions: number; attempts: number }>> =>
      db('outbox_messages').whereIn('id', others).whereNot('status', 'sent').select('subject', 'status', 'last_error', 'interruptions', 'attempts');
    await expect.poll(unsent, { timeout: 30_000 }).toEqual([]);
    const subjects = new Set(smtp.received.map((mail) => /^Subject: (.*)$/im.exec(mail.raw.toString('utf8'))?.[1]?.trim()));
    for (const tenantId of OTHERS)
      for (const when of ['Vorher', 'Nachher']) for (let i = 0; i < PER_TENANT / 2; i++) expect(subjects).toContain(`${when} ${tenantId} ${i}`);

    const metrics = await (await fetch(third.base.replace('/api/v1', '/metrics'))).text();
    expect(metrics).toMatch(/^kos_mail_set_aside_total\{tenant="gift",kind="comment"\} 1$/m);
    expect(third.child.exitCode).toBeNull();
    const stopped = exited(third);
    third.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    current = undefined;
  }, 180_000);
});
