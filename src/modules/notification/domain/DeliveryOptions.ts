/** How hard the dispatcher drives the tenant hosts. */
export interface DeliveryOptions {
  /** Sends in flight in this process, over all tenants. */
  globalConcurrency: number;
  /** Connections per tenant (the size of its connection pool). */
  perTenantConcurrency: number;
  /**
   * Messages in flight per connection to a host that offers PIPELINING: the next message's
   * envelope goes out with the previous message's data. A tenant has at most
   * perTenantConcurrency × pipelineDepth sends in flight.
   */
  pipelineDepth: number;
  /** Sends in flight per host:port, over the tenants that share it (the hosted preset). */
  perHostConcurrency: number;
  /**
   * Connections open to one host:port over all tenants, idle ones included (at least
   * perHostConcurrency). Hosts refuse connections beyond a limit per client (Postfix: 50).
   */
  perHostConnections: number;
  /**
   * Messages one claim may lease per tenant ahead of its sends: one query then feeds many sends.
   * They wait in this process as `sending`; see `maxHeld` and the lease check before each send.
   */
  prefetchPerTenant: number;
  /** Messages leased by this process at most, sending or waiting to be sent. */
  maxHeld: number;
  /** How often to look for mail queued by other instances and for due retries. */
  pollIntervalMs: number;
  /** How long a claim holds a message before another dispatcher may take it over. */
  leaseMs: number;
  /** A message whose sends were cut off this many times without an outcome is set aside as failed. */
  maxInterruptions: number;
  /** How long stop() lets in-flight sends finish before handing their messages back. */
  stopTimeoutMs: number;
  /** How long tenant settings are reused between sends. */
  tenantCacheMs: number;
  /** Delay before each retry after a temporary failure (RETRY_SCHEDULE); the message fails once it is used up. */
  retrySchedule: readonly number[];
  /** Retry delays vary by ± this fraction, so that retries of many messages spread out. */
  retryJitter: number;
  /** SMTP timeouts: a host that never answers frees its slot after these. */
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
  /** How long POST /mail/test waits for the outcome of its mail. */
  testMailWaitMs: number;
  /**
   * With this many notifications waiting for their commit, KOS is waiting on this process: the
   * dispatcher yields the event loop to the API, keeps at most `sendsWhileYielding` sends per
   * tenant in flight and starts at most `sendsPerSecondWhileYielding` in all, until the intake has
   * been calm for `yieldHoldMs`.
   */
  yieldToIntakeAt: number;
  sendsWhileYielding: number;
  sendsPerSecondWhileYielding: number;
  yieldHoldMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  globalConcurrency: 32,
  perTenantConcurrency: 3,
  pipelineDepth: 2,
  perHostConcurrency: 6,
  perHostConnections: 12,
  prefetchPerTenant: 200,
  maxHeld: 1_000,
  pollIntervalMs: 1_000,
  leaseMs: 5 * 60_000,
  maxInterruptions: 3,
  stopTimeoutMs: 7_000,
  tenantCacheMs: 2_000,
  retrySchedule: [1, 5, 15, 60, 180, 360, 720, 1440].map((minutes) => minutes * 60_000),
  retryJitter: 0.2,
  connectionTimeoutMs: 15_000,
  greetingTimeoutMs: 15_000,
  socketTimeoutMs: 60_000,
  testMailWaitMs: 15_000,
  yieldToIntakeAt: 8,
  sendsWhileYielding: 2,
  sendsPerSecondWhileYielding: 500,
  yieldHoldMs: 250,
};
