import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../src/modules/notification/domain/OutgoingMail';
import { KnexDeliveryQueue } from '../../../src/modules/notification/infrastructure/KnexDeliveryQueue';
import { KnexOutbox } from '../../../src/modules/notification/infrastructure/KnexOutbox';
import { DELIVERY_QUEUE } from '../../../src/modules/notification/tokens';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { createTestApp, type TestApp } from '../../support/testApp';

const mail = (subject: string): OutgoingMail => ({
  tenantId: 'kunde',
  kind: 'comment',
  from: { address: 'anna@kunde.ch' },
  envelopeFrom: 'anna@kunde.ch',
  to: [{ address: 'beat@kunde.ch' }],
  cc: [],
  subject,
  text: 'x',
  senderRewritten: false,
  autoSubmitted: false,
});

describe.each(DATABASE_KINDS)('batched outbox writes on %s', (kind) => {
  let t: TestApp;
  let outbox: KnexOutbox;
  let queue: KnexDeliveryQueue;

  beforeAll(async () => {
    t = await createTestApp(kind);
    outbox = t.container.get(KnexOutbox);
    queue = t.container.get(DELIVERY_QUEUE) as KnexDeliveryQueue;
  });
  afterAll(async () => {
    await t.close();
  });

  const row = (id: string) => t.container.get(DATABASE)('outbox_messages').where({ id }).first();

  it('stores concurrent enqueues together and answers each only with its committed id', async () => {
    const pending = Array.from({ length: 60 }, (_, i) => outbox.enqueue(mail(`Gruppe ${i}`)));
    // What the dispatcher reads to yield to the API.
    expect(outbox.storing).toBe(60);
    const ids = await Promise.all(pending);
    expect(outbox.storing).toBe(0);
    expect(new Set(ids).size).toBe(60);
    for (const [i, id] of ids.entries()) expect(await row(id)).toMatchObject({ subject: `Gruppe ${i}`, status: 'queued', attempts: 0 });
  });

  it('refuses only the request whose idempotency key is taken when a batch races for it', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => outbox.enqueue(mail(`Rennen ${i}`), i % 10 === 3 ? { key: 'race-key', requestHash: 'h' } : undefined)),
    );
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(1);
    const stored = await t.container.get(DATABASE)('outbox_messages').where('subject', 'like', 'Rennen %').count({ n: '*' });
    expect(Number(stored[0]!.n)).toBe(19);
  });

  it('records many sent outcomes in one go, each with its own time, once per mail, whoever holds the lease', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => outbox.enqueue(mail(`Gesendet ${i}`))));
    const claimed = await queue.claim({ owner: 'me', limit: 100, perTenant: new Map(), perTenantDefault: 100, leaseMs: 60_000 });
    expect(claimed.map((message) => message.id)).toEqual(expect.arrayContaining(ids));
    // Another dispatcher took one over after its lease ran out; another one is reported twice.
    await t.container.get(DATABASE)('outbox_messages').where({ id: ids[2] }).update({ lease_owner: 'other' });
    const results = await Promise.all([...ids, ids[4]!].map((id, i) => queue.markSent(id, 'me', new Date(1_800_000_000_000 + i), [])));
    expect(results).toEqual([true, true, true, true, true, true, false]);
    for (const [i, id] of ids.entries()) {
      const stored = await row(id);
      expect(stored).toMatchObject({ status: 'sent', lease_owner: null, lease_until: null, attempts: 1 });
      expect(Number(stored.sent_at)).toBe(1_800_000_000_000 + i);
    }
  });

  it('claims at most each tenant\'s room, tenants sharing a room among many', async () => {
    const tenants = ['raum-a', 'raum-b', 'raum-c', 'raum-d', 'raum-e'];
    await Promise.all(tenants.flatMap((tenantId) => Array.from({ length: 5 }, (_, i) => outbox.enqueue({ ...mail(`Raum ${i}`), tenantId }))));
    const perTenant = new Map([
      ['raum-a', 2],
      ['raum-b', 2],
      ['raum-c', 3],
      ['raum-d', 0],
    ]);
    const claimed = await queue.claim({ owner: 'me', limit: 100, perTenant, perTenantDefault: 4, leaseMs: 60_000 });
    const counts = Object.fromEntries(tenants.map((tenantId) => [tenantId, claimed.filter((message) => message.tenantId === tenantId).length]));
    expect(counts).toEqual({ 'raum-a': 2, 'raum-b': 2, 'raum-c': 3, 'raum-d': 0, 'raum-e': 4 });
  });

  it('hands many claimed messages back untried', async () => {
    const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => outbox.enqueue(mail(`Zurueck ${i}`))));
    await queue.claim({ owner: 'me', limit: 100, perTenant: new Map(), perTenantDefault: 100, leaseMs: 60_000 });
    await queue.releaseMany(ids, 'me');
    for (const id of ids) expect(await row(id)).toMatchObject({ status: 'queued', attempts: 0, lease_owner: null });
  });
});

describe('the claim on SQLite', () => {
  /** SQLite's plan for the UPDATE of a claim with these rooms, on a fresh database. */
  async function claimPlan(perTenant: Map<string, number>): Promise<Array<{ parent: number; detail: string }>> {
    const t = await createTestApp('sqlite');
    try {
      const db = t.container.get(DATABASE);
      const statements: Array<{ sql: string; bindings: Knex.RawBinding[] }> = [];
      db.on('query', (query: { sql: string; bindings: Knex.RawBinding[] }) => statements.push(query));
      await t.container.get(DELIVERY_QUEUE).claim({ owner: 'o', limit: 10, perTenant, perTenantDefault: 200, leaseMs: 60_000 });
      const claim = statements.find((statement) => statement.sql.startsWith('update'))!;
      return (await db.raw(`explain query plan ${claim.sql}`, claim.bindings)) as Array<{ parent: number; detail: string }>;
    } finally {
      await t.close();
    }
  }

  it('walks past the due rows of tenants without room in the index alone, without reading the table', async () => {
    const plan = (await claimPlan(new Map([['throttled', 0]]))).map((step) => step.detail);
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH outbox_messages USING COVERING INDEX outbox_due \(status=\? AND next_attempt_at<\?\)/));
  });

  it('leases the rows it picked by their id, not by walking every due row and testing it against the pick', async () => {
    const plan = await claimPlan(new Map());
    // The UPDATE's own step, the first at the top level: the ranked pick is its list subquery.
    expect(plan.find((step) => step.parent === 0)?.detail).toMatch(/^SEARCH outbox_messages USING INDEX sqlite_autoindex_outbox_messages_1 \(id=\?\)/);
  });
});
