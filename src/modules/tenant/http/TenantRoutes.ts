import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { Config } from '../../../shared/config/Config';
import { NotFoundError } from '../../../shared/errors';
import { decodeCursor, encodeCursor, pageQuery, pageSchema } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import { CONFIG } from '../../../shared/tokens';
import { CreateApiKey } from '../application/CreateApiKey';
import { DeleteApiKey } from '../application/DeleteApiKey';
import { DeleteTenant } from '../application/DeleteTenant';
import { SaveTenant } from '../application/SaveTenant';
import { VerifyMailHost } from '../application/VerifyMailHost';
import type { AuditLog } from '../domain/AuditLog';
import { effectiveTenant } from '../domain/effectiveTenant';
import { PRESETS } from '../domain/presets';
import { PRESET_NAMES } from '../domain/Tenant';
import type { TenantDirectory } from '../domain/TenantDirectory';
import type { TenantRepository } from '../domain/TenantRepository';
import { AUDIT_LOG, TENANT_DIRECTORY, TENANT_REPOSITORY } from '../tokens';
import { splitOAuth2 } from './oauth2Schemas';
import { AuditEntryOut, auditView, PresetOut, TenantBody, TenantId, TenantOut, tenantView, VerifyBody, VerifyOut } from './tenantSchemas';

const TAG = 'tenants';
const TenantParams = z.object({ tenantId: TenantId });

@injectable()
export class TenantRoutes implements RouteSource {
  constructor(
    @inject(SaveTenant) private readonly saveTenant: SaveTenant,
    @inject(DeleteTenant) private readonly deleteTenant: DeleteTenant,
    @inject(CreateApiKey) private readonly createApiKey: CreateApiKey,
    @inject(DeleteApiKey) private readonly deleteApiKey: DeleteApiKey,
    @inject(VerifyMailHost) private readonly verifyMailHost: VerifyMailHost,
    @inject(TENANT_DIRECTORY) private readonly directory: TenantDirectory,
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @inject(AUDIT_LOG) private readonly audit: AuditLog,
    @inject(CONFIG) private readonly config: Config,
  ) {}

  routes(): Route[] {
    return [
      route({
        method: 'get',
        path: '/presets',
        operationId: 'listPresets',
        summary: 'The mail presets with their defaults',
        description: 'What the tenant form offers. Mandrill is discouraged: see its `discouraged` text.',
        tag: TAG,
        access: 'admin',
        responses: { 200: { description: 'the presets', schema: z.object({ items: z.array(PresetOut) }) } },
        handle: async () => ({
          status: 200,
          body: {
            items: PRESET_NAMES.map((name) => {
              const preset = PRESETS[name];
              const hosted = name === 'hosted' ? this.config.hosted : undefined;
              return {
                name,
                title: preset.title,
                description: preset.description,
                available: name !== 'hosted' || this.config.hosted !== undefined,
                ...((hosted?.host ?? preset.host) ? { host: hosted?.host ?? preset.host } : {}),
                ...((hosted?.port ?? preset.port) ? { port: hosted?.port ?? preset.port } : {}),
                ...((hosted?.security ?? preset.security) ? { security: hosted?.security ?? preset.security } : {}),
                hostOverridable: preset.hostOverridable,
                senders: preset.senderRule,
                ...((hosted?.sender ?? preset.fixedSender) ? { fixedSender: hosted?.sender ?? preset.fixedSender } : {}),
                ...(preset.maxPerMinute ? { maxPerMinute: preset.maxPerMinute } : {}),
                ...(preset.discouraged ? { discouraged: preset.discouraged } : {}),
                authentication: preset.authentication,
              };
            }),
          },
        }),
      }),
      route({
        method: 'put',
        path: '/tenants/:tenantId',
        operationId: 'putTenant',
        summary: 'Create or replace a tenant',
        description: 'The password and the OAuth 2.0 secrets (mail.oauth2.clientSecret, serviceAccount.privateKey) are write-only: omitted keeps the stored one. 422 when the sender policy, the preset or the network guard refuse the settings.',
        tag: TAG,
        access: 'admin',
        params: TenantParams,
        body: TenantBody,
        responses: {
          200: { description: 'replaced', schema: TenantOut },
          201: { description: 'created', schema: TenantOut },
          403: { description: 'not the admin key' },
          422: { description: 'not allowed: alert sender outside the sender policy, refused host, preset unavailable' },
        },
        handle: async ({ params, body, principal }) => {
          const { password, oauth2: oauth2Body, ...rest } = body.mail;
          const { oauth2, secret: oauth2Secret } = splitOAuth2(oauth2Body);
          const mail = dropUndefined({ ...rest, oauth2 });
          const settings = { name: body.name, locale: body.locale, ...(body.alertSender ? { alertSender: body.alertSender } : {}), mail };
          const { created, tenant } = await this.saveTenant.execute({ tenantId: params.tenantId, settings, password, oauth2Secret, actor: principal.actor });
          return { status: created ? 201 : 200, body: tenantView(tenant) };
        },
      }),
      route({
        method: 'get',
        path: '/tenants',
        operationId: 'listTenants',
        summary: 'List tenants, ordered by id',
        tag: TAG,
        access: 'admin',
        query: z.object(pageQuery),
        responses: { 200: { description: 'a page of tenants', schema: pageSchema(TenantOut) } },
        handle: async ({ query }) => {
          const afterId = query.cursor ? decodeCursor(query.cursor, z.object({ after: z.string() })).after : undefined;
          const page = await this.tenants.list(afterId, query.limit + 1);
          const items = page.slice(0, query.limit);
          return {
            status: 200,
            body: {
              items: items.map((stored) => tenantView(effectiveTenant(stored, this.config.hosted, this.config.oauth))),
              nextCursor: page.length > query.limit ? encodeCursor({ after: items[items.length - 1]!.id }) : null,
            },
          };
        },
      }),
      route({
        method: 'get',
        path: '/tenants/:tenantId',
        operationId: 'getTenant',
        summary: 'One tenant with its effective settings',
        tag: TAG,
        access: 'tenant',
        params: TenantParams,
        responses: { 200: { description: 'the tenant', schema: TenantOut } },
        handle: async ({ params }) => ({ status: 200, body: tenantView(await this.existing(params.tenantId)) }),
      }),
      route({
        method: 'delete',
        path: '/tenants/:tenantId',
        operationId: 'deleteTenant',
        summary: 'Offboard a tenant: removes its data, keys and audit log',
        tag: TAG,
        access: 'admin',
        params: TenantParams,
        responses: { 204: { description: 'deleted' } },
        handle: async ({ params }) => {
          await this.deleteTenant.execute(params.tenantId);
          return { status: 204 };
        },
      }),
      route({
        method: 'post',
        path: '/tenants/:tenantId/api-keys',
        operationId: 'createApiKey',
        summary: 'Create an API key for the tenant; the key is shown only in this answer',
        tag: TAG,
        access: 'admin',
        params: TenantParams,
        body: z.strictObject({ label: z.string().min(1).max(200).optional() }),
        responses: { 201: { description: 'created', schema: z.object({ id: z.string(), key: z.string() }) } },
        handle: async ({ params, body, principal }) => ({ status: 201, body: await this.createApiKey.execute(params.tenantId, body.label, principal.actor) }),
      }),
      route({
        method: 'delete',
        path: '/tenants/:tenantId/api-keys/:keyId',
        operationId: 'deleteApiKey',
        summary: 'Delete an API key of the tenant',
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
        access: 'admin',
        params: TenantParams,
        query: z.object(pageQuery),
        responses: { 200: { description: 'a page of audit entries', schema: pageSchema(AuditEntryOut) } },
        handle: async ({ params, query }) => {
          await this.existing(params.tenantId);
          const beforeId = query.cursor ? decodeCursor(query.cursor, z.object({ before: z.number().int() })).before : undefined;
          const page = await this.audit.list(params.tenantId, beforeId, query.limit + 1);
          const items = page.slice(0, query.limit);
          return {
            status: 200,
            body: { items: items.map(auditView), nextCursor: page.length > query.limit ? encodeCursor({ before: items[items.length - 1]!.id }) : null },
          };
        },
      }),
      route({
        method: 'post',
        path: '/tenants/:tenantId/mail/verify',
        operationId: 'verifyMailHost',
        summary: 'Check the mail host step by step without sending a mail',
        description:
          'connect, tls, auth, then one sender step for the alert address and each of probeSenders (MAIL FROM, one RCPT to the alert address, RSET). 200 whenever the check ran; `ok` says how it went.',
        tag: TAG,
        access: 'tenant',
        params: TenantParams,
        body: VerifyBody,
        responses: { 200: { description: 'the steps and their outcome', schema: VerifyOut } },
        handle: async ({ params, body }) => ({ status: 200, body: await this.verifyMailHost.execute(params.tenantId, body.probeSenders ?? []) }),
      }),
    ];
  }

  private async existing(tenantId: string) {
    const tenant = await this.directory.get(tenantId);
    if (!tenant) throw new NotFoundError(`no tenant ${tenantId}`);
    return tenant;
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
