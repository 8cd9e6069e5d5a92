import type { Knex } from 'knex';
import * as apiKeys from './20261127_0001_api_keys';
import * as tenants from './20261127_0002_tenants';
import * as outbox from './20261127_0003_outbox';
import * as alerting from './20261127_0004_alerting';
import * as deliveryFailures from './20261127_0005_delivery_failures';
import * as outboxBodies from './20261128_0006_outbox_bodies';
import * as outboxDueCovering from './20261128_0007_outbox_due_covering';
import * as postgresOutboxMailsTrigger from './20261128_0008_postgres_outbox_mails_trigger';
import * as outboxInterruptions from './20261203_0009_outbox_interruptions';
import * as apiKeyLifecycle from './20261203_0010_api_key_lifecycle';
import * as storageProbe from './20261203_0011_storage_probe';
import * as tenantOAuth2 from './20261203_0012_tenant_oauth2';
import * as sendGrants from './20261203_0013_send_grants';
import * as refusedSenders from './20261203_0014_refused_senders';
import * as webhookEvents from './20261203_0015_webhook_events';
import * as messageCodes from './20261203_0016_message_codes';
import * as bodySnapshots from './20261203_0017_body_snapshots';
import * as partialOutboxIndexes from './20261203_0018_partial_outbox_indexes';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

/**
 * The migrations in order. Listed here rather than loaded from the directory so that the same
 * list runs from TypeScript sources (tests) and from the compiled build (npm start).
 */
const migrations: Array<[name: string, migration: Migration]> = [
  ['20261127_0001_api_keys', apiKeys],
  ['20261127_0002_tenants', tenants],
  ['20261127_0003_outbox', outbox],
  ['20261127_0004_alerting', alerting],
  ['20261127_0005_delivery_failures', deliveryFailures],
  ['20261128_0006_outbox_bodies', outboxBodies],
  ['20261128_0007_outbox_due_covering', outboxDueCovering],
  ['20261128_0008_postgres_outbox_mails_trigger', postgresOutboxMailsTrigger],
  ['20261203_0009_outbox_interruptions', outboxInterruptions],
  ['20261203_0010_api_key_lifecycle', apiKeyLifecycle],
  ['20261203_0011_storage_probe', storageProbe],
  ['20261203_0012_tenant_oauth2', tenantOAuth2],
  ['20261203_0013_send_grants', sendGrants],
  ['20261203_0014_refused_senders', refusedSenders],
  ['20261203_0015_webhook_events', webhookEvents],
  ['20261203_0016_message_codes', messageCodes],
  ['20261203_0017_body_snapshots', bodySnapshots],
  ['20261203_0018_partial_outbox_indexes', partialOutboxIndexes],
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations.map(([, migration]) => migration),
  getMigrationName: (migration) => migrations.find(([, candidate]) => candidate === migration)![0],
  getMigration: async (migration) => migration,
};
