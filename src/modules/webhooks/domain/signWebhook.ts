import { createHmac } from 'node:crypto';

/** Standard Webhooks: `v1,` + base64 of HMAC-SHA256 over `<id>.<timestamp>.<body>`, keyed with the secret's bytes. */
export function signWebhook(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The headers of one POST of an event. */
export function webhookHeaders(key: Buffer, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(key, id, timestamp, body),
  };
}
