import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { Config } from '../../../shared/config/Config';
import { InvalidRequestError, NotFoundError, fieldError } from '../../../shared/errors';
import { pageQuery, pageSchema, paginate } from '../../../shared/http/paging';
import { route, type Route, type RouteSource } from '../../../shared/http/Route';
import { CONFIG } from '../../../shared/tokens';
import { DeleteTenant } from '../application/DeleteTenant';
import { SaveTenant } from '../application/SaveTenant';
import { VerifyMailHost } from '../application/VerifyMailHost';
import { effectiveTenant } from '../domain/effectiveTenant';
import { PRESETS, presetView } from '../domain/presets';
import { PRESET_NAMES } from '../domain/Tenant';
import type { TenantDirectory } from '../domain/TenantDirectory';
import type { TenantRepository } from '../domain/TenantRepository';
import { TENANT_DIRECTORY, TENANT_REPOSITORY } from '../tokens';
import { VerifyBody, VerifyOut } from './mailHostSchemas';
import { PresetOut, TenantBody, TenantOut, TenantParams, tenantView } from './tenantSchemas';
import { splitOAuth2 } from './oauth2Schemas';
import { message } from '../../../shared/messages/message';

const TAG = 'tenants';

@injectable()
export class TenantRoutes implements RouteSource {
  constructor(
    @inject(SaveTenant) private readonly saveTenant: SaveTenant,
    @inject(DeleteTenant) private readonly deleteTenant: DeleteTenant,
    @inject(VerifyMailHost) private readonly verifyMailHost: VerifyMailHost,
    @inject(TENANT_DIRECTORY) private readonly directory: TenantDirectory,
    @inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
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
        responses: { 200: { description: 'the presets', schema: pageSchema(PresetOut, 'PresetList') } },
        handle: async () => ({
          status: 200,
          body: { nextCursor: null, items: PRESET_NAMES.map((name) => presetView(PRESETS[name], this.config.hosted, this.config.demoPreset)) },
        }),
      }),
      route({
        method: 'put',
        path: '/tenants/:tenantId',
        operationId: 'putTenant',
        summary: 'Create or replace a tenant',
        description:
          'The password and the OAuth 2.0 secrets (mail.oauth2.clientSecret, serviceAccount.privateKey) are write-only: omitted keeps the stored one. What a GET returned may be sent back with a field changed: `id` must equal the path, the read-only fields are ignored. A tenant key may replace its own tenant. 422 when the sender policy, the preset or the network guard refuse the settings.',
        tag: TAG,
        access: 'tenant',
        tenantMayBeAbsent: true,
        params: TenantParams,
        body: TenantBody,
        responses: {
          200: { description: 'replaced', schema: TenantOut },
          201: { description: 'created', schema: TenantOut },
          422: { description: 'not allowed: alert sender outside the sender policy, refused host, preset unavailable' },
        },
        handle: async ({ params, body, principal }) => {
          if (body.id !== undefined && body.id !== params.tenantId) {
            throw new InvalidRequestError(message('tenant_id_mismatch', { bodyId: body.id }), [
              fieldError('id', 'must_equal_path_tenant', { tenantId: params.tenantId }),
            ]);
          }
          // A tenant key reaches only its own tenant, and creating one is the admin's.
          if (principal.kind === 'tenant' && !(await this.directory.get(params.tenantId))) throw new NotFoundError(message('tenant_not_found'));
          const { password, hasPassword: _readOnly, oauth2: oauth2Body, ...rest } = body.mail;
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
        responses: { 200: { description: 'a page of tenants', schema: pageSchema(TenantOut, 'TenantPage') } },
        handle: async ({ query }) => ({
          status: 200,
          body: await paginate(
            query,
            z.object({ after: z.string() }),
            (after, limit) => this.tenants.list(after?.after, limit),
            (stored) => ({ after: stored.id }),
            (stored) => tenantView(effectiveTenant(stored, this.config.hosted, this.config.oauth)),
          ),
        }),
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
        summary: 'Offboard a tenant: removes its data, keys and audit log; every path under it then answers 404',
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
    if (!tenant) throw new NotFoundError(message('tenant_not_found'));
    return tenant;
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
