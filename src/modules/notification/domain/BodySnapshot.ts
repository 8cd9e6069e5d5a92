/**
 * A body stored as the data it is rendered from, and rendered when the mail is sent: a digest keeps
 * its lines as of its run (so a resent digest is the same mail) without the run writing its text
 * and HTML.
 */
export interface BodySnapshot {
  /** The name of the BodyTemplate that renders it. */
  template: string;
  data: unknown;
}

export interface RenderedBody {
  text: string;
  html?: string;
}

/** Renders the snapshots of one kind of mail; the module that queues that mail provides it. */
export interface BodyTemplate {
  readonly name: string;
  render(data: unknown): RenderedBody;
}
