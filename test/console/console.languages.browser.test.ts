import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_SKIP_REASON, launchChromium, waitForView } from '../support/browser';
import { MAIL_HOST as HOST, startConsoleService, type ConsoleService } from '../support/consoleService';
import { TEST_ADMIN_KEY } from '../support/testConfig';

const login = { username: 'kos@kunde.ch', password: 'host-password-7c2e' };
const PHONE = { width: 390, height: 844 };

// English a French, Italian or German screen must not show: words of the console's English catalogs
// and of the service's English texts (raw statuses, kinds, triggers, audit actions, preset names).
// Each is matched as a whole word, case-sensitive; none is also a word of the other three languages
// (so not 'Password', 'no', 'Status', 'Details', 'Notifications', 'Port', 'Ticket', 'ok').
const ENGLISH = [
  'Tenant',
  'Tenants',
  'tenant',
  'Sign in',
  'Sign out',
  'Signed in',
  'Loading',
  'Load more',
  'Nothing here yet',
  'Preset',
  'preset',
  'Mail host',
  'mail host',
  'Allowed senders',
  'allowed senders',
  'Alert address',
  'alert address',
  'Save',
  'Saved',
  'Verify',
  'Send test mail',
  'test mail',
  'Pinned',
  'Security',
  'queued',
  'sending',
  'sent',
  'failed',
  'parked',
  'manual',
  'schedule',
  'catch-up',
  'completed',
  'running',
  'comment',
  'assignment',
  'unverified',
  'warning',
  'tenant.created',
  'tenant.updated',
  'api-key.created',
  'mail.test-sent',
  'custom',
  'hosted',
  'Own mail host',
  'Hosted by the operator',
  'GMX mailbox',
  'Demo mailbox',
  'the host',
  'the service',
  'not allowed',
  'Allowed by',
  'connected',
  'logged in',
  'accepts',
  'refused',
  'Recipients',
  'Subject',
  'Attempts',
  'Search',
  'Preview',
  'digest',
  'digests',
  'Deadline',
  'deadline',
  'every day',
  'Alert run',
  'Alert runs',
  'alert run',
  'Audit log',
  'When',
  'Who',
  'What',
  'Yes',
  'Cancel',
  'Delete',
  'API keys',
  'Created',
  'expires',
  'never',
  'Language',
  'Next',
  'History',
  'Day',
  'Started',
  'Finished',
  'Errors',
  'Choose',
  'Show',
  'Close',
  'From',
  'To',
  'mail.allowedSenders',
  'allowedSenders',
  'Too small',
  'expected',
  'operator',
  'key',
  'since',
  'none',
  'yes',
  'Failures',
  'Last success',
  'Oldest',
] as const;
const englishIn = (text: string): string[] =>
  ENGLISH.filter((phrase) => new RegExp(`(^|[^\\p{L}\\d_.-])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\d_-])`, 'u').test(text));

if (!chromiumAvailable) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!chromiumAvailable)('console in German, French, Italian and English, at phone width', () => {
  let service: ConsoleService;
  let base: string;
  let notificationId: string;
  const today = new Date().toISOString().slice(0, 10);
  const api = (method: string, path: string, body?: unknown): Promise<Response> => service.api(method, path, body);

  beforeAll(async () => {
    service = await startConsoleService(login);
    const { smtp, certificate } = service;
    base = service.base;
    const mail = {
      preset: 'custom',
      host: HOST,
      port: smtp.port,
      security: 'starttls',
      caCertificate: certificate.cert,
      username: login.username,
      password: login.password,
      allowedSenders: ['*@kunde.ch'],
    };
    expect(
      (await api('PUT', '/tenants/kunde', { name: 'Kunde AG', locale: 'de', alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde' }, mail })).status,
    ).toBe(201);
    expect(
      (
        await api('PUT', '/tenants/kunde', {
          name: 'Kunde AG',
          locale: 'fr',
          alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde' },
          mail: { ...mail, maxPerMinute: 60 },
        })
      ).status,
    ).toBe(200);
    expect((await api('POST', '/tenants/kunde/api-keys', { name: 'Produktion KOS', expiresAt: '2030-01-31T00:00:00.000Z' })).status).toBe(201);
    const queued = await api('POST', '/tenants/kunde/notifications', {
      kind: 'comment',
      author: { name: 'Anna Meier', email: 'anna.meier@kunde.ch' },
      to: [{ name: 'Beat Keller', email: 'beat.keller@kunde.ch' }],
      subject: 'Kommentar zu T-17',
      text: 'Bitte prüfen.',
    });
    notificationId = ((await queued.json()) as { id: string }).id;
    await smtp.waitFor((captured) => captured.parsed.subject === 'Kommentar zu T-17');
    expect((await api('POST', '/tenants/kunde/mail/test', { to: 'ops@kunde.ch' })).status).toBeLessThan(300);
    const due = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (
        await api('PUT', '/tenants/kunde/deadlines/T-17', {
          title: 'Offerte Müller prüfen',
          dueDate: due,
          assignees: [{ name: 'Anna Meier', email: 'anna.meier@kunde.ch', locale: 'it' }],
        })
      ).status,
    ).toBeLessThan(300);
    expect((await api('POST', '/alert-runs', { date: today })).status).toBe(202);
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
  });

  const VIEWS = (): Array<{ hash: string; ready: string }> => [
    { hash: '#/tenants', ready: 'tr[data-tenant="kunde"] .badge' },
    { hash: '#/tenants/new', ready: '.preset-info p' },
    { hash: '#/tenants/kunde', ready: '.health .badge' },
    { hash: `#/notifications?tenant=kunde&id=${notificationId}`, ready: 'section.detail dl' },
    { hash: `#/alert-runs?tenant=kunde&date=${today}`, ready: 'table.runs tbody tr' },
    { hash: '#/audit?tenant=kunde', ready: 'table.audit tbody tr' },
  ];

  async function walk(page: Page): Promise<{ english: Record<string, string[]>; overflow: Record<string, number> }> {
    const english: Record<string, string[]> = {};
    const overflow: Record<string, number> = {};
    for (const view of VIEWS()) {
      await page.goto(`${base}/console${view.hash}`);
      // Health and keys load after the view; wait until nothing says "loading" any more.
      await waitForView(page, view.ready);
      await page.waitForTimeout(200);
      // The language switch names each language in itself; everything else must be in the screen's language.
      const text = (await page.evaluate(
        `(() => { const clone = document.body.cloneNode(true); clone.querySelectorAll('#language, select[name=locale]').forEach((e) => e.remove()); document.body.after(clone); const text = clone.innerText; clone.remove(); return text; })()`,
      )) as string;
      english[view.hash] = englishIn(text);
      overflow[view.hash] = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    }
    return { english, overflow };
  }

  for (const [language, locale, heading] of [
    ['de', 'de-CH', 'Mandanten'],
    ['fr', 'fr-CH', 'Mandants'],
    ['it', 'it-CH', 'Mandanti'],
    ['en', 'en-GB', 'Tenants'],
  ] as const) {
    it(
      `${language}: a ${locale} browser gets its language; every view without English and without sideways scrolling at 390×844`,
      { timeout: 120_000 },
      async () => {
        const browser = await launchChromium({ locale, ...PHONE });
        try {
          const page = await browser.context.newPage();
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          await page.goto(`${base}/console`);
          await page.locator('input[name=key]').waitFor();
          expect(await page.locator('html').getAttribute('lang')).toBe(language);
          if (language !== 'en') expect(englishIn(await page.locator('body').innerText())).toEqual([]);
          expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
          await page.locator('input[name=key]').fill(TEST_ADMIN_KEY);
          await page.locator('form.sign-in button[type=submit]').click();
          await page.getByRole('heading', { name: heading, level: 1 }).waitFor();

          const { english, overflow } = await walk(page);
          // In English the same search finds its phrases on every view: the list is live, not stale.
          if (language === 'en') for (const [hash, found] of Object.entries(english)) expect(found.length, hash).toBeGreaterThan(3);
          else expect(english).toEqual(Object.fromEntries(Object.keys(english).map((hash) => [hash, []])));
          expect(overflow).toEqual(Object.fromEntries(Object.keys(overflow).map((hash) => [hash, Math.min(overflow[hash]!, PHONE.width)])));
          expect(errors).toEqual([]);

          const shots = process.env.CONSOLE_SCREENSHOTS;
          if (shots && (language === 'fr' || language === 'it')) {
            mkdirSync(shots, { recursive: true });
            await page.setViewportSize({ width: 1280, height: 900 });
            if (language === 'fr') {
              await page.goto(`${base}/console#/tenants/kunde`);
              await waitForView(page, '.health .badge');
              await page.locator('form.tenant-form').screenshot({ path: join(shots, 'console-tenant-form-fr.png') });
            } else {
              await page.goto(`${base}/console#/alert-runs?tenant=kunde&date=${today}`);
              await waitForView(page, '.digest iframe');
              await page.frameLocator('.digest iframe').first().locator('body').waitFor();
              await page
                .locator('.digest')
                .first()
                .screenshot({ path: join(shots, 'console-digest-preview-it.png') });
            }
          }
        } finally {
          await browser.close();
        }
      },
    );
  }
});
