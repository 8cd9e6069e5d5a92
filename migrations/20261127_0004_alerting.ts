import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('deadlines', (table) => {
    table.string('tenant_id', 63).notNullable();
    table.string('ticket_id', 200).notNullable();
    table.text('title').notNullable();
    // YYYY-MM-DD: sorts and compares as text on both databases.
    table.string('due_date', 10).notNullable();
    table.text('assignees_json').notNullable();
    table.text('url').nullable();
    table.boolean('done').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['tenant_id', 'ticket_id']);
    table.index(['tenant_id', 'due_date', 'ticket_id'], 'deadlines_tenant_due');
  });

  // One row per assignee of an OPEN deadline, with what a digest line shows: the alert run reads
  // only this table, in index order, grouped by recipient without sorting. Done deadlines have
  // no rows here, so the scan never touches them.
  await db.schema.createTable('deadline_assignees', (table) => {
    table.string('tenant_id', 63).notNullable();
    table.string('ticket_id', 200).notNullable();
    table.string('email_lower', 254).notNullable();
    table.string('email', 254).notNullable();
    table.string('name', 200).nullable();
    table.string('locale', 2).nullable();
    table.string('due_date', 10).notNullable();
    table.text('title').notNullable();
    table.text('url').nullable();
    table.primary(['tenant_id', 'ticket_id', 'email_lower']);
    table.index(['tenant_id', 'email_lower', 'due_date', 'ticket_id'], 'deadline_assignees_run');
  });

  await db.schema.createTable('alert_runs', (table) => {
    table.string('id', 40).primary();
    table.string('run_date', 10).notNullable();
    // schedule | manual | catch-up
    table.string('trigger', 16).notNullable();
    // running | completed | failed
    table.string('status', 16).notNullable();
    // The scheduled fire this run serves; unique, so one fire makes one run across instances.
    // Released (set to null) when a failed or abandoned run is taken over.
    table.bigInteger('fire_at').nullable().unique('alert_runs_fire');
    table.bigInteger('scheduled_at').nullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('finished_at').nullable();
    table.bigInteger('heartbeat_at').notNullable();
    table.integer('tenants').notNullable().defaultTo(0);
    table.integer('recipients').notNullable().defaultTo(0);
    table.integer('queued').notNullable().defaultTo(0);
    table.integer('already_sent').notNullable().defaultTo(0);
    table.text('errors_json').notNullable();
    table.index(['run_date', 'status'], 'alert_runs_date');
    table.index(['started_at', 'id'], 'alert_runs_newest');
  });

  await db.schema.createTable('alert_digests', (table) => {
    table.string('tenant_id', 63).notNullable();
    table.string('recipient_lower', 254).notNullable();
    table.string('run_date', 10).notNullable();
    table.string('run_id', 40).notNullable();
    table.string('outbox_id', 40).notNullable();
    table.string('message_id', 300).notNullable();
    table.text('ticket_ids_json').notNullable();
    table.bigInteger('created_at').notNullable();
    // At most one digest per tenant, recipient and day, whatever runs: the database says so.
    table.primary(['tenant_id', 'recipient_lower', 'run_date']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('alert_digests');
  await db.schema.dropTable('alert_runs');
  await db.schema.dropTable('deadline_assignees');
  await db.schema.dropTable('deadlines');
}
