import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureSmtpServer } from '../../scripts/CaptureSmtpServer';
import { chromiumAvailable, CHROMIUM_SKIP_REASON, launchChromium, waitForView, type Browser } from '../support/browser';
import { MAIL_HOST as HOST, startConsoleService, type ConsoleService } from '../support/consoleService';
import type { Certificate } from '../support/smtpHosts';
import { TEST_ADMIN_KEY } from '../support/testConfig';

const login = { username: 'kos@kunde.ch', password: 'host-password-4f1d' };

if (!chromiumAvailable) console.warn(CHROMIUM_SKIP_REASON);

describe.skipIf(!chromiumAvailable)(`console in headless Chromium${chromiumAvailable ? '' : ` (${CHROMIUM_SKIP_REASON})`}`, () => {
  let service: ConsoleService;
  let smtp: CaptureSmtpServer;
  let certificate: Certificate;
  let api: ConsoleService['api'];
  let browser: Browser;
  let page: Page;
  let base: string;
  let tenantKey: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    service = await startConsoleService(login);
    ({ base, smtp, certificate, api } = service);
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

    // The product's guidance stands at the field it concerns, in words for an admin.
    expect(await page.locator('[data-path="mail.allowedSenders"] .guide').textContent()).toContain('must let every KOS user’s address be the sender');
    expect(await page.locator('[data-path="mail.allowedSenders"] .guide').textContent()).not.toContain('allowedSenders');
    await page.getByLabel('Preset').selectOption('gmx');
    expect(await page.locator('.guide-gmx').textContent()).toContain('external access (POP3/IMAP/SMTP)');
    await page.getByLabel('Preset').selectOption('demo');
    expect(await page.locator('.guide-demo').textContent()).toBe('The demo mailbox is for demonstrations only: do not use it in production.');
    await page.getByLabel('Preset').selectOption('custom');
    await page.getByLabel('Host').fill(HOST);
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('Security').selectOption('starttls');
    await page.getByLabel('Login').fill(login.username);
    await page.getByLabel('Password', { exact: true }).fill(login.password);
    await page.getByLabel('Allowed senders').fill('*@kunde.ch');
    const alertAddress = page.getByLabel('Alert address', { exact: true });
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

  it('sends a test mail that arrives at the host, and shows it among the notifications', async () => {
    await page.getByLabel('Send a test mail to').fill('ops@kunde.ch');
    await page.getByRole('button', { name: 'Send test mail' }).click();
    const mail = await smtp.waitFor((candidate) => candidate.envelopeTo.includes('ops@kunde.ch'));
    expect(mail.envelopeFrom).toBe('KOS@kunde.ch');
    await expect
      .poll(() => page.locator('.test-mail + .status').textContent(), { timeout: 20_000 })
      .toMatch(/^The host accepted the test mail to ops@kunde\.ch \(Message-ID <.+>\)\./);
    expect(await page.locator('.test-mail + .status').textContent()).toContain(mail.parsed.messageId ?? 'no Message-ID');

    await page.getByRole('link', { name: 'Follow it in the notifications' }).click();
    const detail = page.locator('section.detail');
    await detail.locator('h2').waitFor();
    expect(await detail.textContent()).toContain(mail.parsed.messageId ?? 'no Message-ID');
    expect(await page.locator('table.notifications tbody tr').count()).toBe(1);
  });

  it('lists notifications newest first with the sender decision', async () => {
    const post = (body: unknown) =>
      fetch(`${base}/api/v1/tenants/kunde/notifications`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const asAuthor = await post({
      author: { name: 'Anna Meier', email: 'anna.meier@kunde.ch' },
      to: [{ email: 'ops@kunde.ch' }],
      subject: 'Kommentar zu T-17',
      text: 'Bitte prüfen.',
    });
    expect(asAuthor.status).toBe(202);
    await smtp.waitFor((mail) => mail.parsed.subject === 'Kommentar zu T-17');
    const rewritten = await post({
      author: { name: 'Beat Keller', email: 'beat@partner.ch' },
      to: [{ email: 'ops@kunde.ch' }],
      subject: 'Auftrag zugewiesen',
      text: 'Neu für dich.',
    });
    const { id } = (await rewritten.json()) as { id: string };
    await smtp.waitFor((mail) => mail.parsed.subject === 'Auftrag zugewiesen');

    await page.goto(`${base}/console#/notifications?tenant=kunde`);
    await page.locator('table.notifications tbody tr').nth(2).waitFor();
    const subjects = await page.locator('table.notifications tbody tr td.subject').allTextContents();
    expect(subjects.slice(0, 2)).toEqual(['Auftrag zugewiesen', 'Kommentar zu T-17']);
    expect(await page.locator(`tr[data-notification="${id}"] td.recipients`).textContent()).toBe('ops@kunde.ch');

    // The search filters the loaded rows by recipient or subject.
    await page.getByLabel('Search by recipient or subject').fill('zugewiesen');
    expect(await page.locator('table.notifications tbody tr:visible td.subject').allTextContents()).toEqual(['Auftrag zugewiesen']);
    await page.getByLabel('Search by recipient or subject').fill('nobody@nowhere.ch');
    expect(await page.locator('table.notifications tbody tr:visible').count()).toBe(0);
    await page.getByLabel('Search by recipient or subject').fill('');

    await page.locator(`tr[data-notification="${id}"]`).getByRole('button', { name: 'Details' }).click();
    const detail = page.locator('section.detail');
    await expect.poll(() => detail.locator('h2').textContent()).toBe(`Notification ${id}`);
    const text = await detail.textContent();
    expect(text).toContain('Beat Keller via KOS <KOS@kunde.ch>');
    expect(text).toMatch(/Sent via the alert address: \S/);
    expect(text).toContain('Beat Keller <beat@partner.ch>');

    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('.list').textContent()).toBe('Nothing here yet.');
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

  it('triggers an alert run and renders a tenant’s digest preview in a sandboxed frame', async () => {
    const due = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const saved = await api('PUT', '/tenants/kunde/deadlines/T-17', {
      title: 'Offerte <Müller> prüfen',
      dueDate: due,
      assignees: [{ name: 'Anna Meier', email: 'anna.meier@kunde.ch', locale: 'de' }],
    });
    expect(saved.status).toBeLessThan(300);

    await page.getByRole('link', { name: 'Alert runs' }).click();
    // The global alert time is on the view: the schedule's next run, in its time zone.
    const schedule = (await (await api('GET', '/alert-schedule')).json()) as { timezone: string; leadDays: number; nextRunAt: string };
    const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: schedule.timezone }).format(new Date(schedule.nextRunAt));
    expect(await page.locator('.schedule-note').textContent()).toContain(
      `every day at ${time} (${schedule.timezone}) for every tenant, for deadlines due within ${schedule.leadDays} days`,
    );
    const runsBefore = ((await (await api('GET', '/alert-runs')).json()) as { items: unknown[] }).items.length;

    // Starting a run asks first, naming that it mails every tenant; Cancel starts nothing.
    await page.getByRole('button', { name: 'Start alert run' }).click();
    expect(await page.getByRole('alertdialog').textContent()).toContain('It mails every tenant’s assignees their deadline alerts');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(((await (await api('GET', '/alert-runs')).json()) as { items: unknown[] }).items.length).toBe(runsBefore);
    await page.getByRole('button', { name: 'Start alert run' }).click();
    await page.getByRole('button', { name: 'Yes, mail every tenant' }).click();
    await expect.poll(() => page.locator('.panel .status').first().textContent()).toMatch(/^Alert run for \d{1,2} \w{3} \d{4} started\.$/);
    const runId = (await page.locator('.panel .status [data-run]').getAttribute('data-run'))!;
    // The history may also hold the start-up catch-up run; this one is the manual one.
    const row = page.locator(`table.runs tr[data-run="${runId}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('manual');

    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${base}/console#/alert-runs?tenant=kunde&date=${today}`);
    const frame = page.locator('iframe.digest-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.locator('.digest h3').textContent()).toMatch(/^KOS: 1 Frist/);
    // the preview names the recipient and, now that the service gives it, the From of the digest
    expect(await page.locator('.digest .hint').allTextContents()).toEqual([
      expect.stringContaining('anna.meier@kunde.ch'),
      expect.stringContaining('KOS@kunde.ch'),
    ]);
    // The title is data: it reaches the frame escaped, as text.
    const body = await page.frameLocator('iframe.digest-frame').locator('body').textContent();
    expect(body).toContain('Offerte <Müller> prüfen');
  });

  it('shows a tenant whose host refused the login as parked, first', async () => {
    const mail = {
      preset: 'custom',
      host: HOST,
      port: smtp.port,
      security: 'starttls',
      caCertificate: certificate.cert,
      username: login.username,
      allowedSenders: ['*@kunde.ch'],
    };
    expect(
      (
        await api('PUT', '/tenants/zz-wrong-login', {
          name: 'ZZ Wrong Login',
          alertSender: { address: 'kos@kunde.ch' },
          mail: { ...mail, password: 'not-the-password' },
        })
      ).status,
    ).toBe(201);
    const queued = await api('POST', '/tenants/zz-wrong-login/notifications', {
      author: { name: 'Anna Meier', email: 'anna.meier@kunde.ch' },
      to: [{ email: 'ops@kunde.ch' }],
      subject: 'Hallo',
      text: 'Test',
    });
    expect(queued.status).toBe(202);
    const { id } = (await queued.json()) as { id: string };
    await expect
      .poll(
        async () =>
          (
            (await (
              await fetch(`${base}/api/v1/tenants/zz-wrong-login/notifications/${id}`, { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } })
            ).json()) as { status: string }
          ).status,
        { timeout: 15_000 },
      )
      .toBe('parked');

    await page.goto(`${base}/console#/tenants`);
    const first = page.locator('table.tenants tbody tr').first();
    await first.waitFor();
    expect(await first.getAttribute('data-tenant')).toBe('zz-wrong-login');
    expect(await first.locator('.badge').textContent()).toBe('parked');
    expect(await first.locator('.reason').first().textContent()).toMatch(/\S/);
    expect(await page.locator('tr[data-tenant="kunde"] .badge').textContent()).toBe('ok');
    expect(await page.locator('.summary').textContent()).toBe('2 tenants, 1 parked');
    // Mail health from GET /tenants/{id}/mail/health: the refused login counted by class, the mail waiting.
    const parkedRow = page.locator('tr[data-tenant="zz-wrong-login"]');
    await expect.poll(() => parkedRow.locator('td.failures').textContent()).toBe('1 (login 1)');
    expect(await parkedRow.locator('td.queued').textContent()).toBe('1');
    expect(await parkedRow.locator('td.oldest').textContent()).toMatch(/^\d+ s$/);
    // The tenant's own page says that its queue is stopped, and why.
    await page.goto(`${base}/console#/tenants/zz-wrong-login`);
    await page.locator('.queue-stopped').waitFor();
    expect(await page.locator('.health .badge').textContent()).toBe('parked');
    expect(await page.locator('.queue-stopped').textContent()).toBe(
      'The queue of this tenant is stopped until its mail settings are saved again (waiting: 1).',
    );
    await page.goto(`${base}/console#/tenants`);
    const okRow = page.locator('tr[data-tenant="kunde"]');
    await expect.poll(() => okRow.locator('td.failures').textContent()).toBe('none');
    expect(await okRow.locator('td.last-success').textContent()).toMatch(/\d/);
    expect(await okRow.locator('td.queued').textContent()).toBe('0');
  });

  it('renders the tenants view with 1,000 tenants fast', { timeout: 120_000 }, async () => {
    for (let start = 0; start < 998; start += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, 998 - start) }, async (_, k) => {
          const i = start + k;
          const response = await fetch(`${base}/api/v1/tenants/load-${String(i).padStart(4, '0')}`, {
            method: 'PUT',
            headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({
              name: `Mandant ${i} AG`,
              alertSender: { address: `kos@m${i}.ch` },
              mail: { preset: 'custom', host: '127.0.0.1', port: smtp.port, security: 'none' },
            }),
          });
          expect(response.status).toBe(201);
        }),
      );
    }
    await page.goto(`${base}/console#/tenants`);
    await page.reload();
    await page.locator('body[data-tenants-rendered="1000"]').waitFor({ timeout: 30_000 });
    const marks = (await page.evaluate(`({
      fetched: performance.getEntriesByName('tenants-fetched')[0].startTime,
      rendered: performance.getEntriesByName('tenants-rendered')[0].startTime,
      rows: document.querySelectorAll('table.tenants tbody tr').length,
    })`)) as { fetched: number; rendered: number; rows: number };
    console.info(
      `tenants view, 1,000 tenants: first render ${Math.round(marks.rendered)} ms after navigation start (table built in ${Math.round(marks.rendered - marks.fetched)} ms)`,
    );
    expect(marks.rows).toBe(1000);
    expect(await page.locator('table.tenants tbody tr').first().getAttribute('data-tenant')).toBe('zz-wrong-login');
    // A tenant that never verified nor delivered is unverified, not a green ok.
    await expect.poll(() => page.locator('tr[data-tenant="load-0000"] .badge').textContent()).toBe('unverified');
    // Budgets with room for a loaded CI machine; bench/console-tenants.js prints the figures.
    expect(marks.rendered - marks.fetched).toBeLessThan(1_000);
    expect(marks.rendered).toBeLessThan(5_000);

    // Sortable from the keyboard: the Tenant header sorts A to Z, then Z to A.
    const byName = page.getByRole('button', { name: 'Tenant', exact: true });
    await byName.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('table.tenants tbody tr').first().getAttribute('data-tenant')).toBe('kunde');
    expect(await page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    await page.keyboard.press('Enter');
    expect(await page.locator('table.tenants tbody tr').first().getAttribute('data-tenant')).toBe('zz-wrong-login');
  });

  it('is readable at phone width without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    for (const { hash, ready } of [
      { hash: '#/tenants/kunde', ready: '.health .badge' },
      { hash: '#/notifications?tenant=kunde', ready: 'table.notifications tbody tr' },
      // The digest preview's frame is the widest part of this view, and the last to come.
      { hash: `#/alert-runs?tenant=kunde&date=${new Date().toISOString().slice(0, 10)}`, ready: '.digest iframe' },
    ]) {
      await page.goto(`${base}/console${hash}`);
      await waitForView(page, ready);
      expect(await page.evaluate('document.documentElement.scrollWidth'), hash).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('creates a tenant key in the console, shown once, listed with its name and expiry', async () => {
    await page.goto(`${base}/console#/tenants/kunde`);
    await page.getByLabel('Name of the key').fill('KOS Produktion');
    await page.getByLabel('Valid until (optional)').fill('2030-01-31');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.locator('.new-key');
    await shown.waitFor();
    tenantKey = (await shown.textContent())!;
    expect(await page.locator('.created-key .warning').textContent()).toBe('Copy this key now: it is shown only once.');
    const row = page.locator('table.keys tbody tr', { hasText: 'KOS Produktion' });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([
      'KOS Produktion',
      expect.stringMatching(/\d{4}/),
      'never',
      expect.stringMatching(/^31 Jan 2030, /),
      'Delete key',
    ]);
    const listed = (await (await api('GET', '/tenants/kunde/api-keys')).json()) as { items: Array<{ name?: string; expiresAt?: string }> };
    expect(listed.items.find((key) => key.name === 'KOS Produktion')?.expiresAt).toMatch(/^2030-01-3[01]T/);
    await page.reload();
    await page.locator('table.keys').waitFor();
    expect(await page.locator('.new-key').count()).toBe(0);
    expect(await page.content()).not.toContain(tenantKey);
  });

  it('signs in with a tenant key alone, which edits its own settings, verifies and reads its audit', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${base}/console#/tenants`);
    await page.getByLabel('API key').fill(tenantKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await page.locator('table.tenants tbody tr').first().waitFor();
    expect(await page.locator('table.tenants tbody tr').count()).toBe(1);
    expect(await page.locator('table.tenants tbody tr').first().getAttribute('data-tenant')).toBe('kunde');
    expect(await page.textContent('header')).toContain('Signed in for tenant kunde');
    expect(await page.getByRole('link', { name: 'New tenant' }).count()).toBe(0);
    expect(await page.locator('.schedule-note').textContent()).toContain('every day at');

    await page.locator('tr[data-tenant="kunde"] a').click();
    await page.getByRole('heading', { name: 'Tenant Kunde AG' }).waitFor();
    // The ID is the one read-only field: it looks it and says why.
    const id = page.getByLabel('ID', { exact: true });
    expect(await id.getAttribute('readonly')).toBe('');
    expect(await page.locator('[data-path="id"] .hint').textContent()).toBe('The ID cannot be changed: KOS and the audit log know the tenant by it.');
    const background = (selector: string) => page.evaluate(`getComputedStyle(document.querySelector('${selector}')).backgroundColor`);
    expect(await background('[data-path="id"] input')).not.toBe(await background('[data-path="name"] input'));
    expect(await page.getByLabel('Name', { exact: true }).isEditable()).toBe(true);
    expect(await page.locator('.read-only').count()).toBe(0);
    expect(await page.locator('.admin-only').textContent()).toBe('API keys and the removal of a tenant are managed by the operator.');

    await page.getByLabel('Name', { exact: true }).fill('Kunde AG Bern');
    await page.getByLabel('Allowed senders').fill('*@kunde.ch\nanna.meier@partner.ch');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.form-summary').textContent()).toBe('Saved.');
    const saved = (await (await api('GET', '/tenants/kunde')).json()) as { name: string; mail: { allowedSenders: string[] } };
    expect(saved.name).toBe('Kunde AG Bern');
    expect(saved.mail.allowedSenders).toEqual(['*@kunde.ch', 'anna.meier@partner.ch']);

    await page.getByRole('button', { name: 'Verify mail host' }).click();
    await expect.poll(() => page.locator('.verify + .status').textContent(), { timeout: 15_000 }).toMatch(/^The host (accepts|does not accept)/);
    expect(await page.locator('.steps li').first().textContent()).toMatch(/^✓Connect to the host: worked/);

    await page.getByRole('link', { name: 'Alert runs' }).click();
    await page.locator('.schedule-note').waitFor();
    expect(await page.getByRole('button', { name: 'Start alert run' }).count()).toBe(0);
    expect(await page.locator('.admin-only').textContent()).toBe('Only the operator starts an alert run; it runs for every tenant at the time above.');

    await page.goto(`${base}/console#/tenants/kunde`);
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    const first = page.locator('table.audit tbody tr').first();
    await first.waitFor();
    expect(await first.locator('td').nth(1).textContent()).toBe('key KOS Produktion');
    expect(await first.locator('td.action').textContent()).toBe('settings changed');
    expect(await first.locator('td').nth(3).textContent()).toBe('changed: allowed senders, name');
  });

  it('deletes a tenant key after asking; the key is refused at once', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${base}/console#/tenants`);
    await page.getByLabel('API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await page.goto(`${base}/console#/tenants/kunde`);
    const row = page.locator('table.keys tbody tr', { hasText: 'KOS Produktion' });
    await row.waitFor();
    const questions: string[] = [];
    page.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await row.getByRole('button', { name: 'Delete key' }).click();
    await expect.poll(() => questions).toEqual(['Delete the key “KOS Produktion”? Whoever uses it is refused at once.']);
    expect((await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${tenantKey}` } })).status).toBe(200);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete key' }).click();
    await expect.poll(() => page.locator('table.keys tbody tr', { hasText: 'KOS Produktion' }).count()).toBe(0);
    expect((await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${tenantKey}` } })).status).toBe(401);
  });

  it('shows the audit log of a tenant in words, newest first', async () => {
    await page.goto(`${base}/console#/audit?tenant=kunde`);
    await page.locator('table.audit tbody tr').first().waitFor();
    const actions = await page.locator('table.audit tbody tr td.action').allTextContents();
    expect(actions[0]).toBe('API key deleted');
    expect(actions).toContain('test mail sent');
    expect(actions).toContain('API key created');
    expect(actions[actions.length - 1]).toBe('tenant created');
    const table = (await page.locator('table.audit').textContent())!;
    expect(table).toContain('preset: Own mail host');
    expect(table).not.toContain('{"');
    expect(table).not.toContain(login.password);
  });

  it('deletes a tenant only once its ID is typed', async () => {
    expect(
      (
        await api('PUT', '/tenants/zz-leaving', {
          name: 'Leaving AG',
          alertSender: { address: 'kos@leaving.ch' },
          mail: { preset: 'custom', host: HOST, port: smtp.port, security: 'starttls' },
        })
      ).status,
    ).toBe(201);
    await page.goto(`${base}/console#/tenants/zz-leaving`);
    const confirm = page.getByLabel('Type the tenant ID zz-leaving to confirm');
    const button = page.getByRole('button', { name: 'Delete tenant for good' });
    expect(await button.isDisabled()).toBe(true);
    await confirm.fill('zz-leavin');
    expect(await button.isDisabled()).toBe(true);
    await confirm.fill('zz-leaving');
    await button.click();
    await expect.poll(() => page.locator('.flash').textContent()).toBe('Tenant zz-leaving deleted.');
    expect((await api('GET', '/tenants/zz-leaving')).status).toBe(404);
  });

  it('creates a Microsoft 365 tenant with its OAuth fields, the secret write-only, and shows the Google Workspace fields for that preset', async () => {
    const secret = 'm365-client-secret~9Qx.2b';
    await page.goto(`${base}/console#/tenants/new`);
    await page.getByRole('heading', { name: 'New tenant' }).waitFor();
    await page.getByLabel('ID', { exact: true }).fill('zz-m365');
    await page.getByLabel('Name', { exact: true }).fill('M365 AG');
    await expect.poll(() => page.locator('.oauth-fields').isVisible()).toBe(false);
    await page.getByLabel('Preset').selectOption('microsoft365');
    // The password login gives way to the app's; the admin reads why, and what it means for senders.
    expect(await page.getByLabel('Login').isVisible()).toBe(false);
    expect(await page.getByLabel('Password', { exact: true }).isVisible()).toBe(false);
    const guide = await page.locator('.oauth-microsoft .guide').first().textContent();
    expect(guide).toContain('December 2026');
    expect(guide).toContain('each user’s mail leaves as that user');
    await page.getByLabel('Directory (tenant) ID').fill('kunde365.onmicrosoft.com');
    await page.getByLabel('Application (client) ID').fill('11111111-2222-3333-4444-555555555555');
    await page.getByLabel('Client secret', { exact: true }).fill(secret);
    await page.getByLabel('Client secret expires on').fill('2027-06-30');
    await page.getByLabel('Sending through').selectOption('graph');
    await page.getByLabel('Allowed senders').fill('*@kunde365.ch');
    await page.getByLabel('Alert address', { exact: true }).fill('kos@kunde365.ch');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Tenant M365 AG' }).waitFor();

    const response = await api('GET', '/tenants/zz-m365');
    expect(response.status).toBe(200);
    const raw = await response.text();
    const saved = JSON.parse(raw) as {
      mail: { preset: string; transport?: string; username?: string; hasPassword: boolean; oauth2?: Record<string, unknown> };
    };
    expect(saved.mail).toMatchObject({ preset: 'microsoft365', transport: 'graph', hasPassword: false });
    expect(saved.mail.username).toBeUndefined();
    expect(saved.mail.oauth2).toMatchObject({
      directoryId: 'kunde365.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
      hasClientSecret: true,
    });
    expect(String(saved.mail.oauth2?.clientSecretExpiresAt)).toMatch(/^2027-06-30/);
    expect(raw).not.toContain(secret);
    // The edit form shows what is stored, never the secret itself.
    expect(await page.getByLabel('Client secret', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('[data-path="mail.oauth2.clientSecret"] .hint').textContent()).toBe('A client secret is stored. Leave empty to keep it.');
    expect(await page.getByLabel('Directory (tenant) ID').inputValue()).toBe('kunde365.onmicrosoft.com');
    expect(await page.getByLabel('Sending through').inputValue()).toBe('graph');
    expect(await page.content()).not.toContain(secret);

    // Saving again with the secret field empty keeps the stored secret.
    await page.getByLabel('Name', { exact: true }).fill('M365 AG (Zürich)');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.form-summary').textContent()).toContain('Saved.');
    const again = (await (await api('GET', '/tenants/zz-m365')).json()) as { name: string; mail: { oauth2?: Record<string, unknown> } };
    expect(again.name).toBe('M365 AG (Zürich)');
    expect(again.mail.oauth2?.hasClientSecret).toBe(true);

    await page.getByLabel('Preset').selectOption('google-workspace');
    expect(await page.getByLabel('Directory (tenant) ID').isVisible()).toBe(false);
    expect(await page.getByLabel('Service account (client_email)').isVisible()).toBe(true);
    const privateKey = page.getByLabel('Private key of the service account (private_key)');
    expect(await privateKey.isVisible()).toBe(true);
    expect(await privateKey.evaluate((element) => element.tagName)).toBe('TEXTAREA');
    expect(await page.locator('[data-path="mail.oauth2.serviceAccount.privateKey"] .hint').textContent()).toBe('No private key stored.');
    expect(await page.locator('.oauth-google .guide').first().textContent()).toContain('each user’s mail leaves as that user');
    expect(await page.getByLabel('Login').isVisible()).toBe(false);
    await page.getByLabel('Preset').selectOption('custom');
    expect(await page.getByLabel('Login').isVisible()).toBe(true);
    expect(await page.locator('.oauth-fields').isVisible()).toBe(false);
    expect((await api('DELETE', '/tenants/zz-m365')).status).toBe(204);
  });

  it('caused no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
