import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { webhookHeaders } from '../../../src/modules/webhooks/domain/signWebhook';
import { decodeWebhookSecret } from '../../../src/shared/config/Config';

describe('Standard Webhooks signatures', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const key = decodeWebhookSecret(secret)!;

  it('signs so that the reference implementation verifies the body, and refuses any change to id, timestamp or body', () => {
    const body = JSON.stringify({
      type: 'notification.sent',
      timestamp: new Date().toISOString(),
      data: { id: 'msg_1', tenantId: 'kunde', subject: 'Grüezi' },
    });
    const now = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(key, 'evt_1', now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': String(now + 1) })).toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(body, headers)).toThrow();
  });

  it('reads only whsec_ secrets with a key of 16 to 64 bytes', () => {
    expect(decodeWebhookSecret(secret)).toEqual(key);
    expect(decodeWebhookSecret(randomBytes(32).toString('base64'))).toBeUndefined();
    expect(decodeWebhookSecret(`whsec_${randomBytes(8).toString('base64')}`)).toBeUndefined();
    expect(decodeWebhookSecret('whsec_not base64!')).toBeUndefined();
  });
});
