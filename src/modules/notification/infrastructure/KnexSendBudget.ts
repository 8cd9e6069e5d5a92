import { inject, injectable } from 'inversify';
import type { Knex } from 'knex';
import { DATABASE } from '../../../shared/tokens';
import type { SendBudget, SendGrant, SendLimit } from '../domain/SendBudget';
import { grantWithin, SEND_WINDOW_MS, type GrantEntry } from '../domain/sendWindow';

/**
 * Grants counted in the database, so that every instance draws on one window per key. A grant
 * first locks its keys' rows in `send_throttles` (an upsert, in key order, so two grants never
 * wait on each other crosswise); grants for a key thus take turns on PostgreSQL, and SQLite
 * runs one write transaction at a time anyway.
 */
@injectable()
export class KnexSendBudget implements SendBudget {
  constructor(@inject(DATABASE) private readonly db: Knex) {}

  async take(limits: readonly SendLimit[], wanted: number, at: Date): Promise<SendGrant> {
    if (limits.length === 0 || wanted <= 0) return { granted: Math.max(0, wanted) };
    const now = at.getTime();
    const keys = [...new Set(limits.map((limit) => limit.key))].sort();
    return this.db.transaction(async (trx) => {
      for (const key of keys) await trx('send_throttles').insert({ key, touched_at: now }).onConflict('key').merge();
      await trx('send_grants')
        .whereIn('key', keys)
        .where('granted_at', '<=', now - SEND_WINDOW_MS)
        .delete();
      const rows: Array<{ key: string; granted_at: number | string; count: number | string }> = await trx('send_grants')
        .whereIn('key', keys)
        .select('key', 'granted_at', 'count')
        .orderBy('granted_at');
      const recent = new Map<string, GrantEntry[]>();
      for (const row of rows) recent.set(row.key, [...(recent.get(row.key) ?? []), { at: Number(row.granted_at), count: Number(row.count) }]);
      const grant = grantWithin(limits, recent, wanted, now);
      if (grant.granted > 0) {
        await trx('send_grants')
          .insert(keys.map((key) => ({ key, granted_at: now, count: grant.granted })))
          .onConflict(['key', 'granted_at'])
          .merge({ count: trx.raw('?? + ??', ['send_grants.count', 'excluded.count']) });
      }
      return grant;
    });
  }
}
