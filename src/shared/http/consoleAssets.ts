import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Response, type Router } from 'express';
import { NotFoundError } from '../errors';
import { message } from '../messages/message';

/**
 * The console's policy: scripts and styles only from the service itself, no plugins, no forms
 * posting elsewhere, never framed. Style attributes are allowed because the digest preview (a
 * sandboxed srcdoc frame, which inherits this policy) is mail HTML with inline styles; attributes
 * cannot run script, and `<style>` elements stay refused.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `npm run build` puts the console: beside the compiled server, or under dist when run from source (tests). */
export function defaultConsoleDir(): string | undefined {
  const candidates = [join(__dirname, '..', '..', '..', 'console'), join(__dirname, '..', '..', '..', 'dist', 'console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * Serves the built console below `/console`. Files are small and not content-hashed, so every
 * response is `no-cache`: browsers keep them and revalidate with ETag / Last-Modified (a 304).
 */
export function consoleAssets(dir: string | undefined): Router {
  const router = express.Router({ strict: false });
  router.use((_req, res, next) => {
    securityHeaders(res);
    next();
  });
  if (!dir) {
    router.use(() => {
      throw new NotFoundError(message('console_not_built'));
    });
    return router;
  }
  const options = { cacheControl: false, etag: true, lastModified: true, index: false, dotfiles: 'deny' as const, redirect: false };
  const sendIndex = (_req: express.Request, res: Response): void => {
    res.sendFile('index.html', { ...options, root: dir });
  };
  router.get('/', sendIndex);
  router.get('/index.html', sendIndex);
  router.use(
    express.static(dir, {
      ...options,
      fallthrough: true,
      setHeaders: (res) => securityHeaders(res),
    }),
  );
  return router;
}

function securityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': CONSOLE_CSP,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
}
