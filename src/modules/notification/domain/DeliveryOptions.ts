/** How hard the dispatcher drives the tenant hosts. */
export interface DeliveryOptions {
  /** Sends in flight in this process, over all tenants. */
  globalConcurrency: number;
  /** Sends in flight per tenant (also the size of its connection pool). */
  perTenantConcurrency: number;
  /** Sends in flight per host:port, over the tenants that share it (the hosted preset). */
  perHostConcurrency: number;
  /** How often to look for mail queued by other instances and for due retries. */
  pollIntervalMs: number;
  /** How long a claim holds a message before another dispatcher may take it over. */
  leaseMs: number;
  /** How long stop() lets in-flight sends finish before handing their messages back. */
  stopTimeoutMs: number;
  /** How long tenant settings are reused between sends. */
  tenantCacheMs: number;
  /** Retry delays vary by ± this fraction, so that retries of many messages spread out. */
  retryJitter: number;
  /** SMTP timeouts: a host that never answers frees its slot after these. */
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
  /** How long POST /mail/test waits for the outcome of its mail. */
  testMailWaitMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  globalConcurrency: 32,
  perTenantConcurrency: 3,
  perHostConcurrency: 6,
  pollIntervalMs: 1_000,
  leaseMs: 5 * 60_000,
  stopTimeoutMs: 7_000,
  tenantCacheMs: 2_000,
  retryJitter: 0.2,
  connectionTimeoutMs: 15_000,
  greetingTimeoutMs: 15_000,
  socketTimeoutMs: 60_000,
  testMailWaitMs: 15_000,
};
