import type { ServiceIdentifier } from 'inversify';
import type { AlertMetrics } from './domain/AlertMetrics';
import type { AlertRunStore } from './domain/AlertRunStore';
import type { DeadlineRepository } from './domain/DeadlineRepository';
import type { DigestLog } from './domain/DigestLog';

export const DEADLINE_REPOSITORY: ServiceIdentifier<DeadlineRepository> = Symbol.for('alerting.DeadlineRepository');
export const DIGEST_LOG: ServiceIdentifier<DigestLog> = Symbol.for('alerting.DigestLog');
export const ALERT_RUN_STORE: ServiceIdentifier<AlertRunStore> = Symbol.for('alerting.AlertRunStore');
export const ALERT_METRICS: ServiceIdentifier<AlertMetrics> = Symbol.for('alerting.AlertMetrics');
