interface Entry<V> {
  value: Promise<V | undefined>;
  loadedAt: number;
  /** The value once its load has resolved. */
  loaded?: V;
}

/**
 * Values loaded on demand and reused for `ttlMs`. Callers that ask while a load runs share it:
 * when a busy entry expires, one read goes to the database instead of one per waiting request.
 * A failed load and an `undefined` value are not kept.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    return this.current(key)?.value ?? this.reload(key, load);
  }

  /** The value if it is loaded and not expired; never loads. */
  peek(key: K): V | undefined {
    return this.current(key)?.loaded;
  }

  /** The key's entry while it has not expired. */
  private current(key: K): Entry<V> | undefined {
    const entry = this.entries.get(key);
    return entry && Date.now() - entry.loadedAt < this.ttlMs ? entry : undefined;
  }

  /** Loads now, whatever is cached, and keeps the result for the next callers. */
  reload(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry = { loadedAt: Date.now() } as Entry<V>;
    const value: Promise<V | undefined> = load().then(
      (loaded) => {
        if (loaded === undefined) this.forget(key, value);
        else entry.loaded = loaded;
        return loaded;
      },
      (error: unknown) => {
        this.forget(key, value);
        throw error;
      },
    );
    entry.value = value;
    this.entries.set(key, entry);
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops the entry only if it is still this load's: a newer load may have replaced it. */
  private forget(key: K, value: Promise<V | undefined>): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }
}
