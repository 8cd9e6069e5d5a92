import 'reflect-metadata';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';
import { afterAll, beforeEach } from 'vitest';
import type { AlertRunStore } from '../../src/modules/alerting/domain/AlertRunStore';
import type { DeadlineRepository } from '../../src/modules/alerting/domain/DeadlineRepository';
import type { DigestLog } from '../../src/modules/alerting/domain/DigestLog';
import { InMemoryDeadlineRepository } from '../../src/modules/alerting/infrastructure/InMemoryDeadlineRepository';
import { KnexAlertRunStore } from '../../src/modules/alerting/infrastructure/KnexAlertRunStore';
import { KnexDeadlineRepository } from '../../src/modules/alerting/infrastructure/KnexDeadlineRepository';
import { KnexDigestLog } from '../../src/modules/alerting/infrastructure/KnexDigestLog';
import type { DeliveryQueue } from '../../src/modules/notification/domain/DeliveryQueue';
import type { DispatchNews, DispatchSignal } from '../../src/modules/notification/domain/DispatchSignal';
import type { NotificationLog } from '../../src/modules/notification/domain/NotificationLog';
import type { Outbox } from '../../src/modules/notification/domain/Outbox';
import type { OutgoingMail } from '../../src/modules/notification/domain/OutgoingMail';
import type { SendBudget } from '../../src/modules/notification/domain/SendBudget';
import type { TransactionalOutbox } from '../../src/modules/notification/domain/TransactionalOutbox';
import { InMemorySendBudget } from '../../src/modules/notification/infrastructure/InMemorySendBudget';
import { KnexDeliveryQueue } from '../../src/modules/notification/infrastructure/KnexDeliveryQueue';
import { KnexNotificationLog } from '../../src/modules/notification/infrastructure/KnexNotificationLog';
import { KnexOutbox } from '../../src/modules/notification/infrastructure/KnexOutbox';
import { KnexSendBudget } from '../../src/modules/notification/infrastructure/KnexSendBudget';
import { NotificationEvents } from '../../src/modules/notification/infrastructure/NotificationEvents';
import { outboxDialectFor } from '../../src/modules/notification/infrastructure/outbox/OutboxDialect';
import { PrometheusDeliveryMetrics } from '../../src/modules/notification/infrastructure/PrometheusDeliveryMetrics';
import type { AuditLog } from '../../src/modules/tenant/domain/AuditLog';
import type { TenantDataOwner } from '../../src/modules/tenant/domain/TenantLifecycle';
import type { TenantRepository } from '../../src/modules/tenant/domain/TenantRepository';
import { KnexAuditLog } from '../../src/modules/tenant/infrastructure/KnexAuditLog';
import { KnexTenantRepository } from '../../src/modules/tenant/infrastructure/KnexTenantRepository';
import type { EventRecorder } from '../../src/modules/webhooks/domain/EventRecorder';
import type { ApiKeyStore } from '../../src/shared/auth/ApiKeyStore';
import { KnexApiKeyStore } from '../../src/shared/auth/KnexApiKeyStore';
import { createDatabase, createIntakeDatabase, migrateToLatest } from '../../src/shared/database/database';
import { FixedClock } from '../../src/shared/time/FixedClock';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind } from './databases';
import { InMemoryAlertRunStore } from './fakes/InMemoryAlertRunStore';
import { InMemoryApiKeyStore } from './fakes/InMemoryApiKeyStore';
import { InMemoryAuditLog } from './fakes/InMemoryAuditLog';
import { InMemoryDigestLog } from './fakes/InMemoryDigestLog';
import { InMemoryOutbox } from './fakes/InMemoryOutbox';
import { InMemoryTenantRepository } from './fakes/InMemoryTenantRepository';
import { InMemoryTransaction } from './fakes/InMemoryTransaction';

/** Every port with state, as one kind of store implements them. */
export interface Stores {
  outbox: Outbox;
  /** The outbox inside another store's transaction, with the store's own transactions to hold it in. */
  transactionalOutbox: TransactionalOutbox;
  transaction<T>(work: (transaction: unknown) => Promise<T>): Promise<T>;
  deliveryQueue: DeliveryQueue;
  notificationLog: NotificationLog;
  /** Offboarding of the outbox's mail. */
  notificationData: TenantDataOwner;
  digestLog: DigestLog;
  alertRuns: AlertRunStore;
  deadlines: DeadlineRepository;
  /** Budgets that share one count, as the instances on one database do (three on PostgreSQL, one on SQLite and in memory). */
  sendBudgets: SendBudget[];
  tenants: TenantRepository;
  audit: AuditLog;
  apiKeys: ApiKeyStore;
}

/** What a contract test gets: fresh, empty stores, the clock they read and the wake-ups they gave. */
export interface StoreContext {
  stores: Stores;
  clock: FixedClock;
  signal: RecordingDispatchSignal;
}

/** A dispatch signal that records what it was told instead of waking a dispatcher. */
export class RecordingDispatchSignal implements DispatchSignal {
  readonly news: Array<string[] | 'any'> = [];
  notify(tenantIds?: Iterable<string>): void {
    this.news.push(tenantIds === undefined ? 'any' : [...tenantIds]);
  }
  async wait(): Promise<DispatchNews> {
    return 'any';
  }
}

export const T0 = '2027-03-10T08:00:00.000Z';

/**
 * The Knex adapters over one database. The one place that knows which class implements which
 * port: when KnexOutbox is split by port, only this changes. `instances` are the pools of the
 * instances that share the send budget (the first is `db`).
 */
export function makeKnexStores(db: Knex, intake: Knex, clock: FixedClock, signal: DispatchSignal, instances: Knex[] = [db]): Stores {
  const metrics = new PrometheusDeliveryMetrics(new Registry());
  const dialect = outboxDialectFor(db);
  // No WEBHOOK_URL: the writers record no events, as in a service without webhooks.
  const events: EventRecorder<Knex | Knex.Transaction> = { enabled: false, record: async () => {} };
  const outbox = new KnexOutbox(intake, clock, signal, metrics, dialect);
  const notificationLog = new KnexNotificationLog(db, metrics);
  return {
    outbox,
    transactionalOutbox: outbox,
    // On the intake's connection, so that the adapters' reads on `db` come from outside it (SQLite has one writer per connection).
    transaction: (work) => intake.transaction((trx) => work(trx)),
    deliveryQueue: new KnexDeliveryQueue(db, clock, metrics, dialect, new NotificationEvents(events)),
    notificationLog,
    notificationData: notificationLog,
    digestLog: new KnexDigestLog(db, clock, outbox),
    alertRuns: new KnexAlertRunStore(db, events),
    deadlines: new KnexDeadlineRepository(db, clock),
    sendBudgets: instances.map((pool) => new KnexSendBudget(pool)),
    tenants: new KnexTenantRepository(db, events),
    audit: new KnexAuditLog(db, clock),
    apiKeys: new KnexApiKeyStore(db),
  };
}

export function makeMemoryStores(clock: FixedClock, signal: DispatchSignal): Stores {
  const outbox = new InMemoryOutbox(clock, signal);
  return {
    outbox,
    transactionalOutbox: outbox,
    transaction: (work) => InMemoryTransaction.run(work),
    deliveryQueue: outbox,
    notificationLog: outbox,
    notificationData: outbox,
    digestLog: new InMemoryDigestLog(outbox),
    alertRuns: new InMemoryAlertRunStore(),
    deadlines: new InMemoryDeadlineRepository(() => clock.now()),
    sendBudgets: [new InMemorySendBudget()],
    tenants: new InMemoryTenantRepository(),
    audit: new InMemoryAuditLog(clock),
    apiKeys: new InMemoryApiKeyStore(),
  };
}

export interface StoreSubject {
  /** Empties the stores and builds them anew (no cache or pending batch survives a test). */
  fresh(): Promise<StoreContext>;
  close(): Promise<void>;
}

const TABLES = [
  'outbox_bodies',
  'outbox_messages',
  'alert_digests',
  'alert_runs',
  'deadline_assignees',
  'deadlines',
  'send_grants',
  'send_throttles',
  'tenant_audit',
  'tenants',
  'api_keys',
  'delivery_failures',
];

async function knexSubject(kind: DatabaseKind): Promise<StoreSubject> {
  const database = await createTestDatabase(kind);
  const db = createDatabase(database.config);
  const intake = createIntakeDatabase(database.config, db);
  // Two more pools, as two more instances have; SQLite serves one instance.
  const others = kind === 'postgres' ? [createDatabase(database.config), createDatabase(database.config)] : [];
  await migrateToLatest(db);
  return {
    fresh: async () => {
      for (const table of TABLES) await db(table).delete();
      const clock = new FixedClock(T0);
      const signal = new RecordingDispatchSignal();
      return { stores: makeKnexStores(db, intake, clock, signal, [db, ...others]), clock, signal };
    },
    close: async () => {
      if (intake !== db) await intake.destroy();
      for (const pool of others) await pool.destroy();
      await db.destroy();
      await database.drop();
    },
  };
}

function memorySubject(): StoreSubject {
  return {
    fresh: async () => {
      const clock = new FixedClock(T0);
      const signal = new RecordingDispatchSignal();
      return { stores: makeMemoryStores(clock, signal), clock, signal };
    },
    close: async () => {},
  };
}

/** What a suite may need to know of a store. */
export interface StoreTraits {
  /** Only one process uses the store (the fake, SQLite), so what is `sending` at start-up was abandoned. */
  singleInstance: boolean;
}

/** The fake, Knex on SQLite, and Knex on PostgreSQL when TEST_DATABASE_URL names a server: for describe.each. */
export const STORE_KINDS: Array<[string, () => Promise<StoreSubject>, StoreTraits]> = [
  ['in memory', async () => memorySubject(), { singleInstance: true }],
  ...DATABASE_KINDS.map((kind): [string, () => Promise<StoreSubject>, StoreTraits] => [
    `Knex on ${kind}`,
    () => knexSubject(kind),
    { singleInstance: kind === 'sqlite' },
  ]),
];

/**
 * The hooks of a contract suite over one kind of store (`make` from STORE_KINDS): the store is
 * made once and emptied before each test. Returns the current test's context, refilled before each.
 */
export function useStores(make: () => Promise<StoreSubject>): StoreContext {
  let subject: StoreSubject | undefined;
  const context = {} as StoreContext;
  beforeEach(async () => {
    subject ??= await make();
    Object.assign(context, await subject.fresh());
  });
  afterAll(async () => subject?.close());
  return context;
}

/** A personal mail of the tenant, every optional field set unless overridden. */
export function outgoingMail(tenantId: string, overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    tenantId,
    kind: 'comment',
    from: { name: 'Anna Meier', address: `anna@${tenantId}.example.ch` },
    replyTo: { address: `reply@${tenantId}.example.ch` },
    envelopeFrom: `anna@${tenantId}.example.ch`,
    to: [{ name: 'Bob', address: 'bob@example.ch' }],
    cc: [{ address: 'carl@example.ch' }],
    subject: 'Ticket 42: a comment',
    text: 'Grüezi, plain text with ümlauts',
    html: '<p>Grüezi</p>',
    ticket: { id: '42', title: 'The ticket', url: 'https://kos.example/42' },
    senderRewritten: false,
    autoSubmitted: false,
    ...overrides,
  };
}
