import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { ApiKeyStore } from '../../../shared/auth/ApiKeyStore';
import { pageQuery, pageSchema, paginate } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import { API_KEY_STORE } from '../../../shared/tokens';
import { CreateApiKey } from '../application/CreateApiKey';
import { DeleteApiKey } from '../application/DeleteApiKey';
import type { AuditLog } from '../domain/AuditLog';
import { AUDIT_LOG } from '../tokens';
import { ApiKeyOut, ApiKeyRequest, apiKeyView, AuditEntryOut, auditView, CreatedApiKeyOut } from './accessSchemas';
import { TenantId, TenantParams } from './tenantSchemas';

const TAG = 'tenants';

const MeOut = z
  .object({
    role: z.enum(['admin', 'tenant']),
    tenantId: z.string().optional().describe('the tenant of a tenant key'),
    keyId: z.string().optional().describe('absent for the ADMIN_API_KEY'),
  })
  .meta({ id: 'Me', examples: [{ role: 'tenant', tenantId: 'kunde-ag', keyId: 'key_3f9a1c2b4d5e6f708192' }] });

/** Who may act for a tenant (its API keys), who did (its audit log), and who the caller is (/me). */
@injectable()
export class AccessRoutes implements RouteSource {
  constructor(
    @inject(CreateApiKey) private readonly createApiKey: CreateApiKey,
    @inject(DeleteApiKey) private readonly deleteApiKey: DeleteApiKey,
    @inject(API_KEY_STORE) private readonly keys: ApiKeyStore,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  routes(): Route[] {
    return [
      route({
        method: 'get',
        path: '/me',
        operationId: 'getMe',
        summary: 'Who the presented key belongs to',
        description: 'What a console signed in with a key needs to know: the admin, or which tenant.',
        tag: TAG,
        access: 'any',
        responses: { 200: { description: 'the caller', schema: MeOut } },
        handle: async ({ principal }) => ({
          status: 200,
          body:
            principal.kind === 'admin'
              ? { role: 'admin', ...(principal.keyId ? { keyId: principal.keyId } : {}) }
              : { role: 'tenant', tenantId: principal.tenantId, keyId: principal.keyId },
        }),
      }),
      route({
        method: 'post',
        path: '/tenants/:tenantId/api-keys',
        operationId: 'createApiKey',
        summary: 'Create an API key for the tenant; the key is shown only in this answer',
        tag: TAG,
        access: 'admin',
        params: TenantParams,
        body: ApiKeyRequest,
        responses: { 201: { description: 'created', schema: CreatedApiKeyOut } },
        handle: async ({ params, body, principal }) => {
          const request = { ...(body.name ? { name: body.name } : {}), ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}) };
          const { stored, key } = await this.createApiKey.execute(params.tenantId, request, principal.actor);
          const { lastUsedAt: _never, ...view } = apiKeyView(stored);
          return { status: 201, body: { ...view, key } };
        },
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/api-keys',
        operationId: 'listApiKeys',
        summary: "The tenant's API keys, without the keys themselves",
        tag: TAG,
        access: 'admin',
        params: TenantParams,
        query: z.object(pageQuery),
        responses: { 200: { description: 'a page of keys', schema: pageSchema(ApiKeyOut, 'ApiKeyPage') } },
        handle: async ({ params, query }) => ({
          status: 200,
          body: await paginate(
            query,
            z.object({ after: z.string() }),
            (after, limit) => this.keys.listForTenant(params.tenantId, { ...(after ? { afterId: after.after } : {}), limit }),
            (key) => ({ after: key.id }),
            apiKeyView,
          ),
        }),
      }),
      route({
        method: 'delete',
        path: '/tenants/:tenantId/api-keys/:keyId',
        operationId: 'deleteApiKey',
        summary: 'Delete an API key of the tenant; it answers 401 at once',
        tag: TAG,
        access: 'admin',
        params: z.object({ tenantId: TenantId, keyId: z.string().min(1).max(40) }),
        responses: { 204: { description: 'deleted' } },
        handle: async ({ params, principal }) => {
          await this.deleteApiKey.execute(params.tenantId, params.keyId, principal.actor);
          return { status: 204 };
        },
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId/audit',
        operationId: 'listAuditEntries',
        summary: 'Who changed what of the tenant, newest first',
        tag: TAG,
        access: 'tenant',
        params: TenantParams,
        query: z.object(pageQuery),
        responses: { 200: { description: 'a page of audit entries', schema: pageSchema(AuditEntryOut, 'AuditEntryPage') } },
        handle: async ({ params, query }) => ({
          status: 200,
          body: await paginate(
            query,
            z.object({ before: z.number().int() }),
            (before, limit) => this.audit.list(params.tenantId, before?.before, limit),
            (entry) => ({ before: entry.id }),
            auditView,
          ),
        }),
      }),
    ];
  }
}
