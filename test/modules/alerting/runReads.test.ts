import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { DEADLINE_REPOSITORY, DIGEST_LOG } from '../../../src/modules/alerting/tokens';
import { DATABASE, READ_DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';

/** Fails when `promise` has not settled within two seconds: it waited for the held lock. */
function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('waited behind the write transaction')), 2_000))]);
}

/** Holds a write transaction open on the main connection until `release` is called. */
async function holdWriteLock(db: Knex): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let began!: () => void;
  const begun = new Promise<void>((resolve) => (began = resolve));
  const done = db.transaction(async (trx) => {
    await trx('deadline_assignees').insert({
      tenant_id: 'other',
      ticket_id: 'X',
      email_lower: 'x@other.ch',
      email: 'x@other.ch',
      due_date: '2027-03-01',
      title: 'X',
    });
    began();
    await released;
  });
  await Promise.race([begun, done]);
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

describe.each(DATABASE_KINDS)('the alert run reads beside its writes on %s', (kind) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('scans deadlines and reads digest history while a write transaction holds the main connection', async () => {
    t = await createTestApp(kind);
    const db = t.container.get(DATABASE);
    await db('deadline_assignees').insert({
      tenant_id: 'acme',
      ticket_id: 'T9',
      email_lower: 'anna@acme.ch',
      email: 'anna@acme.ch',
      due_date: '2027-03-08',
      title: 'Lieferung',
    });
    const lock = await holdWriteLock(db);
    try {
      const scan = async (): Promise<string[]> => {
        const lines = [];
        for await (const line of t.container.get(DEADLINE_REPOSITORY).streamDue('acme', '2027-03-17')) lines.push(line.ticketId);
        return lines;
      };
      expect(await within(scan())).toEqual(['T9']);
      const history = await within(t.container.get(DIGEST_LOG).history('acme', ['anna@acme.ch'], '2027-03-10'));
      expect(history.sent.size).toBe(0);
    } finally {
      await lock.release();
    }
  });

  it('cannot write through the read connection', async () => {
    t = await createTestApp(kind);
    const reader = t.container.get(READ_DATABASE);
    if (kind === 'postgres') {
      expect(reader).toBe(t.container.get(DATABASE));
      return;
    }
    expect(reader).not.toBe(t.container.get(DATABASE));
    await expect(
      reader('deadline_assignees').insert({ tenant_id: 'a', ticket_id: 'X', email_lower: 'b', email: 'b', due_date: '2027-03-01', title: 'X' }),
    ).rejects.toThrow(/readonly|read-only/i);
  });
});
