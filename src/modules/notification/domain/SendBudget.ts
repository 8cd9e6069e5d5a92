import type { SmtpEndpoint } from '../../tenant/domain/MailHostDirectory';

/** The one key of the operator's hosted mailbox, shared by every hosted tenant. */
export const HOSTED_KEY = 'hosted';

/** A throttle: at most `perMinute` sends under `key` in any 60 s, counted over all instances together. */
export interface SendLimit {
  /** `tenant:<id>` for a tenant's `maxPerMinute`; `hosted` for the operator's one hosted mailbox. */
  key: string;
  perMinute: number;
}

/** The throttles a send to this endpoint counts against: its tenant's `maxPerMinute`, and the hosted mailbox's. */
export function sendLimitsOf(endpoint: Pick<SmtpEndpoint, 'tenantId' | 'maxPerMinute' | 'hostedMaxPerMinute'>): SendLimit[] {
  return [
    ...(endpoint.maxPerMinute ? [{ key: `tenant:${endpoint.tenantId}`, perMinute: endpoint.maxPerMinute }] : []),
    ...(endpoint.hostedMaxPerMinute ? [{ key: HOSTED_KEY, perMinute: endpoint.hostedMaxPerMinute }] : []),
  ];
}

export interface SendGrant {
  /** Sends that may start now: from 0 to the number asked for. */
  granted: number;
  /** Set when fewer were granted than asked for: when the window has room for the next send. */
  retryAt?: Date;
}

/** The sends granted under the throttles, shared by every instance of the service. */
export interface SendBudget {
  /**
   * Grants up to `wanted` sends at `at` under all of `limits` at once, so that no key gets more
   * than its `perMinute` grants in any 60 s; a grant is counted whether or not the send happens.
   */
  take(limits: readonly SendLimit[], wanted: number, at: Date): Promise<SendGrant>;
}
