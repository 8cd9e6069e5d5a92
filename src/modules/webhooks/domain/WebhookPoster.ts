/** The answer of one POST, or why there was none. */
export type PostOutcome = { ok: true; status: number } | { ok: false; error: string };

/** Sends one event to the receiver. */
export interface WebhookPoster {
  post(url: string, headers: Record<string, string>, body: string): Promise<PostOutcome>;
}
