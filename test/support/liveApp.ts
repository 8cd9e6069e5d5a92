import type { AddressInfo } from 'node:net';
import { OutboxDispatcher } from '../../src/modules/notification/application/OutboxDispatcher';
import type { DeliveryOptions } from '../../src/modules/notification/domain/DeliveryOptions';
import { DELIVERY_OPTIONS } from '../../src/modules/notification/tokens';
import { createHttpServer } from '../../src/shared/http/httpServer';
import type { DatabaseKind } from './databases';
import { createTestApp, type TestApp, type TestAppOptions } from './testApp';
import { TEST_ADMIN_KEY } from './testConfig';

export interface LiveApp extends TestApp {
  /** http://127.0.0.1:port/api/v1 */
  base: string;
  /** fetch below /api/v1 with a key (the admin key unless given); the body is sent as JSON unless a string. */
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; text: string; json: any; ms: number }>;
}

/**
 * The real container and tenant module over HTTP on a loopback port, with the dispatcher
 * running: what KOS talks to, minus the process.
 */
export async function createLiveApp(
  kind: DatabaseKind,
  options: TestAppOptions & { delivery?: Partial<DeliveryOptions>; dispatcher?: boolean } = {},
): Promise<LiveApp> {
  const t = await createTestApp(kind, {
    ...options,
    config: { rateLimitPerMinute: 1_000_000, ...options.config },
    prepare: async (container) => {
      const configured = container.get(DELIVERY_OPTIONS);
      container.rebind(DELIVERY_OPTIONS).toConstantValue({ ...configured, pollIntervalMs: 100, ...options.delivery });
      await options.prepare?.(container);
    },
  });
  const dispatcher = t.container.get(OutboxDispatcher);
  if (options.dispatcher !== false) await dispatcher.start();
  // The production server, so that every live test runs on requests born with the app's prototypes.
  const server = createHttpServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return {
    ...t,
    base,
    call: async (method, path, { key = TEST_ADMIN_KEY, body, headers = {} } = {}) => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json, ms };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.stop();
      await t.close();
    },
  };
}

/** Percentile of the values (0..100), nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
