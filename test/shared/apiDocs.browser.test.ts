import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_DOCS_CSP } from '../../src/shared/http/apiDocs';
import { createHttpServer } from '../../src/shared/http/httpServer';
import { chromiumAvailable, CHROMIUM_SKIP_REASON, launchChromium, type Browser } from '../support/browser';
import { createTestApp, type TestApp } from '../support/testApp';

if (!chromiumAvailable) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!chromiumAvailable)(`the API reference at /docs in headless Chromium${chromiumAvailable ? '' : ` (${CHROMIUM_SKIP_REASON})`}`, () => {
  let t: TestApp;
  let server: ReturnType<typeof createHttpServer>;
  let base: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('request', (request) => requested.push(request.url()));
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    await t?.close();
  });

  it('renders every operation and the named schemas from /openapi.json, under its CSP, loading nothing from elsewhere', async () => {
    const response = await page.goto(`${base}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(API_DOCS_CSP);
    await page.getByText('kos-notify', { exact: false }).first().waitFor({ timeout: 20_000 });
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const operations = Object.values(document.paths).flatMap((methods) => Object.keys(methods));
    expect(await page.locator('.opblock').count()).toBe(operations.length);
    await expect.poll(() => page.locator('.opblock-summary-path').allInnerTexts()).toContain('/api/v1/tenants/{tenantId}/notifications/{notificationId}/retry');
    // The Schemas section, opened as a reader would, lists the named schemas.
    await page.locator('.models-control').click();
    const titles = page.locator('.models .json-schema-2020-12__title');
    await titles.first().waitFor({ timeout: 10_000 });
    const names = await titles.allInnerTexts();
    for (const name of ['Tenant', 'TenantSettings', 'Notification', 'Problem', 'ApiKey', 'AlertRun', 'MailHealth', 'VerifyResult'])
      expect(names.map((text) => text.trim())).toContain(name);
    expect(problems).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(base) && !url.startsWith('data:'))).toEqual([]);
  }, 60_000);

  it('serves only the files the page needs from swagger-ui-dist', async () => {
    expect((await fetch(`${base}/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${base}/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${base}/docs/../package.json`)).status).toBe(404);
  });
});
