import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../src/modules/notification/domain/OutgoingMail';
import { KnexOutbox } from '../../../src/modules/notification/infrastructure/KnexOutbox';
import { toMessage, type OutboxRow } from '../../../src/modules/notification/infrastructure/outbox/outboxRows';
import { DELIVERY_QUEUE } from '../../../src/modules/notification/tokens';
import { message } from '../../../src/shared/messages/message';
import { DATABASE } from '../../../src/shared/tokens';
import { DATABASE_KINDS } from '../../support/databases';
import { commentMail, useOutboxFixture } from '../../support/outboxFixture';
import { createTestApp } from '../../support/testApp';

describe.each(DATABASE_KINDS)('batched outbox writes on %s', (kind) => {
  const stack = useOutboxFixture(kind);

  it('stores concurrent enqueues together and answers each only with its committed id', async () => {
    const pending = Array.from({ length: 60 }, (_, i) => stack.outbox.enqueue(commentMail(`Gruppe ${i}`)));
    // What the dispatcher reads to yield to the API.
    expect(stack.outbox.storing).toBe(60);
    const ids = await Promise.all(pending);
    expect(stack.outbox.storing).toBe(0);
    expect(new Set(ids).size).toBe(60);
    for (const [i, id] of ids.entries()) expect(await stack.row(id)).toMatchObject({ subject: `Gruppe ${i}`, status: 'queued', attempts: 0 });
  });

  it('stores every row of a group commit as it was given, the values its rows share and those of its own', async () => {
    // Most rows share tenant, kind, bodies and nulls, which the SQLite INSERT binds once per batch; some differ in each.
    const mails = Array.from({ length: 24 }, (_, i) => variedMail(i));
    const keys = mails.map((_mail, i) => (i % 6 === 1 ? { key: `gruppe-${i}`, requestHash: `hash-${i}` } : undefined));
    const ids = await Promise.all(mails.map((mail, i) => stack.outbox.enqueue(mail, keys[i])));
    const rows: OutboxRow[] = await stack.db('outbox_mails').whereIn('id', ids);
    expect(rows).toHaveLength(24);
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [i, mail] of mails.entries()) {
      const row = byId.get(ids[i]!)!;
      const { tenantId, kind, from, replyTo, envelopeFrom, to, cc, subject, text, html, snapshot, ticket, senderRewritten, rewriteReason, autoSubmitted } =
        toMessage(row);
      expect({
        tenantId,
        kind,
        from,
        replyTo,
        envelopeFrom,
        to,
        cc,
        subject,
        text,
        html,
        snapshot,
        ticket,
        senderRewritten,
        rewriteReason,
        autoSubmitted,
      }).toEqual({ snapshot: undefined, replyTo: undefined, html: undefined, ticket: undefined, rewriteReason: undefined, ...mail });
      expect(row).toMatchObject({ status: 'queued', attempts: 0, last_error: null, envelope_to_json: null });
      expect({ key: row.idempotency_key, requestHash: row.request_hash }).toEqual(keys[i] ?? { key: null, requestHash: null });
      expect(Number(row.created_at)).toBe(Number(row.next_attempt_at));
    }
    expect(new Set(rows.map((row) => row.message_id)).size).toBe(24);
    // Out of the way of the claims below.
    await stack.db('outbox_messages').whereIn('id', ids).delete();
  });

  it('refuses only the request whose idempotency key is taken when a batch races for it', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => stack.outbox.enqueue(commentMail(`Rennen ${i}`), i % 10 === 3 ? { key: 'race-key', requestHash: 'h' } : undefined)),
    );
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(1);
    const stored = await stack.db('outbox_messages').where('subject', 'like', 'Rennen %').count({ n: '*' });
    expect(Number(stored[0]!.n)).toBe(19);
  });

  it('records many sent outcomes in one go, each with its own time, once per mail, whoever holds the lease', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => stack.outbox.enqueue(commentMail(`Gesendet ${i}`))));
    const claimed = await stack.claim('me');
    expect(claimed.map((message) => message.id)).toEqual(expect.arrayContaining(ids));
    // Another dispatcher took one over after its lease ran out; another one is reported twice.
    await stack.db('outbox_messages').where({ id: ids[2] }).update({ lease_owner: 'other' });
    const results = await Promise.all([...ids, ids[4]!].map((id, i) => stack.queue.markSent(id, 'me', new Date(1_800_000_000_000 + i), [])));
    expect(results).toEqual([true, true, true, true, true, true, false]);
    for (const [i, id] of ids.entries()) {
      const stored = await stack.row(id);
      expect(stored).toMatchObject({ status: 'sent', lease_owner: null, lease_until: null, attempts: 1 });
      expect(Number(stored.sent_at)).toBe(1_800_000_000_000 + i);
    }
  });

  it("claims at most each tenant's room, tenants sharing a room among many", async () => {
    const tenants = ['raum-a', 'raum-b', 'raum-c', 'raum-d', 'raum-e'];
    await Promise.all(tenants.flatMap((tenantId) => Array.from({ length: 5 }, (_, i) => stack.outbox.enqueue({ ...commentMail(`Raum ${i}`), tenantId }))));
    const perTenant = new Map([
      ['raum-a', 2],
      ['raum-b', 2],
      ['raum-c', 3],
      ['raum-d', 0],
    ]);
    const claimed = await stack.claim('me', { perTenant, perTenantDefault: 4 });
    const counts = Object.fromEntries(tenants.map((tenantId) => [tenantId, claimed.filter((message) => message.tenantId === tenantId).length]));
    expect(counts).toEqual({ 'raum-a': 2, 'raum-b': 2, 'raum-c': 3, 'raum-d': 0, 'raum-e': 4 });
  });

  it('hands many claimed messages back untried', async () => {
    const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => stack.outbox.enqueue(commentMail(`Zurueck ${i}`))));
    await stack.claim('me');
    await stack.queue.releaseMany(ids, 'me');
    for (const id of ids) expect(await stack.row(id)).toMatchObject({ status: 'queued', attempts: 0, lease_owner: null });
  });
});

describe('the claim on SQLite', () => {
  /** SQLite's plans for the statements of a claim with these rooms, on a fresh database holding one due mail. */
  async function claimPlans(perTenant: Map<string, number>): Promise<Array<{ sql: string; plan: Array<{ parent: number; detail: string }> }>> {
    const t = await createTestApp('sqlite');
    try {
      await t.container.get(KnexOutbox).enqueue(commentMail('Plan'));
      const db = t.container.get(DATABASE);
      const statements: Array<{ sql: string; bindings: Knex.RawBinding[] }> = [];
      db.on('query', (query: { sql: string; bindings: Knex.RawBinding[] }) => statements.push(query));
      const claimed = await t.container.get(DELIVERY_QUEUE).claim({ owner: 'o', limit: 10, perTenant, perTenantDefault: 200, leaseMs: 60_000 });
      expect(claimed).toHaveLength(1);
      const plans: Array<{ sql: string; plan: Array<{ parent: number; detail: string }> }> = [];
      for (const { sql, bindings } of [...statements]) plans.push({ sql, plan: await db.raw(`explain query plan ${sql}`, bindings) });
      return plans;
    } finally {
      await t.close();
    }
  }
  const walks = (plan: Array<{ detail: string }>): boolean => plan.some((step) => /outbox_due/.test(step.detail));

  it('walks past the due rows of tenants without room in the index alone, without reading the table', async () => {
    const plans = await claimPlans(new Map([['throttled', 0]]));
    const walk = plans.find((statement) => walks(statement.plan))!;
    expect(walk.plan.map((step) => step.detail)).toContainEqual(
      expect.stringMatching(/^SEARCH outbox_messages USING COVERING INDEX outbox_due \(status=\? AND next_attempt_at<\?\)/),
    );
  });

  it('walks the due rows in a read of its own, so that the write that leases them holds the lock only for the picked rows', async () => {
    const plans = await claimPlans(new Map([['throttled', 0]]));
    expect(plans.filter((statement) => walks(statement.plan)).map((statement) => statement.sql.slice(0, 6))).toEqual(['select']);
    const update = plans.find((statement) => statement.sql.startsWith('update'))!;
    // The UPDATE's own step, the first at the top level, and nothing else that reads outbox_messages.
    expect(update.plan.find((step) => step.parent === 0)?.detail).toMatch(/^SEARCH outbox_messages USING INDEX sqlite_autoindex_outbox_messages_1 \(id=\?\)/);
    expect(update.plan.filter((step) => /outbox_messages/.test(step.detail))).toHaveLength(1);
  });
});

/** A mail that shares some values with its neighbours and differs in others, by its index. */
function variedMail(i: number): OutgoingMail {
  const tenantId = i % 7 === 3 ? 'andere' : 'kunde';
  return {
    ...commentMail(i % 5 === 0 ? `Eigener Betreff ${i}` : 'Gleicher Betreff', i % 4 === 0 ? ['beat@kunde.ch', `c${i}@kunde.ch`] : ['beat@kunde.ch']),
    tenantId,
    kind: i % 4 === 2 ? 'assignment' : 'comment',
    text: i % 3 === 0 ? `Grüezi ${i} \u{1F600}` : 'Gleicher Text',
    ...(i % 2 === 1 ? { html: i % 9 === 1 ? `<p>Eigenes ${i}</p>` : '<p>Gleich</p>' } : {}),
    ...(i % 3 === 2 ? { replyTo: { name: 'Anna', address: 'anna@kunde.ch' } } : {}),
    ...(i % 4 === 1 ? { ticket: { id: `T-${i}`, title: 'Lieferung prüfen' } } : {}),
    ...(i === 5 ? { senderRewritten: true, rewriteReason: message('sender_rewritten_policy', { allowedSenders: '*@kunde.ch', address: 'x@y.ch' }) } : {}),
    ...(i === 8 ? { snapshot: { template: 'digest', data: { lines: [i] } }, text: '' } : {}),
    autoSubmitted: i % 2 === 0,
  };
}
