import { FAILURE_CLASSES, type HealthState, type MailHealth, type Tenant } from './types.js';

/** One line of the tenants view: the tenant, and its mail health once it has loaded. */
export interface TenantRow {
  tenant: Tenant;
  health?: MailHealth;
}

export type SortKey = 'problems' | 'name' | 'state' | 'lastSuccess' | 'failures' | 'queued' | 'oldest';

/** A queued mail older than this is a problem even when nothing failed yet. */
const STALE_QUEUE_SECONDS = 15 * 60;

export function failureCount(health: MailHealth | undefined): number {
  return health ? FAILURE_CLASSES.reduce((sum, failureClass) => sum + (health.failures24h[failureClass] ?? 0), 0) : 0;
}

export function isParked(row: TenantRow): boolean {
  return (row.health?.state ?? row.tenant.mailStatus.state) === 'parked';
}

/** The state to show: the service's, or parked from the tenant itself while its health loads. */
export function healthState(row: TenantRow): HealthState | undefined {
  if (!row.health) return row.tenant.mailStatus.state === 'parked' ? 'parked' : undefined;
  return row.health.state;
}

/** How bad a tenant's mail looks: 3 parked, 2 failures or a stale queue, 1 mail waiting, 0 fine. */
export function problemLevel(row: TenantRow): number {
  if (isParked(row)) return 3;
  if (healthState(row) === 'warning' || failureCount(row.health) > 0 || (row.health?.oldestQueuedSeconds ?? 0) > STALE_QUEUE_SECONDS) return 2;
  if ((row.health?.queued ?? 0) > 0) return 1;
  return 0;
}

const byName = (a: TenantRow, b: TenantRow): number => a.tenant.name.localeCompare(b.tenant.name) || a.tenant.id.localeCompare(b.tenant.id);

const VALUE: Record<Exclude<SortKey, 'name'>, (row: TenantRow) => number> = {
  problems: problemLevel,
  state: (row) => (isParked(row) ? 1 : 0),
  lastSuccess: (row) => (row.health?.lastSuccessAt ? Date.parse(row.health.lastSuccessAt) : -Infinity),
  failures: (row) => failureCount(row.health),
  queued: (row) => row.health?.queued ?? -1,
  oldest: (row) => row.health?.oldestQueuedSeconds ?? -1,
};

/**
 * The rows in view order. `problems` (the default) puts the worst first; every key breaks ties
 * by name so that the order is stable while health trickles in.
 */
export function sortRows(rows: readonly TenantRow[], key: SortKey, descending: boolean): TenantRow[] {
  const direction = descending ? -1 : 1;
  if (key === 'name') return [...rows].sort((a, b) => direction * byName(a, b));
  const value = VALUE[key];
  return [...rows].sort((a, b) => direction * (value(a) - value(b)) || byName(a, b));
}

/** The sort a column header starts with: numbers and problems high to low, names A to Z. */
export function defaultDescending(key: SortKey): boolean {
  return key !== 'name';
}
