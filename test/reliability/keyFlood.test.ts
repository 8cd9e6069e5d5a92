import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigures } from '../support/figures';
import { createLiveApp, percentile, type LiveApp } from '../support/liveApp';

const CLIENTS = Number(process.env.FLOOD_CLIENTS ?? 32);
const PHASE_MS = Number(process.env.FLOOD_PHASE_MS ?? 4_000);
const ROUNDS = 3;

/**
 * A loop of concurrent clients in another process, each sending requests with a fresh random key
 * over its own keep-alive connection for `ms`; prints the statuses counted.
 */
const FLOODER = `
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const [url, clients, ms] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const statuses = {};
const end = Date.now() + ms;
const one = () => new Promise((resolve) => {
  const req = http.get(url, { agent, headers: { Authorization: 'Bearer ' + randomBytes(24).toString('base64url') } }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    res.resume();
    res.on('end', resolve);
  });
  req.on('error', () => { statuses.error = (statuses.error ?? 0) + 1; resolve(); });
});
const loop = async () => { while (Date.now() < end) await one(); };
Promise.all(Array.from({ length: clients }, loop)).then(() => { process.stdout.write(JSON.stringify(statuses)); agent.destroy(); });
`;

function flood(url: string, ms: number): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['-e', FLOODER, url, String(CLIENTS), String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as Record<string, number>) : reject(new Error(`flooder exited with ${code}`))));
  });
}

describe('a flood of random keys', () => {
  let live: LiveApp;
  let key: string;
  beforeAll(async () => {
    // The default limit: 600 requests a minute per key, 600 failed authentications per address.
    live = await createLiveApp('sqlite', { config: { rateLimitPerMinute: 600 }, dispatcher: false });
    expect(
      (
        await live.call('PUT', '/tenants/a', {
          body: {
            name: 'A',
            mail: { preset: 'custom', host: 'mail.kunde.ch', port: 587, security: 'starttls', username: 'u', password: 'p' },
            alertSender: { address: 'kos@kunde.ch' },
          },
        })
      ).status,
    ).toBe(201);
    key = (await live.call('POST', '/tenants/a/api-keys', { body: {} })).json.key;
  });
  afterAll(async () => live?.close());

  it("leaves a real key's median latency within 2x of quiet", async () => {
    const sample = async (until: number): Promise<number[]> => {
      const ms: number[] = [];
      while (performance.now() < until) {
        const response = await live.call('GET', '/tenants/a/deadlines', { key });
        expect(response.status).toBe(200);
        ms.push(response.ms);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return ms;
    };
    await sample(performance.now() + 500);
    const quiet: number[] = [];
    const flooded: number[] = [];
    const statuses: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      quiet.push(...(await sample(performance.now() + PHASE_MS)));
      const flooding = flood(`${live.base}/tenants`, PHASE_MS + 500);
      // The flooder's start-up (a new process) is not part of the flood.
      await new Promise((resolve) => setTimeout(resolve, 500));
      flooded.push(...(await sample(performance.now() + PHASE_MS - 500)));
      for (const [status, count] of Object.entries(await flooding)) statuses[status] = (statuses[status] ?? 0) + count;
    }
    const quietMs = percentile(quiet, 50);
    const floodMs = percentile(flooded, 50);
    const ratio = floodMs / quietMs;
    const floodRequests = Object.values(statuses).reduce((sum, count) => sum + count, 0);
    reportFigures('key-flood', {
      clients: CLIENTS,
      floodRequests,
      floodPerSecond: Math.round(floodRequests / ((ROUNDS * (PHASE_MS + 500)) / 1000)),
      statuses,
      realKeyP50QuietMs: Number(quietMs.toFixed(1)),
      realKeyP50FloodMs: Number(floodMs.toFixed(1)),
      realKeyP95QuietMs: Number(percentile(quiet, 95).toFixed(1)),
      realKeyP95FloodMs: Number(percentile(flooded, 95).toFixed(1)),
      samples: { quiet: quiet.length, flood: flooded.length },
      ratio: Number(ratio.toFixed(2)),
    });
    // A millisecond of floor: medians of 2-3 ms are measured to the tenth.
    expect(floodMs).toBeLessThanOrEqual(Math.max(2 * quietMs, quietMs + 1));
    expect(statuses['429']).toBeGreaterThan(0);
  }, 120_000);
});
