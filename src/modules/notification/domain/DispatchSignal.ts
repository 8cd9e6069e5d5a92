/**
 * What woke the dispatcher: new mail for these tenants, or `any` (a retry fell due, settings
 * changed, a send finished, the poll interval passed) when a claim may find anything.
 */
export type DispatchNews = ReadonlySet<string> | 'any';

/** Wakes the dispatcher of this process at once when mail is queued. */
export interface DispatchSignal {
  /** With tenant ids: mail was queued for them. Without: anything worth a claim. */
  notify(tenantIds?: Iterable<string>): void;
  /** Resolves with the news since the last wait at the next notify(), or with `any` after `timeoutMs`. */
  wait(timeoutMs: number): Promise<DispatchNews>;
}
