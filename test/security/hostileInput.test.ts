import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE } from '../../src/shared/tokens';
import { reportFigures } from '../support/figures';
import { arbitraryFor, hostileString, HOSTILE_ADDRESSES, HOSTILE_LINES, TRICKY_LINES, TRICKY_VALID_ADDRESSES } from '../support/hostileInput';
import { createLiveApp, percentile, type LiveApp } from '../support/liveApp';
import { TestSmtpServer } from '../support/TestSmtpServer';

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40);
const ALERT_SENDER = 'kos@kunde.ch';
/** The headers a mail of this service may carry; anything else was injected. */
const ALLOWED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'x-kos-tenant',
  'list-id',
  'x-kos-ticket',
  'in-reply-to',
  'references',
  'auto-submitted',
  'x-auto-response-suppress',
]);
/** Operations whose tenant must not be the recording tenant `a`: they replace or remove it. */
const DESTRUCTIVE = new Set(['put /tenants/{tenantId}', 'delete /tenants/{tenantId}', 'delete /tenants/{tenantId}/api-keys/{keyId}']);

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: Record<string, any> }>;
  body?: Record<string, any>;
}

describe('hostile input against every endpoint', () => {
  let live: LiveApp;
  let smtp: TestSmtpServer;
  let tenantKey: string;
  const timings: Array<{ op: string; ms: number }> = [];
  const statuses = new Map<number, number>();
  const serverErrors: string[] = [];
  /** Every address an accepted request named (lower-cased): mail may go to these and no other. */
  const acceptedAddresses = new Set<string>([ALERT_SENDER]);
  /** Accepted notifications: id → the recipients the request named. */
  const notifications = new Map<string, string[]>();

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    live = await createLiveApp('sqlite', { delivery: { connectionTimeoutMs: 1_000, greetingTimeoutMs: 1_000, testMailWaitMs: 2_000 } });
    const tenant = await live.call('PUT', '/tenants/a', { body: tenantBody(smtp.port) });
    expect(tenant.status).toBe(201);
    tenantKey = (await live.call('POST', '/tenants/a/api-keys', { body: {} })).json.key;
  });
  afterAll(async () => {
    await live?.close();
    await smtp?.close();
  });

  function tenantBody(port: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name: 'Kunde AG',
      alertSender: { address: ALERT_SENDER },
      mail: { preset: 'custom', host: '127.0.0.1', port, security: 'none', allowedSenders: ['*@kunde.ch'] },
      ...overrides,
    };
  }

  async function send(op: string, method: string, path: string, options: Parameters<LiveApp['call']>[2] = {}) {
    const response = await live.call(method, path, options);
    timings.push({ op, ms: response.ms });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status >= 500) serverErrors.push(`${method} ${path} → ${response.status} ${response.text.slice(0, 300)}`);
    if (response.status >= 400) expect(response.headers.get('content-type'), `${method} ${path} ${response.status}`).toContain('application/problem+json');
    if (response.status < 300 && options.body && typeof options.body === 'object') collectAddresses(options.body);
    if (response.status === 202 && /\/notifications$/.test(path) && options.body && typeof options.body === 'object') {
      const body = options.body as { to?: Array<{ email: string }>; cc?: Array<{ email: string }> };
      notifications.set(
        response.json.id,
        [...(body.to ?? []), ...(body.cc ?? [])].map((r) => r.email.toLowerCase()),
      );
    }
    return response;
  }

  function collectAddresses(value: unknown, key = ''): void {
    if (typeof value === 'string' && /^(email|address|to)$|^probeSenders$/.test(key)) acceptedAddresses.add(normal(value));
    else if (Array.isArray(value)) for (const item of value) collectAddresses(item, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collectAddresses(v, k);
  }

  const note = (overrides: Record<string, unknown> = {}) => ({
    kind: 'comment',
    author: { name: 'Anna Meier', email: 'anna.meier@kunde.ch' },
    to: [{ name: 'Beat Keller', email: 'beat.keller@kunde.ch' }],
    subject: 'Kommentar',
    text: 'Text',
    ...overrides,
  });

  it('refuses every address of the mail-library attack corpus, wherever an address goes', async () => {
    for (const address of HOSTILE_ADDRESSES) {
      const cases: Array<[string, string, unknown]> = [
        ['POST', '/tenants/a/notifications', note({ author: { name: 'Anna', email: address } })],
        ['POST', '/tenants/a/notifications', note({ to: [{ email: address }] })],
        ['POST', '/tenants/a/notifications', note({ cc: [{ name: 'X', email: address }] })],
        ['POST', '/tenants/a/mail/test', { to: address }],
        ['POST', '/tenants/a/mail/verify', { probeSenders: [address] }],
        ['PUT', '/tenants/a/deadlines/T-corpus', { title: 'Frist', dueDate: '2027-01-01', assignees: [{ email: address }] }],
        ['PUT', '/tenants/fz', tenantBody(smtp.port, { alertSender: { address } })],
        [
          'PUT',
          '/tenants/fz',
          tenantBody(smtp.port, { mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none', allowedSenders: [address] } }),
        ],
      ];
      for (const [method, path, body] of cases) {
        const response = await send(`corpus ${method} ${path}`, method, path, { body });
        expect(response.status, `${method} ${path} with ${JSON.stringify(address).slice(0, 80)}`).toBe(400);
      }
    }
  });

  it('refuses CR, LF, NUL, U+2028 and U+2029 in subjects, names, titles and ticket ids', async () => {
    for (const line of HOSTILE_LINES) {
      const cases: Array<[string, string, unknown]> = [
        ['POST', '/tenants/a/notifications', note({ subject: line })],
        ['POST', '/tenants/a/notifications', note({ author: { name: line, email: 'anna.meier@kunde.ch' } })],
        ['POST', '/tenants/a/notifications', note({ to: [{ name: line, email: 'beat@kunde.ch' }] })],
        ['POST', '/tenants/a/notifications', note({ ticket: { id: 'T-1', title: line } })],
        ['POST', '/tenants/a/notifications', note({ ticket: { id: line } })],
        ['PUT', '/tenants/a/deadlines/T-corpus', { title: line, dueDate: '2027-01-01', assignees: [{ email: 'beat@kunde.ch' }] }],
        ['PUT', '/tenants/a/deadlines/T-corpus', { title: 'Frist', dueDate: '2027-01-01', assignees: [{ name: line, email: 'beat@kunde.ch' }] }],
        ['PUT', '/tenants/fz', tenantBody(smtp.port, { name: line })],
        ['PUT', '/tenants/fz', tenantBody(smtp.port, { alertSender: { address: ALERT_SENDER, name: line } })],
      ];
      for (const [method, path, body] of cases) {
        const response = await send(`corpus ${method} ${path}`, method, path, { body });
        expect(response.status, `${method} ${path} with ${JSON.stringify(line)}`).toBe(400);
      }
    }
  });

  it('accepts tricky but plain addresses and header-like single lines, and queues them', async () => {
    for (const address of TRICKY_VALID_ADDRESSES) {
      expect(
        (
          await send('corpus valid address', 'POST', '/tenants/a/notifications', {
            body: note({ to: [{ name: 'Empfänger', email: address }], author: { name: 'Anna', email: address } }),
          })
        ).status,
      ).toBe(202);
    }
    for (const line of TRICKY_LINES) {
      const body = note({
        subject: line,
        author: { name: line, email: 'anna.meier@fremd.ch' },
        to: [{ name: line, email: 'beat@kunde.ch' }],
        ticket: { id: line.replace(/\s/g, '_').slice(0, 200), title: line },
      });
      expect((await send('corpus tricky line', 'POST', '/tenants/a/notifications', { body })).status).toBe(202);
      expect(
        (
          await send('corpus tricky line', 'PUT', '/tenants/a/deadlines/T-tricky', {
            body: { title: line, dueDate: '2027-01-01', assignees: [{ name: line, email: 'carla@kunde.ch' }] },
          })
        ).status,
      ).toBeLessThan(300);
    }
    // A digest for every tricky title and name, through the same checks as the notifications.
    expect((await send('corpus alert run', 'POST', '/alert-runs', { body: {} })).status).toBe(202);
  });

  it('fuzzes the body, query and headers of every operation from /openapi.json: never a 5xx', async () => {
    const document = (await (await fetch(live.base.replace(/\/api\/v1$/, '/openapi.json'))).json()) as { paths: Record<string, Record<string, any>> };
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations.push({
          method,
          path: path.replace(/^\/api\/v1/, ''),
          parameters: operation.parameters ?? [],
          body: operation.requestBody?.content?.['application/json']?.schema,
        });
      }
    }
    expect(operations.length).toBeGreaterThanOrEqual(20);
    for (const operation of operations) {
      const op = `${operation.method} ${operation.path}`;
      const pathParams = operation.parameters.filter((p) => p.in === 'path');
      const queryParams = operation.parameters.filter((p) => p.in === 'query');
      const request = fc.record({
        params: fc.record(
          Object.fromEntries(
            pathParams.map((p) => [
              p.name,
              p.name === 'tenantId'
                ? tenantIdFor(op)
                : fc.oneof({ weight: 3, arbitrary: arbitraryFor(p.schema, p.name) as fc.Arbitrary<string> }, { weight: 1, arbitrary: hostileString() }),
            ]),
          ),
        ),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(arbitraryFor(p.schema, p.name), hostileString()).map(String)])), {
          requiredKeys: [],
        }),
        auth: fc.oneof({ weight: 8, arbitrary: fc.constant('admin') }, { weight: 2, arbitrary: fc.constant('tenant') }, { weight: 1, arbitrary: fc.string() }),
        idempotencyKey: fc.option(fc.string({ minLength: 0, maxLength: 220 }), { freq: 3 }),
        contentType: fc.constantFrom(
          'application/json',
          'application/json',
          'application/json',
          'application/problem+json',
          'text/plain',
          'application/json; charset=latin1',
        ),
        body: operation.body
          ? fc.oneof(
              { weight: 8, arbitrary: arbitraryFor(operation.body) },
              { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
              { weight: 1, arbitrary: fc.string().map((text) => ({ raw: text })) },
            )
          : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) }),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let path = operation.path;
          for (const [name, value] of Object.entries(r.params)) path = path.replace(`{${name}}`, encodeURIComponent(String(value)));
          const query = new URLSearchParams(Object.entries(r.query as Record<string, string>)).toString();
          const key = r.auth === 'admin' ? undefined : r.auth === 'tenant' ? tenantKey : r.auth;
          const headers: Record<string, string> = { 'Content-Type': r.contentType };
          if (r.idempotencyKey !== null) headers['Idempotency-Key'] = r.idempotencyKey;
          const raw = r.body && typeof r.body === 'object' && 'raw' in (r.body as object) ? (r.body as { raw: string }).raw : undefined;
          const bodyless = operation.method === 'get' || operation.method === 'delete';
          const sent = bodyless || r.body === undefined ? undefined : raw !== undefined ? raw : (r.body as object);
          const body = sent === undefined ? undefined : typeof sent === 'string' ? sent : JSON.stringify(sent);
          let response;
          try {
            response = await send(op, operation.method.toUpperCase(), `${path}${query ? `?${query}` : ''}`, { key, headers, body: sent });
          } catch (error) {
            // fetch refuses some header values itself (not ours to test); anything else is a failure.
            if (error instanceof TypeError && /header/i.test(String(error.message) + String((error as { cause?: Error }).cause?.message))) return;
            throw error;
          }
          expect(response.status, `${op} ${body?.slice(0, 200)}`).toBeLessThan(500);
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    }
    expect(serverErrors).toEqual([]);
  }, 600_000);

  it('delivered only to the validated addresses, with no extra header or recipient', async () => {
    const db = live.container.get(DATABASE);
    await expect
      .poll(async () => Number((await db('outbox_messages').where({ tenant_id: 'a' }).whereIn('status', ['queued', 'sending']).count({ n: '*' }))[0]!.n), {
        timeout: 60_000,
        interval: 200,
      })
      .toBe(0);
    const rows: Array<{ id: string; message_id: string }> = await db('outbox_messages').where({ tenant_id: 'a' }).select('id', 'message_id');
    const expectedByMessageId = new Map(rows.filter((row) => notifications.has(row.id)).map((row) => [row.message_id, notifications.get(row.id)!]));
    const problems: string[] = [];
    let checked = 0;
    for (const mail of smtp.received) {
      checked++;
      const text = mail.raw.toString('utf8');
      const headerBlock = text.slice(0, text.indexOf('\r\n\r\n'));
      if (/[\0]|\r(?!\n)|(?<!\r)\n/.test(headerBlock)) problems.push(`bare CR, LF or NUL in the header of ${headerBlock.slice(0, 200)}`);
      const names = headerBlock
        .split('\r\n')
        .filter((line) => !/^[ \t]/.test(line))
        .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
      for (const name of names) if (!ALLOWED_HEADERS.has(name)) problems.push(`unexpected header ${JSON.stringify(name)} in ${headerBlock.slice(0, 300)}`);
      if (
        names.filter((name) => name === 'to' || name === 'cc' || name === 'from' || name === 'subject').length !==
        new Set(names.filter((name) => name === 'to' || name === 'cc' || name === 'from' || name === 'subject')).size
      )
        problems.push(`a header appears twice: ${headerBlock.slice(0, 300)}`);
      for (const to of mail.envelope.to) if (!acceptedAddresses.has(normal(to))) problems.push(`mail to ${to}, an address no accepted request named`);
      if (!acceptedAddresses.has(normal(mail.envelope.from))) problems.push(`envelope sender ${mail.envelope.from} was never accepted`);
      const parsed = await smtp.parse(mail);
      const headerAddresses = [parsed.to, parsed.cc]
        .flatMap((field) => (field ? (Array.isArray(field) ? field : [field]) : []))
        .flatMap((field) => field.value.map((a) => normal(a.address ?? '')));
      const envelope = new Set(mail.envelope.to.map(normal));
      if (new Set(headerAddresses).size !== envelope.size || headerAddresses.some((a) => !envelope.has(a)))
        problems.push(`To/Cc ${JSON.stringify(headerAddresses)} differ from the envelope ${JSON.stringify([...envelope])}`);
      if (parsed.bcc) problems.push(`a Bcc header: ${JSON.stringify(parsed.bcc)}`);
      const expected = expectedByMessageId.get(parsed.messageId ?? '');
      // A recipient named twice (in To and Cc, say) is one RCPT: the envelope holds each address once.
      if (expected && (new Set(expected).size !== envelope.size || expected.some((a) => !envelope.has(a))))
        problems.push(`notification ${parsed.messageId} went to ${JSON.stringify([...envelope])}, asked for ${JSON.stringify(expected)}`);
    }
    const ms = timings.map((timing) => timing.ms);
    // mail/verify and mail/test wait on the tenant's host (smtp-server greets after 100 ms); the
    // rest is the service's own handling of the input.
    const own = timings.filter((timing) => !/mail\/(verify|test)/.test(timing.op)).map((timing) => timing.ms);
    const slowest = [...timings]
      .sort((x, y) => y.ms - x.ms)
      .slice(0, 5)
      .map((timing) => `${timing.op} ${timing.ms.toFixed(1)} ms`);
    reportFigures('hostile-input', {
      requests: timings.length,
      statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      serverErrors: serverErrors.length,
      mailsDelivered: checked,
      notificationsMatched: expectedByMessageId.size,
      unintendedRecipientsOrHeaders: problems.length,
      p50ms: Number(percentile(ms, 50).toFixed(1)),
      p99ms: Number(percentile(ms, 99).toFixed(1)),
      maxMs: Number(Math.max(...ms).toFixed(1)),
      under50ms: Number((ms.filter((m) => m < 50).length / ms.length).toFixed(4)),
      withoutMailHostMaxMs: Number(Math.max(...own).toFixed(1)),
      withoutMailHostUnder50ms: Number((own.filter((m) => m < 50).length / own.length).toFixed(4)),
      slowest,
    });
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(TRICKY_VALID_ADDRESSES.length);
    // Generous: the figure that matters is reported above; a shared 2-core machine stalls at times.
    expect(percentile(ms, 99)).toBeLessThan(1_000);
  }, 120_000);
});

/** Lower case with the domain in ASCII: smtp-server records IDN domains decoded to Unicode. */
function normal(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1)) || address.slice(at + 1)}`.toLowerCase();
}

function tenantIdFor(op: string): fc.Arbitrary<string> {
  if (DESTRUCTIVE.has(op)) return fc.oneof(fc.constantFrom('fz', 'zz-other'), hostileString());
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant('a') },
    { weight: 1, arbitrary: fc.constantFrom('fz', 'zz-other') },
    { weight: 1, arbitrary: hostileString() },
  );
}
