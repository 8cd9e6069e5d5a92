import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConsoleDir } from '../../src/shared/http/consoleAssets';
import { createTestApp, type TestApp } from '../support/testApp';

// npm test builds first, so the console is in dist/console.
describe('GET /console', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('finds the built console', () => {
    expect(defaultConsoleDir()).toMatch(/dist[/\\]console$/);
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    for (const path of ['/console', '/console/']) {
      const response = await request(testApp.app).get(path).expect(200);
      expect(response.type).toBe('text/html');
      expect(response.text).toContain('<script type="module" src="/console/main.js"></script>');
      const csp = response.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.get('x-content-type-options')).toBe('nosniff');
      expect(response.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves the modules and the stylesheet with their types, revalidated by ETag', async () => {
    const script = await request(testApp.app).get('/console/main.js').expect(200);
    expect(script.type).toBe('text/javascript');
    expect(script.get('content-security-policy')).toContain("default-src 'none'");
    const etag = script.get('etag');
    expect(etag).toBeTruthy();
    await request(testApp.app).get('/console/main.js').set('If-None-Match', etag!).expect(304);
    const view = await request(testApp.app).get('/console/views/tenantsView.js').expect(200);
    expect(view.text).toContain('export async function tenantsView');
    const css = await request(testApp.app).get('/console/console.css').expect(200);
    expect(css.type).toBe('text/css');
  });

  it('answers unknown assets and escapes with a 404 problem', async () => {
    const missing = await request(testApp.app).get('/console/nope.js').expect(404);
    expect(missing.type).toBe('application/problem+json');
    await request(testApp.app).get('/console/..%2Fpackage.json').expect(404);
    await request(testApp.app).get('/console/%2e%2e/%2e%2e/package.json').expect(404);
  });
});
