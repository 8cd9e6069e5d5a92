import type { ServiceIdentifier } from 'inversify';
import type { Knex } from 'knex';
import type { Registry } from 'prom-client';
import type { Config } from './config/Config';
import type { Logger } from './logging/logger';
import type { Clock } from './time/Clock';
import type { BackgroundService } from './lifecycle/BackgroundService';
import type { RouteSource } from './http/Route';
import type { ApiKeyStore } from './auth/ApiKeyStore';
import type { CredentialsKeyring } from './crypto/CredentialsKeyring';
import type { StorageSpace } from './database/StorageSpace';

export const CONFIG: ServiceIdentifier<Config> = Symbol.for('shared.Config');
export const DATABASE: ServiceIdentifier<Knex> = Symbol.for('shared.Database');
/** Where the API's group commit stores new mail: DATABASE itself on PostgreSQL, its own connection on SQLite. */
export const INTAKE_DATABASE: ServiceIdentifier<Knex> = Symbol.for('shared.IntakeDatabase');
/** Long reads that must not wait behind writes (see createReadDatabase). */
export const READ_DATABASE: ServiceIdentifier<Knex> = Symbol.for('shared.ReadDatabase');
/** Whether writes fail for lack of space (watches DATABASE and INTAKE_DATABASE). */
export const STORAGE_SPACE: ServiceIdentifier<StorageSpace> = Symbol.for('shared.StorageSpace');
export const LOGGER: ServiceIdentifier<Logger> = Symbol.for('shared.Logger');
export const CLOCK: ServiceIdentifier<Clock> = Symbol.for('shared.Clock');
export const METRICS: ServiceIdentifier<Registry> = Symbol.for('shared.Metrics');
export const API_KEY_STORE: ServiceIdentifier<ApiKeyStore> = Symbol.for('shared.ApiKeyStore');
export const CREDENTIALS_KEYRING: ServiceIdentifier<CredentialsKeyring> = Symbol.for('shared.CredentialsKeyring');
/** Multi-bound: every module binds its route source here. */
export const HTTP_ROUTES: ServiceIdentifier<RouteSource> = Symbol.for('shared.HttpRoutes');
/** Multi-bound: objects whose gauges read the database at scrape time; resolved with the app so that they are registered. */
export const METRIC_SOURCES: ServiceIdentifier<object> = Symbol.for('shared.MetricSources');
/** Multi-bound: every module binds the background work it runs here. */
export const BACKGROUND_SERVICES: ServiceIdentifier<BackgroundService> = Symbol.for('shared.BackgroundServices');
