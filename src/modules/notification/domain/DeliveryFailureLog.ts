import type { FailureVerdict } from './classifyFailure';

export type FailureCategory = FailureVerdict['category'];
export const FAILURE_CATEGORIES: readonly FailureCategory[] = ['auth', 'sender', 'tls', 'connection', 'rejected', 'other'];

export interface FailureSummary {
  /** Failed tries since the given time, by class (every class present, 0 when none). */
  counts: Record<FailureCategory, number>;
  /** The latest failed try still on record, if any. */
  lastFailureAt?: Date;
}

/** Every failed delivery try with its class, kept for a bounded time (the mail health view). */
export interface DeliveryFailureLog {
  /** Records one failed try; older records beyond the retention are dropped along the way. */
  record(tenantId: string, category: FailureCategory, at: Date): Promise<void>;
  /** The tenant's failed tries since `since`, by class. */
  summary(tenantId: string, since: Date): Promise<FailureSummary>;
}
