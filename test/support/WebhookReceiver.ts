import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (0: it never answered). */
  answered: number;
}

/** What the receiver does with the n-th request (0-based): answer a status, or hang without answering. */
export type ReceiverAction = number | 'hang';

/** A local HTTP endpoint that records every webhook POST and answers as scripted (200 by default). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respond: (index: number, webhook: ReceivedWebhook) => ReceiverAction = () => 200;
  private readonly hanging = new Set<() => void>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    let self!: WebhookReceiver;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const webhook: ReceivedWebhook = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: 0 };
        const index = self.received.push(webhook) - 1;
        const action = self.respond(index, webhook);
        if (action === 'hang') {
          const end = () => res.destroy();
          self.hanging.add(end);
          return;
        }
        webhook.answered = action;
        res.writeHead(action).end();
      });
    });
    self = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/kos/webhooks`;
  }

  /** The parsed bodies of the requests of one event type. */
  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => JSON.parse(webhook.body).type === type);
  }

  async close(): Promise<void> {
    for (const end of this.hanging) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
