// Time to first render of the console's tenants view with N tenants, in headless Chromium,
// against the built service on a temp SQLite database (tenant hosts on loopback, private hosts allowed for this run).
//   npm run build && node bench/console-tenants.js [N=1000] [RUNS=5]
// Prints per run, in ms from navigation start: modules loaded and running, tenant list fetched (all
// pages), table in the DOM (= first render), for a
// cold load (fresh profile) and warm reloads (modules revalidated with 304).
require('reflect-metadata');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { chromium } = require('playwright-core');
const { loadConfig } = require('../dist/src/shared/config/Config');
const { startService } = require('../dist/src/server');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

async function main() {
  const n = Number(process.argv[2] ?? 1000);
  const runs = Number(process.argv[3] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'kos-bench-console-'));
  const config = loadConfig({
    ADMIN_API_KEY: ADMIN_KEY,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SMTP_ALLOW_PRIVATE_HOSTS: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    DATA_DIR: dir,
  });
  const service = await startService(config);
  const base = `http://127.0.0.1:${service.port}`;
  const seeded = Date.now();
  for (let start = 0; start < n; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - start) }, (_, k) => {
        const i = start + k;
        const id = `tenant-${String(i).padStart(4, '0')}`;
        return fetch(`${base}/api/v1/tenants/${id}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            name: `Mandant ${i} AG`,
            alertSender: { address: `kos@m${i}.ch` },
            mail: { preset: 'custom', host: '127.0.0.1', port: 2525, security: 'none', allowedSenders: [`*@m${i}.ch`] },
          }),
        }).then((response) => {
          if (response.status !== 201) throw new Error(`seeding ${id}: ${response.status}`);
        });
      }),
    );
  }
  const seedMs = Date.now() - seeded;

  const profile = mkdtempSync(join(tmpdir(), 'kos-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
  });
  await context.addInitScript((key) => sessionStorage.setItem('kos-console.session', JSON.stringify({ key })), ADMIN_KEY);
  const page = await context.newPage();
  const results = [];
  for (let run = 0; run < runs; run++) {
    if (run === 0) await page.goto(`${base}/console#/tenants`);
    else await page.reload();
    await page.waitForSelector(`body[data-tenants-rendered="${n}"]`);
    const marks = await page.evaluate(() => ({
      started: performance.getEntriesByName('console-start')[0].startTime,
      fetched: performance.getEntriesByName('tenants-fetched')[0].startTime,
      rendered: performance.getEntriesByName('tenants-rendered')[0].startTime,
      rows: document.querySelectorAll('table.tenants tbody tr').length,
    }));
    if (marks.rows !== n) throw new Error(`expected ${n} rows, saw ${marks.rows}`);
    results.push({
      run: run === 0 ? 'cold' : 'warm',
      modulesMs: Math.round(marks.started),
      fetchedMs: Math.round(marks.fetched),
      firstRenderMs: Math.round(marks.rendered),
      renderOnlyMs: Math.round(marks.rendered - marks.fetched),
    });
  }
  const warm = results
    .slice(1)
    .map((result) => result.firstRenderMs)
    .sort((a, b) => a - b);
  console.log(JSON.stringify({ tenants: n, seedMs, runs: results, warmMedianFirstRenderMs: warm.length ? warm[Math.floor(warm.length / 2)] : null }));
  await context.close();
  await service.stop();
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
