import request from 'supertest';
import { OutboxDispatcher } from '../../src/modules/notification/application/OutboxDispatcher';
import type { DeliveryOptions } from '../../src/modules/notification/domain/DeliveryOptions';
import { DELIVERY_OPTIONS } from '../../src/modules/notification/tokens';
import type { DatabaseKind } from './databases';
import { createTestApp, type TestApp, type TestAppOptions } from './testApp';
import { TEST_ADMIN_KEY } from './testConfig';

export const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

export interface DeliveryTestApp extends TestApp {
  dispatcher: OutboxDispatcher;
  /** PUT /tenants/{tenantId} as the admin; fails the test unless the tenant was saved. */
  putTenant(tenantId: string, body: object): Promise<Record<string, any>>;
  /** GET /tenants/{tenantId} as the admin. */
  tenant(tenantId: string): Promise<Record<string, any>>;
  /** POST /tenants/{tenantId}/notifications as the admin. */
  notify(tenantId: string, body: object, idempotencyKey?: string): Promise<request.Response>;
  status(tenantId: string, id: string): Promise<Record<string, any>>;
  /** Waits until the notification reaches one of the statuses; returns its view. */
  waitForStatus(tenantId: string, id: string, statuses: string[], timeoutMs?: number): Promise<Record<string, any>>;
}

/** The real container and app, tenants stored through the API, and a running dispatcher. */
export async function createDeliveryTestApp(
  kind: DatabaseKind,
  options: TestAppOptions & { delivery?: Partial<DeliveryOptions> } = {},
): Promise<DeliveryTestApp> {
  const t = await createTestApp(kind, {
    ...options,
    config: { rateLimitPerMinute: 100_000, ...options.config },
    prepare: async (container) => {
      const configured = container.get(DELIVERY_OPTIONS);
      container.rebind(DELIVERY_OPTIONS).toConstantValue({ ...configured, pollIntervalMs: 200, ...options.delivery });
      await options.prepare?.(container);
    },
  });
  const dispatcher = t.container.get(OutboxDispatcher);
  await dispatcher.start();
  const status = async (tenantId: string, id: string) => (await request(t.app).get(`/api/v1/tenants/${tenantId}/notifications/${id}`).set(ADMIN)).body;
  return {
    ...t,
    dispatcher,
    putTenant: async (tenantId, body) => {
      const response = await request(t.app).put(`/api/v1/tenants/${tenantId}`).set(ADMIN).send(body);
      if (response.status !== 200 && response.status !== 201)
        throw new Error(`PUT /tenants/${tenantId} answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body;
    },
    tenant: async (tenantId) => (await request(t.app).get(`/api/v1/tenants/${tenantId}`).set(ADMIN)).body,
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

export interface LoopbackTenant {
  port: number;
  preset?: 'custom' | 'gmx' | 'demo' | 'mandrill';
  name?: string;
  locale?: 'de' | 'fr' | 'it' | 'en';
  alertSender?: { address: string; name?: string };
  allowedSenders?: string[];
  host?: string;
  security?: 'none' | 'starttls' | 'tls';
  username?: string;
  password?: string | null;
  caCertificate?: string;
  maxPerMinute?: number;
}

/** The PUT /tenants/{id} body of a tenant whose mail host is a local test server. */
export function loopbackTenant(input: LoopbackTenant): Record<string, unknown> {
  const { port, preset = 'custom', name = 'Kunde AG', locale, alertSender, allowedSenders = [], host = '127.0.0.1', security = 'none', ...mail } = input;
  return {
    name,
    ...(locale ? { locale } : {}),
    ...(alertSender ? { alertSender } : {}),
    mail: { preset, host, port, security, allowedSenders, ...mail },
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
