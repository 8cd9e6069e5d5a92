import type { Knex } from 'knex';
import type { ClaimRequest } from '../../domain/DeliveryQueue';
import { IN_DUE_INDEX, TABLE } from './outboxRows';

/** Due rows one claim looks at. */
const CLAIM_WINDOW = 2_000;

/**
 * The ids a claim takes, oldest due first: at most `limit`, at most each tenant's room. Ranks only
 * the oldest due rows of tenants with room, so that a claim costs the same with a backlog of
 * millions; the dialect leases those still due.
 */
export function claimCandidates(db: Knex, request: ClaimRequest, now: number): Knex.QueryBuilder {
  const busy = [...request.perTenant].filter(([, room]) => room <= 0).map(([tenant]) => tenant);
  // At most perTenantDefault per tenant, so that one tenant's backlog cannot take every slot.
  // A tenant whose lane is full is left out, so the next claim reaches the tenants behind a
  // large backlog.
  const notBusy = (query: Knex.QueryBuilder): void => {
    if (busy.length > 0) query.whereNotIn('tenant_id', busy);
  };
  // Two walks instead of one OR: queued rows come off the (status, next_attempt_at) index in
  // order and stop at the window; rows whose lease expired are few. One OR over both made
  // the database sort the whole backlog on every claim.
  const queued = db(TABLE)
    .select('id', 'tenant_id', 'next_attempt_at')
    .where('status', 'queued')
    .where('next_attempt_at', '<=', now)
    .whereRaw(IN_DUE_INDEX)
    .modify(notBusy)
    .orderBy('next_attempt_at')
    .limit(CLAIM_WINDOW);
  const expired = db(TABLE)
    .select('id', 'tenant_id', 'next_attempt_at')
    .where('status', 'sending')
    .where('lease_until', '<', now)
    .whereRaw(IN_DUE_INDEX)
    .modify(notBusy)
    .limit(CLAIM_WINDOW);
  const oldest = db.unionAll([db.select('*').from(queued.as('queued')), db.select('*').from(expired.as('expired'))]).as('oldest');
  const ranked = db
    .select('id', 'tenant_id', 'next_attempt_at')
    .select(db.raw('row_number() over (partition by tenant_id order by next_attempt_at, id) as rn'))
    .from(oldest)
    .as('ranked');
  return db
    .select('id')
    .from(ranked)
    .where('rn', '<=', roomAsRank(db, request))
    .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
    .limit(request.limit);
}

/**
 * Each tenant's room as the rank it may reach: a tenant's rows are ranked in the order the claim
 * takes them, so `rn <= room` takes its oldest that fit. One branch per distinct room, each naming
 * its tenants: a branch per tenant made the database compare every ranked row with every tenant
 * (docs/performance.md).
 */
function roomAsRank(db: Knex, request: ClaimRequest): number | Knex.Raw {
  const byRoom = new Map<number, string[]>();
  for (const [tenant, room] of request.perTenant) {
    if (room <= 0 || room >= request.perTenantDefault) continue;
    const tenants = byRoom.get(room);
    if (tenants) tenants.push(tenant);
    else byRoom.set(room, [tenant]);
  }
  if (byRoom.size === 0) return request.perTenantDefault;
  const branches = [...byRoom].map(([, tenants]) => `when tenant_id in (${tenants.map(() => '?').join(', ')}) then cast(? as integer)`);
  return db.raw(`case ${branches.join(' ')} else cast(? as integer) end`, [
    ...[...byRoom].flatMap(([room, tenants]) => [...tenants, room]),
    request.perTenantDefault,
  ]);
}
