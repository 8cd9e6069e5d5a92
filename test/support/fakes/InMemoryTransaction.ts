/** A transaction of the in-memory stores: its writes become visible together at commit, and are dropped when the work throws. */
export class InMemoryTransaction {
  private readonly writes: Array<() => void> = [];

  /** Runs `work` in a new transaction; commits when it resolves, rolls back when it throws. */
  static async run<T>(work: (transaction: InMemoryTransaction) => Promise<T>): Promise<T> {
    const transaction = new InMemoryTransaction();
    const result = await work(transaction);
    for (const apply of transaction.writes) apply();
    return result;
  }

  /** Defers a write to the commit. */
  write(apply: () => void): void {
    this.writes.push(apply);
  }
}
