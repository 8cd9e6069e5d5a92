import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureSmtpServer } from '../../scripts/CaptureSmtpServer';
import { HOST_LOOKUP } from '../../src/modules/tenant/tokens';
import { startService, type RunningService } from '../../src/server';
import { systemLookup, type HostLookup } from '../../src/shared/net/hostGuard';
import { chromiumAvailable, CHROMIUM_SKIP_REASON, launchChromium, type Browser } from '../support/browser';
import { selfSignedCertificate } from '../support/smtpHosts';
import { testConfig, TEST_ADMIN_KEY } from '../support/testConfig';

const HOST = 'mail.kunde.test';
const certificate = selfSignedCertificate(HOST, `DNS:${HOST}`);
const login = { username: 'kos@kunde.ch', password: 'host-password-4f1d' };
const lookup: HostLookup = async (name) => (name === HOST ? [{ address: '127.0.0.1', family: 4 }] : systemLookup(name));

if (!chromiumAvailable) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!chromiumAvailable)(`console in headless Chromium${chromiumAvailable ? '' : ` (${CHROMIUM_SKIP_REASON})`}`, () => {
  let dir: string;
  let service: RunningService;
  let smtp: CaptureSmtpServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kos-notify-console-'));
    smtp = new CaptureSmtpServer({ tls: certificate, login });
    await smtp.listen();
    service = await startService(testConfig({ port: 0, dataDir: dir, database: { client: 'sqlite', filename: join(dir, 'console.sqlite') } }, { SMTP_ALLOW_PRIVATE_HOSTS: 'true' }), {
      prepare: async (container) => {
        (await container.rebind(HOST_LOOKUP)).toConstantValue(lookup);
      },
    });
    base = `http://127.0.0.1:${service.port}`;
    browser = await launchChromium({ locale: 'en-GB' });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // A CSP violation shows up as a console error; the console must cause none.
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the admin key', async () => {
    await page.goto(`${base}/console`);
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('does not know this key');

    await page.getByLabel('API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    expect(await page.textContent('header')).toContain('Signed in as admin');
    expect(await page.evaluate('sessionStorage.getItem("kos-console.session")')).toContain(TEST_ADMIN_KEY);
  });

  it('creates a tenant through the form, with a field error next to a disallowed alert address', async () => {
    await page.getByRole('link', { name: 'New tenant' }).click();
    await page.getByRole('heading', { name: 'New tenant' }).waitFor();
    await page.getByLabel('ID', { exact: true }).fill('kunde');
    await page.getByLabel('Name', { exact: true }).fill('Kunde AG');
    await page.getByLabel('Preset').selectOption('custom');
    await page.getByLabel('Host').fill(HOST);
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('Security').selectOption('starttls');
    await page.getByLabel('Login').fill(login.username);
    await page.getByLabel('Password', { exact: true }).fill(login.password);
    await page.getByLabel('Allowed senders').fill('*@kunde.ch');
    await page.getByLabel('PEM file of the CA').setInputFiles({ name: 'ca.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(certificate.cert) });
    await expect.poll(() => page.locator('.ca-status').textContent()).toContain('A CA certificate is pinned');

    const alertAddress = page.getByLabel('Alert address');
    await alertAddress.fill('kos@other.ch');
    expect(await page.locator('#sender-check').textContent()).toBe('Not allowed: the host accepts only *@kunde.ch.');
    await page.getByRole('button', { name: 'Save' }).click();
    const fieldError = page.locator('[data-path="alertSender.address"] .field-error');
    await fieldError.waitFor({ state: 'visible' });
    expect(await fieldError.textContent()).toMatch(/\S/);
    expect(await alertAddress.getAttribute('aria-invalid')).toBe('true');
    // The error belongs to this field alone.
    expect(await page.locator('.field-error:visible').count()).toBe(1);

    await alertAddress.fill('KOS@kunde.ch');
    expect(await page.locator('#sender-check').textContent()).toBe('Allowed by *@kunde.ch.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Tenant Kunde AG' }).waitFor();
    expect(await page.locator('.flash').textContent()).toBe('Saved.');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('[data-path="mail.password"] .hint').textContent()).toBe('A password is stored. Leave empty to keep it.');
    expect(await page.content()).not.toContain(login.password);
  });

  it('verifies the host and shows each step in plain words', async () => {
    await page.getByLabel('Also try these senders').fill('anna.meier@kunde.ch');
    await page.getByRole('button', { name: 'Verify mail host' }).click();
    await page.locator('.steps li').first().waitFor();
    await expect.poll(() => page.locator('.verify + .status').textContent(), { timeout: 15_000 }).toBe('The host accepts this tenant’s mail.');
    const steps = await page.locator('.steps li').allTextContents();
    expect(steps[0]).toMatch(/^✓Connect to the host: worked/);
    expect(steps[1]).toMatch(/^✓Secure the connection \(TLS\): worked/);
    expect(steps[2]).toMatch(/^✓Log in: worked/);
    expect(steps.slice(3).join('\n')).toContain('Send as anna.meier@kunde.ch: worked');
  });

  it('switches to German', async () => {
    await page.goto(`${base}/console#/tenants`);
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { name: 'Mandanten', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Hauptnavigation' }).textContent()).toContain('Benachrichtigungen');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
  });

  it('caused no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
