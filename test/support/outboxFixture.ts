import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ClaimRequest, DeliveryQueue } from '../../src/modules/notification/domain/DeliveryQueue';
import type { OutboxMessage } from '../../src/modules/notification/domain/OutboxMessage';
import type { OutgoingMail } from '../../src/modules/notification/domain/OutgoingMail';
import { KnexOutbox } from '../../src/modules/notification/infrastructure/KnexOutbox';
import { DELIVERY_QUEUE } from '../../src/modules/notification/tokens';
import type { FixedClock } from '../../src/shared/time/FixedClock';
import { DATABASE } from '../../src/shared/tokens';
import type { DatabaseKind } from './databases';
import { createTestApp, type TestApp } from './testApp';

/** The container's outbox writer and delivery queue on a fresh database, for tests that play the dispatcher by hand. */
export interface OutboxFixture {
  outbox: KnexOutbox;
  queue: DeliveryQueue;
  db: Knex;
  /** The stored `outbox_messages` row of a message. */
  row(id: string): Promise<Record<string, any>>;
  /** Leases the due mail for `owner`: up to 100 messages and 100 per tenant for a minute, unless overridden. */
  claim(owner: string, request?: Partial<ClaimRequest>): Promise<OutboxMessage[]>;
}

/**
 * Builds the fixture before the suite's tests and closes it after them; with `emptyAfterEach`,
 * every test starts with an empty outbox (for suites whose tests claim whatever is due).
 */
export function useOutboxFixture(kind: DatabaseKind, options: { clock?: FixedClock; emptyAfterEach?: boolean } = {}): OutboxFixture {
  let app: TestApp | undefined;
  // Filled in before the first test; the suite reads it only inside its tests.
  const fixture = {} as OutboxFixture;
  beforeAll(async () => {
    app = await createTestApp(kind, options.clock ? { clock: options.clock } : {});
    const db = app.container.get(DATABASE);
    const queue = app.container.get(DELIVERY_QUEUE);
    Object.assign(fixture, {
      outbox: app.container.get(KnexOutbox),
      queue,
      db,
      row: (id: string) => db('outbox_messages').where({ id }).first(),
      claim: (owner: string, request: Partial<ClaimRequest> = {}) =>
        queue.claim({ owner, limit: 100, perTenant: new Map(), perTenantDefault: 100, leaseMs: 60_000, ...request }),
    } satisfies OutboxFixture);
  });
  if (options.emptyAfterEach) {
    afterEach(async () => {
      await fixture.db('outbox_messages').delete();
    });
  }
  afterAll(async () => {
    await app?.close();
  });
  return fixture;
}

/** A comment of tenant `kunde` from anna@kunde.ch to the given recipients. */
export function commentMail(subject: string, recipients: string[] = ['beat@kunde.ch']): OutgoingMail {
  return {
    tenantId: 'kunde',
    kind: 'comment',
    from: { address: 'anna@kunde.ch' },
    envelopeFrom: 'anna@kunde.ch',
    to: recipients.map((address) => ({ address })),
    cc: [],
    subject,
    text: 'x',
    senderRewritten: false,
    autoSubmitted: false,
  };
}
