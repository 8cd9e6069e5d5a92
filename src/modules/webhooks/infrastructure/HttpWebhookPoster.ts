import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import { HOST_LOOKUP } from '../../tenant/tokens';
import type { PostOutcome, WebhookPoster } from '../domain/WebhookPoster';
import { WEBHOOK_OPTIONS, type WebhookOptions } from '../tokens';

/** What is read of a receiver's answer: its status matters, its body does not. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs over node:http(s), to the address the network guard checked (the name kept for TLS and
 * Host), so that a receiver's DNS cannot lead the service to a private address; the whole
 * exchange is bounded by the timeout.
 */
@injectable()
export class HttpWebhookPoster implements WebhookPoster {
  constructor(
    @inject(CONFIG) private readonly config: Pick<Config, 'smtpAllowPrivateHosts'>,
    @inject(HOST_LOOKUP) private readonly lookup: HostLookup,
    @inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {}

  /** The whole exchange, the receiver's name resolved included, ends within timeoutMs: the event's lease counts on it. */
  async post(url: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    try {
      return await this.exchange(new URL(url), headers, body, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async exchange(target: URL, headers: Record<string, string>, body: string, deadline: AbortSignal): Promise<PostOutcome> {
    const timedOut: PostOutcome = { ok: false, error: `no answer within ${Math.round(this.options.timeoutMs / 1000)} s` };
    let address: { address: string; family: 4 | 6 };
    try {
      const expired = new Promise<never>((_, reject) => deadline.addEventListener('abort', () => reject(deadline.reason), { once: true }));
      address = await Promise.race([resolveMailHost(target.hostname, { allowPrivate: this.config.smtpAllowPrivateHosts, lookup: this.lookup }), expired]);
    } catch (error) {
      if (deadline.aborted) return timedOut;
      return { ok: false, error: (error as Error).message.replace('the mail host', 'the webhook host') };
    }
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as (err: null, addresses: Array<{ address: string; family: number }>) => void)(null, [address]);
      else callback(null, address.address, address.family);
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<PostOutcome>((resolve) => {
      const req = send(
        target,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: pinned, signal: deadline },
        (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) res.destroy();
          });
          const done = (): void => {
            const status = res.statusCode ?? 0;
            resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, error: `the receiver answered HTTP ${status}` });
          };
          res.on('end', done);
          res.on('close', done);
        },
      );
      req.on('error', (error) =>
        resolve(deadline.aborted ? timedOut : { ok: false, error: `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${error.message}` }),
      );
      req.end(body);
    });
  }
}
