import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isOutOfSpace } from './databaseErrors';

/** Probes at most this often while writes fail for lack of space. */
const PROBE_EVERY_MS = 1_000;
/** Larger than a page, so that the probe needs room a queued mail would need too. */
const PROBE_FILLER = 'x'.repeat(8_192);

/**
 * Whether the database can take writes. A statement that fails for lack of space (SQLITE_FULL,
 * PostgreSQL's 53100) on any watched connection marks the storage full; from then on `writable()`
 * writes a probe row, commits and removes it, and the storage counts as writable again once that
 * succeeds. Nothing is probed while no write has failed.
 */
export class StorageSpace {
  private fullSince: number | undefined;
  private probing: Promise<boolean> | undefined;
  private probedAt = 0;

  constructor(
    private readonly db: Knex,
    private readonly now: () => number = Date.now,
  ) {
    this.watch(db);
  }

  /** Marks the storage full when a statement on this connection fails for lack of space. */
  watch(db: Knex): void {
    db.on('query-error', (error: unknown) => {
      if (isOutOfSpace(error)) this.fullSince ??= this.now();
    });
  }

  /** When the last failed write for lack of space was seen, while no probe has succeeded since. */
  get full(): Date | undefined {
    return this.fullSince === undefined ? undefined : new Date(this.fullSince);
  }

  async writable(): Promise<boolean> {
    if (this.fullSince === undefined) return true;
    if (this.probing) return this.probing;
    if (this.now() - this.probedAt < PROBE_EVERY_MS) return false;
    this.probedAt = this.now();
    this.probing = this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probe(): Promise<boolean> {
    const id = randomUUID();
    try {
      await this.db.transaction(async (trx) => {
        await trx('storage_probe').insert({ id, filler: PROBE_FILLER });
        await trx('storage_probe').where({ id }).delete();
      });
      this.fullSince = undefined;
      return true;
    } catch {
      return false;
    }
  }
}
