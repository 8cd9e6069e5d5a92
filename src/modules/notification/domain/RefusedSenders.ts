/** An author a tenant's host refused as sender. */
export interface RefusedSender {
  tenantId: string;
  /** Lower case. */
  address: string;
  refusedAt: Date;
  /** The host's (redacted) reply. */
  reply: string;
}

/** Authors refused as sender, per tenant, kept across instances and restarts. */
export interface RefusedSenders {
  /** Records (or renews) a refusal of `address` for the tenant. */
  record(refusal: RefusedSender): Promise<void>;
  /** Refusals at or after `since`, of every tenant (the list stays small: one row per refused author). */
  since(since: Date): Promise<RefusedSender[]>;
  /** The tenant's refusals at or after `since`, newest first. */
  ofTenant(tenantId: string, since: Date): Promise<RefusedSender[]>;
}
