import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../src/console/api';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(respond: (call: Call) => Response | Promise<Response>): { fetch: (url: string, init?: RequestInit) => Promise<Response>; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      const call = { url, init };
      calls.push(call);
      return respond(call);
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('console ApiClient', () => {
  it('sends the key as bearer token and JSON bodies, and encodes path segments', async () => {
    const fake = fakeFetch(() => json(200, { id: 'a b' }));
    const api = new ApiClient('secret-key', { fetch: fake.fetch });
    await api.sendTestMail('a b/../x', 'anna@kunde.ch');
    const call = fake.calls[0]!;
    expect(call.url).toBe('/api/v1/tenants/a%20b%2F..%2Fx/mail/test');
    expect(call.init?.method).toBe('POST');
    const headers = call.init?.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer secret-key');
    expect(headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(call.init?.body))).toEqual({ to: 'anna@kunde.ch' });
    expect(call.init?.credentials).toBe('omit');
  });

  it('builds query strings without empty values', async () => {
    const fake = fakeFetch(() => json(200, { items: [], nextCursor: null }));
    const api = new ApiClient('k', { fetch: fake.fetch });
    await api.notifications('acme', { status: '', limit: 50, cursor: 'a+b=' });
    expect(fake.calls[0]!.url).toBe('/api/v1/tenants/acme/notifications?limit=50&cursor=a%2Bb%3D');
  });

  it('turns problem+json into an ApiError with the field errors', async () => {
    const problem = {
      type: 'https://kos-notify.dev/problems/not_allowed',
      title: 'Not allowed',
      status: 422,
      detail: 'alertSender.address is not allowed by *@kunde.ch',
      errors: [{ path: 'alertSender.address', message: 'not allowed by *@kunde.ch' }],
    };
    const api = new ApiClient('k', { fetch: fakeFetch(() => json(422, problem)).fetch });
    const error = await caught(api.saveTenant('acme', { name: 'Acme', locale: 'de', mail: { preset: 'custom', allowedSenders: ['*@kunde.ch'] } }));
    expect(error.status).toBe(422);
    expect(error.problem).toEqual(problem);
    expect(error.message).toBe('alertSender.address is not allowed by *@kunde.ch');
  });

  it('makes a problem of a non-JSON error page', async () => {
    const api = new ApiClient('k', { fetch: fakeFetch(() => new Response('<html>Bad   gateway</html>', { status: 502, statusText: 'Bad Gateway' })).fetch });
    const error = await caught(api.tenants());
    expect(error.problem).toEqual({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: '<html>Bad gateway</html>' });
  });

  it('reports a network failure as status 0', async () => {
    const api = new ApiClient('k', { fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    const error = await caught(api.tenants());
    expect(error.status).toBe(0);
    expect(error.problem.detail).toBe('Failed to fetch');
  });

  it('carries Retry-After of a 429', async () => {
    const api = new ApiClient('k', {
      fetch: fakeFetch(() => json(429, { type: 't', title: 'Too many requests', status: 429, detail: 'slow down' }, { 'Retry-After': '7' })).fetch,
    });
    const error = await caught(api.mailHealth('acme'));
    expect(error.retryAfterSeconds).toBe(7);
  });

  it('calls onUnauthorized on a 401', async () => {
    let signedOut = 0;
    const api = new ApiClient('k', {
      fetch: fakeFetch(() => json(401, { type: 't', title: 'Unauthenticated', status: 401, detail: 'unknown key' })).fetch,
      onUnauthorized: () => signedOut++,
    });
    await caught(api.tenants());
    expect(signedOut).toBe(1);
  });

  it('answers undefined for a 204', async () => {
    const api = new ApiClient('k', { fetch: fakeFetch(() => new Response(null, { status: 204 })).fetch });
    await expect(api.request('DELETE', '/tenants/acme')).resolves.toBeUndefined();
  });

  it('follows nextCursor through every page of tenants', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' },
      c1: { items: [{ id: 'c' }], nextCursor: null },
    };
    const fake = fakeFetch((call) => json(200, pages[new URL(call.url, 'http://x').searchParams.get('cursor') ?? '']));
    const all = await new ApiClient('k', { fetch: fake.fetch }).allTenants();
    expect(all.map((tenant) => tenant.id)).toEqual(['a', 'b', 'c']);
    expect(fake.calls.map((call) => call.url)).toEqual(['/api/v1/tenants?limit=500', '/api/v1/tenants?limit=500&cursor=c1']);
  });

  it('reads a preview as a list {items, nextCursor}', async () => {
    const digest = { recipients: [{ address: 'anna@kunde.ch' }], subject: 'KOS: 1 Frist erreicht', html: '<p>x</p>' };
    const preview = await new ApiClient('k', {
      fetch: fakeFetch(() => json(200, { tenantId: 'acme', date: '2026-11-27', items: [digest], nextCursor: null })).fetch,
    }).alertPreview('acme', '2026-11-27');
    expect(preview).toEqual({ date: '2026-11-27', items: [digest] });
  });
});
