import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { resolveMailHost, type HostLookup, type ResolvedAddress } from './hostGuard';

export interface GuardedRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  allowPrivate: boolean;
  lookup?: HostLookup;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * An HTTP(S) request whose connection goes only to an address the network guard checked at
 * connect time (the same rule as for mail hosts), the host name kept for TLS. Redirects are not
 * followed, and the answer is read up to 1 MiB.
 */
export async function guardedRequest(options: GuardedRequest): Promise<GuardedResponse> {
  const url = new URL(options.url);
  // An IP literal skips the lookup below: it is checked before anything connects.
  if (isLiteral(url.hostname)) await resolveMailHost(url.hostname, { allowPrivate: options.allowPrivate, lookup: options.lookup });
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolveMailHost(hostname, { allowPrivate: options.allowPrivate, lookup: options.lookup }).then(
      (resolved) => {
        // Node asks for all addresses (happy eyeballs) or for one; either way only the checked one.
        if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, [resolved]);
        else callback(null, resolved.address, resolved.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method,
        headers: { ...options.headers, ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}) },
        lookup: guardedLookup,
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error(`the answer of ${url.host} is larger than 1 MiB`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url.host} did not answer within ${Math.round(options.timeoutMs / 1000)} s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

function isLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}
