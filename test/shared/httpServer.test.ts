import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/shared/http/httpServer';

describe('createHttpServer', () => {
  const app = express();
  app.use(express.json());
  app.post('/echo/:id', (req, res) => {
    res.locals.seen = req.get('x-thing');
    res.status(201).set('X-Id', req.params.id).json({ id: req.params.id, query: req.query.q, body: req.body, header: res.locals.seen });
  });
  app.get('/fail', () => {
    throw new Error('boom');
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ caught: error.message });
  });

  const server = createHttpServer(app);
  const bornWith: Array<{ request: boolean; response: boolean }> = [];
  // Runs before the app's listener: the objects as Node made them, before Express touches them.
  server.prependListener('request', (req, res) => {
    bornWith.push({ request: Object.getPrototypeOf(req) === app.request, response: Object.getPrototypeOf(res) === app.response });
  });
  let base = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("creates every request and response with the app's prototypes, so Express need not set them", async () => {
    bornWith.length = 0;
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${base}/echo/${i}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(201);
    expect(bornWith).toEqual(Array.from({ length: 3 }, () => ({ request: true, response: true })));
  });

  it("keeps Node's and Express's request and response working: params, query, headers, JSON body, status, errors", async () => {
    const response = await fetch(`${base}/echo/t-1?q=zürich`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Thing': 'abc' },
      body: JSON.stringify({ name: 'Anna' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-id')).toBe('t-1');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ id: 't-1', query: 'zürich', body: { name: 'Anna' }, header: 'abc' });

    const failed = await fetch(`${base}/fail`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ caught: 'boom' });
  });
});
