import type { RequestHandler } from 'express';

/** `application/json`, with at most a UTF-8 charset: what every client of this API sends. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const LENGTH = /^\d{1,10}$/;
/** JSON's whitespace, then the first character of the body (body-parser's strict test). */
const FIRST_CHARACTER = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

/**
 * Reads the common JSON body itself — `application/json` in UTF-8, a Content-Length within
 * `limitBytes`, no Content-Encoding — and leaves every other request to `express.json` after it,
 * which passes a finished body by: body-parser's decoding and header checks cost the intake more
 * than the parse (docs/performance.md). The answers stay body-parser's: an empty body is `{}`, a
 * BOM is dropped, only an object or array is accepted, else `entity.parse.failed` (a 400).
 */
export function plainJsonBody(limitBytes: number): RequestHandler {
  return (req, _res, next) => {
    const { headers } = req;
    const length = headers['content-length'];
    const type = headers['content-type'];
    if (
      length === undefined ||
      type === undefined ||
      headers['content-encoding'] !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      !LENGTH.test(length) ||
      Number(length) > limitBytes ||
      !PLAIN_JSON.test(type)
    ) {
      return next();
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', finish);
      req.removeListener('aborted', onAborted);
      next(error);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = (): void => {
      try {
        req.body = parse(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, received).toString('utf8'));
        finish();
      } catch (error) {
        finish(error);
      }
    };
    const onAborted = (): void => finish(Object.assign(new Error('request aborted'), { status: 400, statusCode: 400, expose: true, type: 'request.aborted' }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', finish);
    req.on('aborted', onAborted);
  };
}

function parse(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  const first = FIRST_CHARACTER.exec(body)?.[1];
  if (first !== undefined && first !== '{' && first !== '[') throw parseFailed(new SyntaxError(`Unexpected token ${first} in JSON at position 0`));
  try {
    return JSON.parse(body);
  } catch (error) {
    throw parseFailed(error as Error);
  }
}

/** The error body-parser gives for a body that is not JSON; the problem middleware answers it with a 400 naming the body. */
function parseFailed(error: Error): Error {
  return Object.assign(error, { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' });
}
