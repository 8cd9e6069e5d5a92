import type { ServiceIdentifier } from 'inversify';
import type { HostLookup } from '../../shared/net/hostGuard';
import type { AuditLog } from './domain/AuditLog';
import type { CredentialsCipher } from './domain/CredentialsCipher';
import type { MailHostDirectory } from './domain/MailHostDirectory';
import type { MailHostProbe } from './domain/MailHostProbe';
import type { AccessTokens } from './domain/oauth/AccessTokens';
import type { TenantDirectory } from './domain/TenantDirectory';
import type { MailSettingsObserver, TenantDataOwner } from './domain/TenantLifecycle';
import type { TenantRepository } from './domain/TenantRepository';

export const TENANT_DIRECTORY: ServiceIdentifier<TenantDirectory> = Symbol.for('tenant.TenantDirectory');
export const MAIL_HOST_DIRECTORY: ServiceIdentifier<MailHostDirectory> = Symbol.for('tenant.MailHostDirectory');
/** Multi-bound by the modules that react to changed mail settings. */
export const MAIL_SETTINGS_OBSERVERS: ServiceIdentifier<MailSettingsObserver> = Symbol.for('tenant.MailSettingsObservers');
/** Multi-bound by every module that stores data per tenant. */
export const TENANT_DATA_OWNERS: ServiceIdentifier<TenantDataOwner> = Symbol.for('tenant.TenantDataOwners');
/** The tenant audit log; other modules record their tenant events here (e.g. a test mail sent). */
export const AUDIT_LOG: ServiceIdentifier<AuditLog> = Symbol.for('tenant.AuditLog');
/**
 * DNS resolution used by the network guard before every connect to a tenant's host; tests rebind
 * it to a stub resolver. Everyone connecting to a tenant host should resolve through it.
 */
export const HOST_LOOKUP: ServiceIdentifier<HostLookup> = Symbol.for('tenant.HostLookup');
export const TENANT_REPOSITORY: ServiceIdentifier<TenantRepository> = Symbol.for('tenant.TenantRepository');
export const CREDENTIALS_CIPHER: ServiceIdentifier<CredentialsCipher> = Symbol.for('tenant.CredentialsCipher');
export const MAIL_HOST_PROBE: ServiceIdentifier<MailHostProbe> = Symbol.for('tenant.MailHostProbe');
/** The OAuth 2.0 tokens of microsoft365 and google-workspace tenants; shared by delivery and the probe. */
export const ACCESS_TOKENS: ServiceIdentifier<AccessTokens> = Symbol.for('tenant.AccessTokens');
