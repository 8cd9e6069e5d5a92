// `npm run demo`: the whole service on one machine within a minute. A capture mail host on
// loopback, the service on a temp SQLite database (private hosts allowed for this run only), a
// demo tenant with a few users' deadlines, two personal notifications (one sent as its author, one
// rewritten), an alert run, and a Microsoft 365 tenant (OAuth 2.0 against a local stand-in for
// Entra ID, AUTH XOAUTH2 as each author's mailbox); then it prints the console URL, the admin key
// and the captured mails.
// Ctrl-C stops everything and removes the temp data.
//   npm run demo [-- --port 3000] [-- --screenshots docs/img]
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startService, type RunningService } from '../src/server';
import { loadConfig } from '../src/shared/config/Config';
import { CaptureSmtpServer, type CapturedMail } from './CaptureSmtpServer';
import { FakeEntraId } from './FakeEntraId';

const TENANT = 'demo-kunde';
const PARKED_TENANT = 'demo-muster';
const M365_TENANT = 'demo-m365';
const DEMO_LOGIN = { username: 'kos@kunde.ch', password: randomBytes(12).toString('base64url') };

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'kos-notify-demo-'));
  const adminKey = `demo-${randomBytes(18).toString('base64url')}`;
  const capture = new CaptureSmtpServer({ login: DEMO_LOGIN });
  await capture.listen();
  const entra = new FakeEntraId('kunde365.onmicrosoft.com', '3f1c2b7a-5d4e-4c6b-9a8f-0e1d2c3b4a59', randomBytes(18).toString('base64url'));
  await entra.listen();
  const exchange = new CaptureSmtpServer({ xoauth2: (_mailbox, token) => entra.accepts(token) });
  await exchange.listen();

  const env = {
    PORT: argument('port') ?? process.env.PORT ?? '3000',
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'demo.sqlite')}`,
    ADMIN_API_KEY: adminKey,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    // Only this run: the demo tenant's host is the capture server on loopback.
    SMTP_ALLOW_PRIVATE_HOSTS: 'true',
    // The Microsoft 365 tenant's identity provider is the local stand-in.
    MICROSOFT_LOGIN_URL: entra.url,
    RETRY_SCHEDULE: '2s,5s,10s',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  let service: RunningService;
  try {
    service = await startService(loadConfig(env));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stdout.write(`port ${env.PORT} is taken; using a free one\n`);
    service = await startService(loadConfig({ ...env, PORT: '0' }));
  }

  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await service.stop().catch(() => undefined);
      await capture.close();
      await exchange.close();
      await entra.close();
      rmSync(dir, { recursive: true, force: true });
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  const base = `http://127.0.0.1:${service.port}`;
  const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  await api('PUT', `/tenants/${TENANT}`, {
    name: 'Kunde AG (Demo)',
    locale: 'de',
    alertSender: { address: 'kos@kunde.ch', name: 'KOS Kunde AG' },
    mail: {
      preset: 'custom',
      host: '127.0.0.1',
      port: capture.port,
      security: 'none',
      username: DEMO_LOGIN.username,
      password: DEMO_LOGIN.password,
      allowedSenders: ['*@kunde.ch'],
    },
  });
  const anna = { name: 'Anna Meier', email: 'anna.meier@kunde.ch', locale: 'de' };
  const luca = { name: 'Luca Rossi', email: 'luca.rossi@kunde.ch', locale: 'it' };
  const claire = { name: 'Claire Dubois', email: 'claire.dubois@kunde.ch', locale: 'fr' };
  await api('PUT', `/tenants/${TENANT}/deadlines`, {
    replace: true,
    deadlines: [
      { ticketId: 'T-1041', title: 'Offerte Sanierung Dach prüfen', dueDate: isoDay(-3), assignees: [anna], url: 'https://kos.example/tickets/T-1041' },
      { ticketId: 'T-1052', title: 'Reklamation Lieferung Nr. 8812', dueDate: isoDay(0), assignees: [anna, luca], url: 'https://kos.example/tickets/T-1052' },
      { ticketId: 'T-1060', title: 'Wartungsvertrag erneuern', dueDate: isoDay(4), assignees: [anna], url: 'https://kos.example/tickets/T-1060' },
      { ticketId: 'T-1063', title: 'Rapport Baustelle Bern', dueDate: isoDay(2), assignees: [claire], url: 'https://kos.example/tickets/T-1063' },
      { ticketId: 'T-1070', title: 'Jahresabschluss vorbereiten', dueDate: isoDay(30), assignees: [claire] },
    ],
  });
  await api('POST', `/tenants/${TENANT}/notifications`, {
    kind: 'comment',
    author: { name: anna.name, email: anna.email },
    to: [{ name: luca.name, email: luca.email }],
    subject: 'Neuer Kommentar zu T-1052: Reklamation Lieferung Nr. 8812',
    text: 'Luca, kannst du bitte beim Lieferanten nachfragen? Danke, Anna',
    ticket: { id: 'T-1052', title: 'Reklamation Lieferung Nr. 8812', url: 'https://kos.example/tickets/T-1052' },
  });
  await api('POST', `/tenants/${TENANT}/notifications`, {
    kind: 'assignment',
    author: { name: 'Beat Keller', email: 'beat.keller@partner-treuhand.ch' },
    to: [{ name: claire.name, email: claire.email }],
    subject: 'Auftrag zugewiesen: T-1063 Rapport Baustelle Bern',
    text: 'Claire, der Rapport ist dir zugewiesen. Gruss, Beat',
    ticket: { id: 'T-1063', title: 'Rapport Baustelle Bern', url: 'https://kos.example/tickets/T-1063' },
  });
  // A second tenant whose mailbox refuses the login: its queue parks, and the console lists it first.
  await api('PUT', `/tenants/${PARKED_TENANT}`, {
    name: 'Muster GmbH (GMX)',
    locale: 'de',
    mail: { preset: 'gmx', host: '127.0.0.1', port: capture.port, security: 'none', username: 'muster.gmbh@gmx.ch', password: 'falsches-passwort' },
  });
  await api('POST', `/tenants/${PARKED_TENANT}/notifications`, {
    author: { name: 'Urs Muster', email: 'urs@muster.ch' },
    to: [{ email: 'buchhaltung@muster.ch' }],
    subject: 'Rechnung 2026-114 freigegeben',
    text: 'Die Rechnung ist freigegeben.',
  });
  const m365 = await demoMicrosoft365(api, entra, exchange);
  const run = (await api('POST', '/alert-runs', {})) as { id: string; date: string };

  // Two notifications and one digest per assignee with a reached or soon-due deadline (Anna, Luca, Claire).
  const expected = 5;
  const deadline = Date.now() + 30_000;
  while ((capture.mails.length < expected || exchange.mails.length < 2) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));

  const mailDir = join(dir, 'mails');
  mkdirSync(mailDir);
  capture.mails.forEach((mail, index) => writeFileSync(join(mailDir, `${String(index + 1).padStart(2, '0')}.eml`), mail.raw));

  const line = '─'.repeat(72);
  const out: string[] = [
    '',
    line,
    `  kos-notify demo is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    line,
    `  Console:    ${base}/console`,
    `  Admin key:  ${adminKey}`,
    `  API:        ${base}/api/v1   (OpenAPI: ${base}/openapi.json)`,
    `  Mail host:  capture server on 127.0.0.1:${capture.port} (login ${DEMO_LOGIN.username})`,
    `  Tenants:    ${TENANT} (its host works), ${PARKED_TENANT} (its host refuses the login: parked)`,
    `  Alert run:  ${run.id} for ${run.date}`,
    '',
    `  Captured mails (${capture.mails.length}), saved as .eml in ${mailDir}:`,
    ...capture.mails.map((mail, index) => describe(index + 1, mail)),
    '',
    `  Microsoft 365: tenant ${M365_TENANT} logs in with OAuth 2.0 (app ${entra.clientId} in ${entra.directoryId},`,
    `  token endpoint ${entra.url}, ${entra.requests} token request(s)); mail host 127.0.0.1:${exchange.port} (AUTH XOAUTH2).`,
    `  Verify: ${m365.verify}`,
    `  Mails (${exchange.mails.length}), each authenticated as its sender's mailbox (${[...new Set(exchange.oauthLogins)].join(', ')}):`,
    ...exchange.mails.map((mail, index) => describe(index + 1, mail)),
    '',
    '  New mails are listed as they arrive. Ctrl-C stops everything and removes the temp data.',
    line,
    '',
  ];
  process.stdout.write(out.join('\n'));
  capture.onMail((mail) => process.stdout.write(`${describe(capture.mails.length, mail)}\n`));

  const screenshots = argument('screenshots');
  if (screenshots) {
    await takeScreenshots(base, adminKey, resolve(screenshots));
    await stop(0);
  }
}

type Api = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** A microsoft365 tenant with its own app registration: verify, then two mails, one sent as its author. */
async function demoMicrosoft365(api: Api, entra: FakeEntraId, exchange: CaptureSmtpServer): Promise<{ verify: string }> {
  await api('PUT', `/tenants/${M365_TENANT}`, {
    name: 'Kunde365 AG (Microsoft 365)',
    locale: 'de',
    alertSender: { address: 'kos@kunde365.ch', name: 'KOS Kunde365 AG' },
    mail: {
      preset: 'microsoft365',
      host: '127.0.0.1',
      port: exchange.port,
      security: 'none',
      allowedSenders: ['*@kunde365.ch'],
      oauth2: { directoryId: entra.directoryId, clientId: entra.clientId, clientSecret: entra.clientSecret },
    },
  });
  const report = (await api('POST', `/tenants/${M365_TENANT}/mail/verify`, { probeSenders: ['nina.huber@kunde365.ch'] })) as {
    ok: boolean;
    steps: Array<{ step: string; ok: boolean; skipped?: boolean }>;
  };
  await api('POST', `/tenants/${M365_TENANT}/notifications`, {
    kind: 'comment',
    author: { name: 'Nina Huber', email: 'nina.huber@kunde365.ch' },
    to: [{ name: 'Marco Frei', email: 'marco.frei@kunde365.ch' }],
    subject: 'Neuer Kommentar zu T-2001: Serververtrag',
    text: 'Marco, der Vertrag ist unterschrieben. Gruss, Nina',
    ticket: { id: 'T-2001', title: 'Serververtrag', url: 'https://kos.example/tickets/T-2001' },
  });
  await api('POST', `/tenants/${M365_TENANT}/notifications`, {
    kind: 'message',
    author: { name: 'Externer Partner', email: 'partner@extern.ch' },
    to: [{ name: 'Marco Frei', email: 'marco.frei@kunde365.ch' }],
    subject: 'Nachricht zu T-2001: Serververtrag',
    text: 'Guten Tag, anbei die Unterlagen.',
  });
  const steps = report.steps.map((step) => `${step.step} ${step.skipped ? 'skipped' : step.ok ? 'ok' : 'failed'}`).join(', ');
  return { verify: `${report.ok ? 'ok' : 'failed'} (${steps})` };
}

function describe(index: number, mail: CapturedMail): string {
  const from = mail.parsed.from?.text ?? '';
  const replyTo = mail.parsed.replyTo ? `  (Reply-To: ${mail.parsed.replyTo.text})` : '';
  return `   ${String(index).padStart(2)}. ${mail.parsed.subject ?? ''}\n       From: ${from}${replyTo}\n       To:   ${mail.envelopeTo.join(', ')}`;
}

/** The README's pictures: the tenants view and a rendered digest, at 1280×800, as small PNGs. */
async function takeScreenshots(base: string, adminKey: string, dir: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'kos-notify-shots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    locale: 'de-CH',
  });
  try {
    await context.addInitScript(`sessionStorage.setItem('kos-console.session', ${JSON.stringify(JSON.stringify({ key: adminKey }))})`);
    const page = await context.newPage();
    mkdirSync(dir, { recursive: true });
    await page.goto(`${base}/console#/tenants`);
    await page.locator('table.tenants tbody tr').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(dir, 'console-tenants.png'), clip: { x: 0, y: 0, width: 1280, height: 470 } });
    await page.goto(`${base}/console#/alert-runs?tenant=${TENANT}&date=${isoDay(0)}`);
    const frame = page.locator('iframe.digest-frame').first();
    await frame.waitFor();
    await page.waitForTimeout(300);
    await frame.screenshot({ path: join(dir, 'digest.png') });
    process.stdout.write(`screenshots written to ${dir}\n`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
