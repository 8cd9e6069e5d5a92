import request from 'supertest';
import { OutboxDispatcher } from '../../src/modules/notification/application/OutboxDispatcher';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from '../../src/modules/notification/domain/DeliveryOptions';
import { DELIVERY_OPTIONS } from '../../src/modules/notification/tokens';
import type { DatabaseKind } from './databases';
import { useInMemoryTenants, type InMemoryTenants } from './InMemoryTenants';
import { createTestApp, type TestApp, type TestAppOptions } from './testApp';
import { TEST_ADMIN_KEY } from './testConfig';

export const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

export interface DeliveryTestApp extends TestApp {
  tenants: InMemoryTenants;
  dispatcher: OutboxDispatcher;
  /** POST /tenants/{tenantId}/notifications as the admin. */
  notify(tenantId: string, body: object, idempotencyKey?: string): Promise<request.Response>;
  status(tenantId: string, id: string): Promise<Record<string, any>>;
  /** Waits until the notification reaches one of the statuses; returns its view. */
  waitForStatus(tenantId: string, id: string, statuses: string[], timeoutMs?: number): Promise<Record<string, any>>;
}

/** The real container and app with in-memory tenants and a running dispatcher. */
export async function createDeliveryTestApp(kind: DatabaseKind, options: TestAppOptions & { delivery?: Partial<DeliveryOptions> } = {}): Promise<DeliveryTestApp> {
  let tenants!: InMemoryTenants;
  const t = await createTestApp(kind, {
    ...options,
    config: { rateLimitPerMinute: 100_000, ...options.config },
    prepare: async (container) => {
      tenants = useInMemoryTenants(container);
      container.rebind(DELIVERY_OPTIONS).toConstantValue({ ...DEFAULT_DELIVERY_OPTIONS, pollIntervalMs: 200, ...options.delivery });
      await options.prepare?.(container);
    },
  });
  const dispatcher = t.container.get(OutboxDispatcher);
  await dispatcher.start();
  const status = async (tenantId: string, id: string) => (await request(t.app).get(`/api/v1/tenants/${tenantId}/notifications/${id}`).set(ADMIN)).body;
  return {
    ...t,
    tenants,
    dispatcher,
    notify: (tenantId, body, idempotencyKey) => {
      const call = request(t.app).post(`/api/v1/tenants/${tenantId}/notifications`).set(ADMIN);
      return (idempotencyKey ? call.set('Idempotency-Key', idempotencyKey) : call).send(body);
    },
    status,
    waitForStatus: async (tenantId, id, statuses, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const view = await status(tenantId, id);
        if (statuses.includes(view.status)) return view;
        if (Date.now() > deadline) throw new Error(`notification ${id} stayed ${view.status} (wanted ${statuses.join('|')}): ${JSON.stringify(view)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: async () => {
      await dispatcher.stop();
      await t.close();
    },
  };
}

/** A personal notification body; override what the test is about. */
export function notificationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'comment',
    author: { name: 'Anna Meier', email: 'anna.meier@kunde.ch' },
    to: [{ name: 'Beat Keller', email: 'beat.keller@kunde.ch' }],
    subject: 'Neuer Kommentar zu Ticket 4711',
    text: 'Anna Meier hat kommentiert: Bitte bis Freitag erledigen.',
    ...overrides,
  };
}
