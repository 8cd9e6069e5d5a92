import { dirname, join } from 'node:path';
import express, { type Response, type Router } from 'express';

/**
 * The reference's policy: Swagger UI's script and styles from the service itself, the document
 * from /openapi.json, nothing from elsewhere (no CDN, no online validator), never framed.
 * Swagger UI sets styles through the DOM, which a style-src policy does not block.
 */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kos-notify API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null, defaultModelsExpandDepth: 0 });\n`;

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** The API reference at /docs: Swagger UI over /openapi.json, served from node_modules. */
export function apiDocs(): Router {
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  const router = express.Router({ strict: true });
  router.use((_req, res, next) => {
    securityHeaders(res);
    next();
  });
  // Without the trailing slash, so that the relative asset URLs resolve below /docs/.
  router.get('/', (req, res) => {
    if (req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/docs');
    res.type('html').send(PAGE);
  });
  router.get('/init.js', (_req, res) => {
    res.type('text/javascript; charset=utf-8').send(INIT);
  });
  for (const [file, type] of Object.entries(ASSETS)) {
    router.get(`/${file}`, (_req, res) => {
      res.type(type).sendFile(join(dist, file), { cacheControl: false, etag: true, lastModified: true });
    });
  }
  return router;
}

function securityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': API_DOCS_CSP,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
}
