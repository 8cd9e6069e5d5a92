import type {
  AlertPreview,
  AlertRun,
  AlertSchedule,
  ApiKey,
  CreatedApiKey,
  Me,
  AuditEntry,
  DigestPreview,
  MailHealth,
  Notification,
  NotificationStatus,
  Page,
  Preset,
  Problem,
  Tenant,
  TenantBody,
  TestMailResult,
  VerifyReport,
} from './types.js';

/** A failed call: the service's problem details, or one made up for a network or proxy failure. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** Seconds from `Retry-After` on a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  base?: string;
  fetch?: FetchLike;
  /** Called on a 401, e.g. to sign out. */
  onUnauthorized?: () => void;
}

export type Query = Record<string, string | number | undefined>;

const NETWORK_PROBLEM_TYPE = 'about:blank#network';

/** The public API of kos-notify (described at /openapi.json) as the console calls it: bearer key, JSON, problem details. */
export class ApiClient {
  private readonly base: string;
  private readonly fetchFn: FetchLike;

  constructor(
    private readonly key: string,
    private readonly options: ApiClientOptions = {},
  ) {
    this.base = options.base ?? '/api/v1';
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async request<T>(method: string, path: string, body?: unknown, query: Query = {}): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.key}`, Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchFn(this.base + path + queryString(query), {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: 'omit',
      });
    } catch (error) {
      throw new ApiError({ type: NETWORK_PROBLEM_TYPE, title: 'Network error', status: 0, detail: error instanceof Error ? error.message : String(error) });
    }
    if (response.status === 401) this.options.onUnauthorized?.();
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok) {
      if (parsed === undefined)
        throw new ApiError({ type: 'about:blank', title: 'Unexpected answer', status: response.status, detail: 'the service did not answer with JSON' });
      return parsed as T;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(asProblem(parsed, response.status, response.statusText, text), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }

  me(): Promise<Me> {
    return this.request('GET', '/me');
  }

  alertSchedule(): Promise<AlertSchedule> {
    return this.request('GET', '/alert-schedule');
  }

  apiKeys(tenantId: string): Promise<Page<ApiKey>> {
    return this.request('GET', `/tenants/${enc(tenantId)}/api-keys`, undefined, { limit: 500 });
  }

  createApiKey(tenantId: string, body: { name?: string; expiresAt?: string }): Promise<CreatedApiKey> {
    return this.request('POST', `/tenants/${enc(tenantId)}/api-keys`, body);
  }

  deleteApiKey(tenantId: string, keyId: string): Promise<void> {
    return this.request('DELETE', `/tenants/${enc(tenantId)}/api-keys/${enc(keyId)}`);
  }

  deleteTenant(tenantId: string): Promise<void> {
    return this.request('DELETE', `/tenants/${enc(tenantId)}`);
  }

  presets(): Promise<{ items: Preset[] }> {
    return this.request('GET', '/presets');
  }

  tenants(query: { limit?: number; cursor?: string } = {}): Promise<Page<Tenant>> {
    return this.request('GET', '/tenants', undefined, query);
  }

  /** Every tenant, page by page (at most 500 a page). */
  async allTenants(): Promise<Tenant[]> {
    const all: Tenant[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.tenants({ limit: 500, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  tenant(id: string): Promise<Tenant> {
    return this.request('GET', `/tenants/${enc(id)}`);
  }

  saveTenant(id: string, body: TenantBody): Promise<Tenant> {
    return this.request('PUT', `/tenants/${enc(id)}`, body);
  }

  mailHealth(id: string): Promise<MailHealth> {
    return this.request('GET', `/tenants/${enc(id)}/mail/health`);
  }

  verifyMail(id: string, probeSenders: string[] = []): Promise<VerifyReport> {
    return this.request('POST', `/tenants/${enc(id)}/mail/verify`, probeSenders.length > 0 ? { probeSenders } : {});
  }

  sendTestMail(id: string, to: string): Promise<TestMailResult> {
    return this.request('POST', `/tenants/${enc(id)}/mail/test`, { to });
  }

  notifications(id: string, query: { status?: NotificationStatus | ''; limit?: number; cursor?: string } = {}): Promise<Page<Notification>> {
    return this.request('GET', `/tenants/${enc(id)}/notifications`, undefined, query);
  }

  notification(tenantId: string, id: string): Promise<Notification> {
    return this.request('GET', `/tenants/${enc(tenantId)}/notifications/${enc(id)}`);
  }

  alertRuns(query: { limit?: number; cursor?: string } = {}): Promise<Page<AlertRun>> {
    return this.request('GET', '/alert-runs', undefined, query);
  }

  triggerAlertRun(date?: string): Promise<AlertRun> {
    return this.request('POST', '/alert-runs', date ? { date } : {});
  }

  async alertPreview(tenantId: string, date: string): Promise<AlertPreview> {
    return normalizePreview(await this.request<unknown>('GET', `/tenants/${enc(tenantId)}/alerts/preview`, undefined, { date }));
  }

  audit(tenantId: string, query: { limit?: number; cursor?: string } = {}): Promise<Page<AuditEntry>> {
    return this.request('GET', `/tenants/${enc(tenantId)}/audit`, undefined, query);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function queryString(query: Query): string {
  const pairs = Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`).join('&')}`;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The answer's problem details when it has them; otherwise one from the status line and the start of the body. */
export function asProblem(parsed: unknown, status: number, statusText: string, text: string): Problem {
  if (isRecord(parsed) && typeof parsed.title === 'string') {
    const errors = Array.isArray(parsed.errors)
      ? parsed.errors.filter(isRecord).map((error) => ({
          path: String(error.path ?? ''),
          message: String(error.message ?? ''),
          ...(typeof error.code === 'string' ? { code: error.code } : {}),
          ...(isRecord(error.params) ? { params: error.params } : {}),
        }))
      : undefined;
    return {
      type: typeof parsed.type === 'string' ? parsed.type : 'about:blank',
      title: parsed.title,
      status: typeof parsed.status === 'number' ? parsed.status : status,
      detail: typeof parsed.detail === 'string' ? parsed.detail : '',
      ...(typeof parsed.code === 'string' ? { code: parsed.code } : {}),
      ...(isRecord(parsed.params) ? { params: parsed.params } : {}),
      ...(errors && errors.length > 0 ? { errors } : {}),
    };
  }
  return { type: 'about:blank', title: statusText || `HTTP ${status}`, status, detail: text.replace(/\s+/g, ' ').trim().slice(0, 200) };
}

function normalizePreview(body: unknown): AlertPreview {
  const list = isRecord(body) && Array.isArray(body.items) ? body.items : [];
  const items = list.filter(isRecord) as unknown as DigestPreview[];
  return { ...(isRecord(body) && typeof body.date === 'string' ? { date: body.date } : {}), items };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
