import type { ServiceIdentifier } from 'inversify';
import type { MailHostDirectory } from './domain/MailHostDirectory';
import type { TenantDirectory } from './domain/TenantDirectory';
import type { MailSettingsObserver, TenantDataOwner } from './domain/TenantLifecycle';

export const TENANT_DIRECTORY: ServiceIdentifier<TenantDirectory> = Symbol.for('tenant.TenantDirectory');
export const MAIL_HOST_DIRECTORY: ServiceIdentifier<MailHostDirectory> = Symbol.for('tenant.MailHostDirectory');
/** Multi-bound by the modules that react to changed mail settings. */
export const MAIL_SETTINGS_OBSERVERS: ServiceIdentifier<MailSettingsObserver> = Symbol.for('tenant.MailSettingsObservers');
/** Multi-bound by every module that stores data per tenant. */
export const TENANT_DATA_OWNERS: ServiceIdentifier<TenantDataOwner> = Symbol.for('tenant.TenantDataOwners');
