import 'reflect-metadata';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboxDispatcher } from '../../../../src/modules/notification/application/OutboxDispatcher';
import { DeliveryError } from '../../../../src/modules/notification/domain/DeliveryError';
import type { DeliveryFailureLog, FailureCategory } from '../../../../src/modules/notification/domain/DeliveryFailureLog';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from '../../../../src/modules/notification/domain/DeliveryOptions';
import type { OutboxMessage } from '../../../../src/modules/notification/domain/OutboxMessage';
import { InProcessDispatchSignal } from '../../../../src/modules/notification/infrastructure/InProcessDispatchSignal';
import { MimeMessageComposer } from '../../../../src/modules/notification/infrastructure/MimeMessageComposer';
import { InMemorySendBudget } from '../../../../src/modules/notification/infrastructure/InMemorySendBudget';
import { SenderFallback } from '../../../../src/modules/notification/application/SenderFallback';
import { InMemoryRefusedSenders } from '../../../support/fakes/InMemoryRefusedSenders';
import { PrometheusDeliveryMetrics } from '../../../../src/modules/notification/infrastructure/PrometheusDeliveryMetrics';
import { createLogger } from '../../../../src/shared/logging/logger';
import { FixedClock } from '../../../../src/shared/time/FixedClock';
import { outgoingMail, T0 } from '../../../support/contractStores';
import { InMemoryMailHosts } from '../../../support/fakes/InMemoryMailHosts';
import { InMemoryOutbox } from '../../../support/fakes/InMemoryOutbox';
import { ScriptedMailTransport } from '../../../support/fakes/ScriptedMailTransport';
import { testTenant } from '../../../support/OverlayTenantDirectory';

/** The failed tries the health view would show. */
class RecordingFailureLog implements DeliveryFailureLog {
  readonly records: Array<{ tenantId: string; category: FailureCategory }> = [];
  async record(tenantId: string, category: FailureCategory): Promise<void> {
    this.records.push({ tenantId, category });
  }
  async summary(): Promise<never> {
    throw new Error('not used by the dispatcher');
  }
}

const RETRY_SCHEDULE = [60_000, 300_000];
const OPTIONS: DeliveryOptions = { ...DEFAULT_DELIVERY_OPTIONS, retrySchedule: RETRY_SCHEDULE, retryJitter: 0, pollIntervalMs: 20, stopTimeoutMs: 500 };

/** The dispatcher over the in-memory outbox, a scripted mail host and a fixed clock: no socket, no database. */
describe('OutboxDispatcher over the in-memory queue', () => {
  let clock: FixedClock;
  let outbox: InMemoryOutbox;
  let transport: ScriptedMailTransport;
  let hosts: InMemoryMailHosts;
  let failures: RecordingFailureLog;
  let dispatcher: OutboxDispatcher;

  function build(options: Partial<DeliveryOptions> = {}): OutboxDispatcher {
    const signal = new InProcessDispatchSignal();
    clock = new FixedClock(T0);
    outbox = new InMemoryOutbox(clock, signal);
    transport = new ScriptedMailTransport();
    hosts = new InMemoryMailHosts();
    failures = new RecordingFailureLog();
    for (const id of ['acme', 'globex']) hosts.add(testTenant(id, { mail: { ...testTenant(id).mail, host: `smtp.${id}.example.ch` } }));
    const metrics = new PrometheusDeliveryMetrics(new Registry());
    dispatcher = new OutboxDispatcher(
      outbox,
      transport,
      new MimeMessageComposer(),
      hosts,
      hosts,
      signal,
      clock,
      createLogger('silent'),
      metrics,
      { ...OPTIONS, ...options },
      failures,
      { storing: 0 },
      new InMemorySendBudget(),
      new SenderFallback(new InMemoryRefusedSenders(), { apply: async () => false }, clock, createLogger('silent')),
    );
    return dispatcher;
  }
  beforeEach(() => build());
  afterEach(async () => dispatcher.stop());

  const message = async (tenantId: string, id: string): Promise<OutboxMessage> => (await outbox.get(tenantId, id))!;
  const settled = (tenantId: string, id: string, status: OutboxMessage['status']) =>
    vi.waitFor(async () => expect((await message(tenantId, id)).status).toBe(status), { timeout: 5_000, interval: 5 });

  it('delivers queued mail to the tenant’s host, with the envelope of its recipients, and records it sent', async () => {
    const id = await outbox.enqueue(outgoingMail('acme', { subject: 'Ticket 42: ein Kommentar' }));
    await dispatcher.start();
    await settled('acme', id, 'sent');
    expect(transport.sends).toHaveLength(1);
    const [send] = transport.sends;
    expect(send!.endpoint).toMatchObject({ tenantId: 'acme', host: 'smtp.acme.example.ch' });
    expect(send!.envelope).toEqual({ from: 'anna@acme.example.ch', to: ['bob@example.ch', 'carl@example.ch'] });
    expect(send!.raw).toContain(`Message-ID: ${(await message('acme', id)).messageId}`);
    expect(await message('acme', id)).toMatchObject({ status: 'sent', attempts: 1, sentAt: new Date(T0) });
    expect(failures.records).toEqual([]);
  });

  it('a temporary failure puts the mail back on the retry schedule; at its time it is tried again and delivered', async () => {
    transport.script(
      'bob@example.ch',
      { kind: 'fail', error: new DeliveryError('451 4.3.0 try again later', { phase: 'data', replyCode: 451, response: '451 4.3.0 try again later' }) },
      { kind: 'accept' },
    );
    const id = await outbox.enqueue(outgoingMail('acme', { cc: [] }));
    await dispatcher.start();
    await settled('acme', id, 'queued');
    const retried = await message('acme', id);
    expect(retried).toMatchObject({ attempts: 1, nextAttemptAt: new Date(Date.parse(T0) + RETRY_SCHEDULE[0]!) });
    expect(retried.lastError).toMatchObject({ code: 'temporary_failure', message: expect.stringContaining('451') });
    expect(failures.records).toEqual([{ tenantId: 'acme', category: expect.any(String) }]);
    // Not before its time.
    clock.advance(RETRY_SCHEDULE[0]! - 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.sends).toHaveLength(1);
    clock.advance(1);
    await settled('acme', id, 'sent');
    expect(transport.sends).toHaveLength(2);
    expect(await message('acme', id)).toMatchObject({ attempts: 2, sentAt: new Date(Date.parse(T0) + RETRY_SCHEDULE[0]!) });
  });

  it('a temporary failure after the last retry gives up: failed, with the tries counted', async () => {
    const busy = { kind: 'fail' as const, error: new DeliveryError('421 4.7.0 busy', { phase: 'connect', replyCode: 421, response: '421 4.7.0 busy' }) };
    transport.script('bob@example.ch', busy);
    const id = await outbox.enqueue(outgoingMail('acme', { cc: [] }));
    await dispatcher.start();
    for (const delay of RETRY_SCHEDULE) {
      await settled('acme', id, 'queued');
      clock.advance(delay);
      await vi.waitFor(async () => expect((await message('acme', id)).attempts).toBeGreaterThan(RETRY_SCHEDULE.indexOf(delay) + 1), {
        timeout: 5_000,
        interval: 5,
      });
    }
    await settled('acme', id, 'failed');
    expect((await message('acme', id)).lastError).toMatchObject({ code: 'gave_up', message: expect.stringMatching(/^gave up after 3 tries/) });
    expect(transport.sends).toHaveLength(3);
  });

  it('a permanent failure ends the mail at once, failed with the host’s answer and the refused recipients', async () => {
    transport.script('bob@example.ch', { kind: 'refuse', code: 550, response: '550 5.1.1 <bob@example.ch>: no such user' });
    const id = await outbox.enqueue(outgoingMail('acme', { cc: [] }));
    await dispatcher.start();
    await settled('acme', id, 'failed');
    const failed = await message('acme', id);
    expect(failed).toMatchObject({ attempts: 1, rejectedRecipients: [{ address: 'bob@example.ch', code: 550 }] });
    expect(failed.lastError).toMatchObject({ code: 'message_refused', message: expect.stringContaining('550') });
    clock.advance(24 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.sends).toHaveLength(1);
  });

  it('a refused login parks the tenant and its queued mail, not the other tenant; new settings send it again', async () => {
    transport.script(
      'bob@example.ch',
      {
        kind: 'fail',
        error: new DeliveryError('535 5.7.8 authentication failed', { phase: 'auth', replyCode: 535, response: '535 5.7.8 authentication failed' }),
      },
      { kind: 'accept' },
    );
    const parkedId = await outbox.enqueue(outgoingMail('acme', { cc: [] }));
    await dispatcher.start();
    await settled('acme', parkedId, 'parked');
    expect((await hosts.get('acme'))!.mailStatus).toMatchObject({ state: 'parked' });
    const waiting = await outbox.enqueue(outgoingMail('acme', { to: [{ address: 'dora@example.ch' }], cc: [] }));
    const other = await outbox.enqueue(outgoingMail('globex', { cc: [] }));
    await settled('globex', other, 'sent');
    await settled('acme', waiting, 'parked');
    expect(transport.sendsTo('dora@example.ch')).toEqual([]);
    expect(failures.records).toEqual([{ tenantId: 'acme', category: 'auth' }]);

    // The tenant fixes its password: the settings change, the queue goes again.
    hosts.add(testTenant('acme', { mail: { ...testTenant('acme').mail, host: 'smtp.acme.example.ch' }, settingsVersion: 2 }));
    await dispatcher.mailSettingsChanged('acme');
    await settled('acme', parkedId, 'sent');
    await settled('acme', waiting, 'sent');
  });

  describe('tenants in line at one shared host', () => {
    const tenants = Array.from({ length: 20 }, (_, i) => `wartend-${i}`);

    /** Each tenant has sent once, so that the dispatcher knows they share the host; then sends take 30 ms each. */
    async function knownTenants(options: Partial<DeliveryOptions>): Promise<void> {
      build({ perHostConcurrency: 1, perHostConnections: 3, ...options });
      for (const id of tenants) hosts.add(testTenant(id, { mail: { ...testTenant(id).mail, host: 'smtp.geteilt.example.ch' } }));
      const first = await Promise.all(tenants.map((id) => outbox.enqueue(outgoingMail(id, { cc: [] }))));
      await dispatcher.start();
      for (const [index, id] of first.entries()) await settled(tenants[index]!, id, 'sent');
      transport.sends.length = 0;
      transport.prepared.length = 0;
      transport.delayMs = 30;
    }

    /** A mail for each tenant, all waiting for the one send slot of their host; resolves once all are sent. */
    async function mailEach(): Promise<void> {
      const ids = await Promise.all(tenants.map((id) => outbox.enqueue(outgoingMail(id, { cc: [], subject: 'Zweite' }))));
      for (const [index, id] of ids.entries()) await settled(tenants[index]!, id, 'sent');
    }

    it('asks the transport to open the connections of the next tenants in line while another tenant sends', async () => {
      await knownTenants({});
      await mailEach();
      const order = transport.sends.map((send) => send.endpoint.tenantId);
      expect(order).toHaveLength(tenants.length);
      // Every tenant but the first in line was prepared before its send.
      for (const tenantId of order.slice(1)) expect(transport.prepared).toContain(tenantId);
    });

    it('reads the settings of the tenants in line together once those read at the claim expired, not one read per send', async () => {
      await knownTenants({ tenantCacheMs: 100 });
      const single = vi.spyOn(hosts, 'get');
      await mailEach();
      // 20 sends of 30 ms in line: without reading ahead, each tenant after the first three read its own (17).
      expect(single.mock.calls.length).toBeLessThanOrEqual(5);
    });
  });

  it('takes turns between tenants: mail queued behind another tenant’s backlog goes out early', async () => {
    build({ prefetchPerTenant: 5, perTenantConcurrency: 1, pipelineDepth: 1, globalConcurrency: 1 });
    const backlog: string[] = [];
    for (let index = 0; index < 30; index += 1) backlog.push(await outbox.enqueue(outgoingMail('acme', { cc: [], to: [{ address: `a${index}@example.ch` }] })));
    clock.advance(1);
    const late = [
      await outbox.enqueue(outgoingMail('globex', { cc: [], to: [{ address: 'g1@example.ch' }] })),
      await outbox.enqueue(outgoingMail('globex', { cc: [], to: [{ address: 'g2@example.ch' }] })),
    ];
    await dispatcher.start();
    for (const id of late) await settled('globex', id, 'sent');
    for (const id of backlog) await settled('acme', id, 'sent');
    const order = transport.sends.map((send) => send.envelope.to[0]);
    expect(order).toHaveLength(32);
    // Both of globex's mails within the first claim's round (5 of acme, 2 of globex), not after acme's 30.
    expect(order.indexOf('g2@example.ch')).toBeLessThan(10);
    // And acme's in the order they were queued.
    expect(order.filter((address) => address!.startsWith('a'))).toEqual(backlog.map((_, index) => `a${index}@example.ch`));
  });
});
