import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWebhookPoster } from '../../../src/modules/webhooks/infrastructure/HttpWebhookPoster';
import { DEFAULT_WEBHOOK_OPTIONS } from '../../../src/modules/webhooks/tokens';
import { WebhookReceiver } from '../../support/WebhookReceiver';

const options = { ...DEFAULT_WEBHOOK_OPTIONS, timeoutMs: 300 };

describe('HttpWebhookPoster', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => receiver?.close());

  it('ends a POST whose receiver name never resolves within the timeout (the lease of the event counts on it)', async () => {
    const neverResolves = () => new Promise<never>(() => {});
    const poster = new HttpWebhookPoster({ smtpAllowPrivateHosts: true }, neverResolves, options);
    const started = performance.now();
    expect(await poster.post('http://kos.example.ch/hooks', {}, '{}')).toEqual({ ok: false, error: 'no answer within 0 s' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('ends a POST the receiver never answers within the timeout, and takes a 2xx as delivered', async () => {
    const poster = new HttpWebhookPoster({ smtpAllowPrivateHosts: true }, async () => [{ address: '127.0.0.1', family: 4 }], options);
    receiver.respond = () => 'hang';
    expect(await poster.post(receiver.url, {}, '{}')).toEqual({ ok: false, error: 'no answer within 0 s' });
    receiver.respond = () => 204;
    expect(await poster.post(receiver.url, {}, '{}')).toEqual({ ok: true, status: 204 });
    receiver.respond = () => 500;
    expect(await poster.post(receiver.url, {}, '{}')).toEqual({ ok: false, error: 'the receiver answered HTTP 500' });
  });
});
