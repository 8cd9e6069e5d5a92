import { gzipSync } from 'node:zlib';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainJsonBody } from '../../src/shared/http/plainJsonBody';
import { problemMiddleware } from '../../src/shared/http/problem';
import { createLogger } from '../../src/shared/logging/logger';

const LIMIT = 64;

/** An app that echoes the parsed body, with the given parsers in front and the service's error answers. */
function echo(...parsers: express.RequestHandler[]): express.Express {
  const app = express();
  app.use(...parsers);
  app.post('/', (req, res) => {
    res.json({ body: req.body === undefined ? 'unread' : req.body });
  });
  app.use(problemMiddleware(createLogger('silent')));
  return app;
}

const expressJson = express.json({ limit: LIMIT, strict: true, type: ['application/json', 'application/*+json'] });
const apps = { service: echo(plainJsonBody(LIMIT), expressJson), bodyParserAlone: echo(expressJson), readerAlone: echo(plainJsonBody(LIMIT)) };
type AppName = keyof typeof apps;
const servers = new Map<AppName, Server>();

interface Case {
  name: string;
  type?: string;
  body: Buffer;
  encoding?: string;
}

const json = (text: string): Buffer => Buffer.from(text, 'utf8');
/** Requests the reader takes itself: application/json in UTF-8 with a length within the limit, uncompressed. */
const plain: Case[] = [
  { name: 'an object', type: 'application/json', body: json('{"name":"Grüezi \\u00e4","n":[1,2]}') },
  { name: 'an array', type: 'application/json', body: json(' [1, {"a": null}]') },
  { name: 'a UTF-8 charset, spelt any way', type: 'Application/JSON; Charset="UTF-8"', body: json('{"a":1}') },
  { name: 'a leading byte order mark', type: 'application/json', body: json('\uFEFF{"a":"b"}') },
  { name: 'an empty body', type: 'application/json', body: Buffer.alloc(0) },
  { name: 'invalid UTF-8 inside a string', type: 'application/json', body: Buffer.concat([json('{"a":"'), Buffer.from([0xc3, 0x28]), json('"}')]) },
  { name: 'malformed JSON', type: 'application/json', body: json('{"name": ') },
  { name: 'whitespace only', type: 'application/json', body: json('  \n') },
  { name: 'a string, which strict JSON bodies refuse', type: 'application/json', body: json('"text"') },
  { name: 'a number', type: 'application/json', body: json('42') },
];
/** Requests left to express.json. */
const others: Case[] = [
  { name: 'a body over the limit', type: 'application/json', body: json(`{"a":"${'x'.repeat(LIMIT)}"}`) },
  { name: 'another charset', type: 'application/json; charset=latin1', body: json('{"a":1}') },
  { name: 'a gzipped body', type: 'application/json', body: gzipSync(json('{"a":"gz"}')), encoding: 'gzip' },
  { name: 'a JSON suffix type', type: 'application/merge-patch+json', body: json('{"a":1}') },
  { name: 'no JSON type', type: 'text/plain', body: json('{"a":1}') },
];

/** The request as raw bytes with their Content-Length (supertest would serialise a Buffer as JSON). */
async function send(app: AppName, { type, body, encoding }: Case): Promise<{ status: number; body: unknown }> {
  const { port } = servers.get(app)!.address() as AddressInfo;
  const headers: Record<string, string> = {};
  if (type) headers['Content-Type'] = type;
  if (encoding) headers['Content-Encoding'] = encoding;
  const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}

describe('the plain JSON body reader', () => {
  beforeAll(async () => {
    for (const [name, app] of Object.entries(apps) as Array<[AppName, express.Express]>) {
      servers.set(
        name,
        await new Promise<Server>((resolve) => {
          const server = app.listen(0, '127.0.0.1', () => resolve(server));
        }),
      );
    }
  });
  afterAll(async () => {
    for (const server of servers.values()) await new Promise((resolve) => server.close(resolve));
  });

  it.each([...plain, ...others])('answers $name as body-parser alone does', async (example) => {
    expect(await send('service', example)).toEqual(await send('bodyParserAlone', example));
  });

  it.each(plain)('reads $name itself', async (example) => {
    expect(await send('readerAlone', example)).toEqual(await send('bodyParserAlone', example));
  });

  it.each(others)('leaves $name to the next parser', async (example) => {
    expect(await send('readerAlone', example)).toEqual({ status: 200, body: { body: 'unread' } });
  });

  it('names the body when it is not JSON', async () => {
    const response = await send('readerAlone', { name: 'malformed', type: 'application/json', body: json('{"a":') });
    expect(response).toEqual({ status: 400, body: expect.objectContaining({ errors: [expect.objectContaining({ path: 'body', code: 'malformed_json' })] }) });
  });
});
