import type { DeliveryOptions } from '../../domain/DeliveryOptions';

export type PacerOptions = Pick<
  DeliveryOptions,
  'yieldToIntakeAt' | 'yieldHoldMs' | 'sendsPerSecondWhileYielding' | 'sendsWhileYielding' | 'perTenantConcurrency' | 'pipelineDepth'
>;

/**
 * Whether delivery yields to the API, and how many sends may start while it does: a token bucket
 * of `sendsPerSecondWhileYielding`, holding at most a tenth of a second's worth. Pure: the caller
 * passes the time and the intake's load.
 */
export class Pacer {
  /** Until when delivery yields to the API. */
  private yieldingUntil = 0;
  private tokens = 0;
  private pacedAt = 0;

  constructor(private readonly options: PacerOptions) {}

  /**
   * Whether delivery yields to the API. While KOS waits on the API for many commits at once, the
   * API has the event loop: each send costs it time the intake needs (one main thread runs both),
   * and a 202 matters now while a mail may go out seconds later. Delivery goes on at a few sends
   * per tenant and a paced rate, and takes up its full pace once the intake has been calm for
   * `yieldHoldMs` (right after a commit few notifications wait, until the next requests arrive).
   */
  yields(now: number, storing: number): boolean {
    if (storing >= this.options.yieldToIntakeAt) this.yieldingUntil = now + this.options.yieldHoldMs;
    return now < this.yieldingUntil;
  }

  /**
   * Sends in flight per tenant: its connections, each with its pipeline; fewer while yielding.
   * Per tenant, not in all: a host that hangs holds only its own tenant's few sends and never
   * another tenant's turn.
   */
  sendsPerTenant(yielding: boolean): number {
    const full = this.options.perTenantConcurrency * this.options.pipelineDepth;
    return yielding ? Math.min(this.options.sendsWhileYielding, full) : full;
  }

  /**
   * Sends that may start now while yielding. Fewer sends in flight alone did not bound delivery's
   * share: the faster the event loop turned, the faster those few sends went, and their claims and
   * outcomes held SQLite's write lock the intake's commits waited for (docs/performance.md).
   */
  budget(now: number): number {
    const rate = this.options.sendsPerSecondWhileYielding;
    this.tokens = Math.min(rate / 10, this.tokens + ((now - this.pacedAt) * rate) / 1000);
    this.pacedAt = now;
    return this.tokens;
  }

  /** What is left of the budget after the sends just started. */
  spent(left: number): void {
    this.tokens = left;
  }
}
