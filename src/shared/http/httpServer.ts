import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http';
import type { Express } from 'express';
import { CONNECTIONS_CHECKING_INTERVAL_MS } from './connectionLimits';

type Initializer = (this: object, ...args: unknown[]) => void;

/**
 * An HTTP server for the app whose requests and responses are created with the app's prototypes.
 *
 * Express gives every request and response its prototype in `app.handle`
 * (`Object.setPrototypeOf(req, app.request)`). V8 answers that with new hidden classes that keep
 * each request's objects alive past the request: under 64 connections ≈ 27 MB/s went to the old
 * generation, every scavenge copied ≈ 2.2 MB and a mark-compact followed every 2 s. Created with
 * those prototypes, that call finds them in place and changes nothing (docs/performance.md;
 * expressjs/express#5998).
 */
export function createHttpServer(app: Express): Server {
  // Node's IncomingMessage and ServerResponse are constructor functions that fill `this` in place,
  // so `new AppRequest` gets the prototype below and Node's fields. Reflect.construct with a
  // new.target gives the same objects, but V8 builds them on a slow path: 15 % less throughput.
  const initRequest = IncomingMessage as unknown as Initializer;
  const initResponse = ServerResponse as unknown as Initializer;
  function AppRequest(this: object, ...args: unknown[]): void {
    initRequest.apply(this, args);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: object, ...args: unknown[]): void {
    initResponse.apply(this, args);
  }
  AppResponse.prototype = app.response;
  return createServer(
    {
      IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
      ServerResponse: AppResponse as unknown as typeof ServerResponse,
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
    },
    app,
  );
}
