import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnexWebhookStore } from '../../src/modules/webhooks/infrastructure/KnexWebhookStore';
import { DATABASE } from '../../src/shared/tokens';
import { DATABASE_KINDS } from '../support/databases';
import { reportFigures } from '../support/figures';
import { createTestApp, type TestApp } from '../support/testApp';

const BACKLOG = Number(process.env.WEBHOOK_BACKLOG ?? 100_000);
/** Before the claim walked the index: a median of 150 ms on SQLite (holding the connection the dispatcher uses too) and 113 ms on PostgreSQL. */
const MAX_CLAIM_MS = 50;

describe.each(DATABASE_KINDS)('claiming webhook events behind a backlog on %s', (kind) => {
  let t: TestApp;
  let store: KnexWebhookStore;

  beforeAll(async () => {
    t = await createTestApp(kind, { config: { webhookUrl: 'http://127.0.0.1:9/hooks', webhookSecret: randomBytes(32) } });
    store = t.container.get(KnexWebhookStore);
    const db = t.container.get(DATABASE);
    // What a receiver down for a while leaves behind: every event due.
    const event = {
      type: 'notification.sent' as const,
      data: { tenantId: 'kunde', id: 'msg_x', status: 'sent', subject: 'Neuer Kommentar zu Ticket 4711', to: [{ address: 'beat@kunde.ch' }] },
    };
    for (let done = 0; done < BACKLOG; done += 2_000)
      await db.transaction((trx) =>
        store.record(
          trx,
          Array.from({ length: 2_000 }, () => event),
        ),
      );
    if (kind === 'postgres') await db.raw('analyze webhook_events');
  }, 300_000);
  afterAll(async () => t?.close());

  it(`takes the next 8 of ${BACKLOG} waiting events in a few milliseconds, not by sorting them all`, async () => {
    const times: number[] = [];
    for (let claim = 0; claim < 9; claim++) {
      const started = performance.now();
      expect(await store.claim(`instance-${claim}`, 8, 20_000, new Date(Date.now() + 1_000))).toHaveLength(8);
      times.push(performance.now() - started);
    }
    const median = [...times].sort((a, b) => a - b)[4]!;
    reportFigures(`webhook-backlog-${kind}`, { backlog: BACKLOG, claimMs: times.map((ms) => Number(ms.toFixed(1))), medianMs: Number(median.toFixed(1)) });
    expect(median).toBeLessThan(MAX_CLAIM_MS);
  });
});
