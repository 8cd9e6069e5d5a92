/** Wakes the dispatcher of this process at once when mail is queued. */
export interface DispatchSignal {
  notify(): void;
  /** Resolves at the next notify() or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number): Promise<void>;
}
