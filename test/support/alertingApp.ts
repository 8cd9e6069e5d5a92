import type { DispatchNews, DispatchSignal } from '../../src/modules/notification/domain/DispatchSignal';
import type { Container } from 'inversify';
import type { Knex } from 'knex';
import type { Tenant } from '../../src/modules/tenant/domain/Tenant';
import { TENANT_DIRECTORY } from '../../src/modules/tenant/tokens';
import { DATABASE } from '../../src/shared/tokens';
import { digestTemplate } from '../../src/modules/alerting/domain/digestTemplate';
import { SaveTenant } from '../../src/modules/tenant/application/SaveTenant';
import { OverlayTenantDirectory } from './OverlayTenantDirectory';

/** A dispatch signal that counts wake-ups instead of waking a dispatcher. */
export class CountingDispatchSignal implements DispatchSignal {
  notified = 0;
  notify(): void {
    this.notified += 1;
  }
  async wait(timeoutMs: number): Promise<DispatchNews> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 10)));
    return 'any';
  }
}

/**
 * Stores the tenants through the tenant module and puts an overlay over its directory, so that a
 * test can break a tenant in a way the tenant module would never store.
 */
export async function bindAlertingNeighbours(container: Container, tenants: Tenant[]): Promise<OverlayTenantDirectory> {
  const save = container.get(SaveTenant);
  for (const tenant of tenants) {
    const { preset, host, port, security, allowedSenders } = tenant.mail;
    await save.execute({
      tenantId: tenant.id,
      settings: { name: tenant.name, locale: tenant.locale, alertSender: tenant.alertSender, mail: { preset, host, port, security, allowedSenders } },
      actor: { id: 'test' },
    });
  }
  const overlay = new OverlayTenantDirectory(container.get(TENANT_DIRECTORY));
  container.rebind(TENANT_DIRECTORY).toConstantValue(overlay);
  return overlay;
}

export interface OutboxDigest {
  id: string;
  tenantId: string;
  to: Array<{ name?: string; address: string }>;
  from: { name?: string; address: string };
  envelopeFrom: string;
  subject: string;
  text: string;
  html: string | null;
  autoSubmitted: boolean;
  kind: string;
}

/** The digests in the outbox, their bodies rendered from the stored snapshot as the dispatcher will. */
export async function outboxDigests(db: Knex): Promise<OutboxDigest[]> {
  const rows = await db({ m: 'outbox_messages' })
    .join({ b: 'outbox_bodies' }, 'b.id', 'm.id')
    .select('m.*', 'b.text_body', 'b.html_body', 'b.snapshot_json')
    .where({ 'm.kind': 'digest' })
    .orderBy([{ column: 'm.tenant_id' }, { column: 'm.to_json' }]);
  return rows.map((row) => ({
    ...renderedBody(row),
    id: row.id,
    tenantId: row.tenant_id,
    to: JSON.parse(row.to_json),
    from: JSON.parse(row.from_json),
    envelopeFrom: row.envelope_from,
    subject: row.subject,
    autoSubmitted: Boolean(row.auto_submitted),
    kind: row.kind,
  }));
}

function renderedBody(row: { text_body: string; html_body: string | null; snapshot_json: string | null }): { text: string; html: string | null } {
  if (!row.snapshot_json) return { text: row.text_body, html: row.html_body };
  const snapshot = JSON.parse(row.snapshot_json) as { template: string; data: unknown };
  if (snapshot.template !== digestTemplate.name) throw new Error(`a digest stored with template ${snapshot.template}`);
  const { text, html } = digestTemplate.render(snapshot.data);
  return { text, html: html ?? null };
}

export function databaseOf(container: Container): Knex {
  return container.get(DATABASE);
}
