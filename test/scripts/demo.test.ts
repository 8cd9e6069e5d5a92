import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// npm test builds first, so the demo runs as `npm run demo` runs it: from dist.
describe('npm run demo', () => {
  it('shows the captured mails within a minute and stops cleanly on Ctrl-C', { timeout: 90_000 }, async () => {
    const child = spawn(process.execPath, ['dist/scripts/demo.js', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    while (!output.includes('Ctrl-C stops everything') && Date.now() - started < 60_000 && child.exitCode === null)
      await new Promise((resolve) => setTimeout(resolve, 200));

    expect(output).toContain('Captured mails (5)');
    expect(output).toMatch(/Console: {4}http:\/\/127\.0\.0\.1:\d+\/console/);
    expect(output).toMatch(/Admin key: {2}demo-\S{20,}/);
    expect(output).toContain('From: "Anna Meier" <anna.meier@kunde.ch>');
    expect(output).toContain('From: "Beat Keller via KOS" <kos@kunde.ch>  (Reply-To: "Beat Keller" <beat.keller@partner-treuhand.ch>)');
    expect(output).toContain('KOS: 2 Fristen erreicht, 1 bald fällig');
    expect(output).toMatch(/Microsoft 365: tenant demo-m365 logs in with OAuth 2\.0/);
    expect(output).toContain('Verify: ok (token ok, connect ok, tls skipped, auth ok, sender ok, sender ok)');
    expect(output).toContain("Mails (2), each authenticated as its sender's mailbox (kos@kunde365.ch, nina.huber@kunde365.ch):");
    expect(output).toContain('From: "Nina Huber" <nina.huber@kunde365.ch>');
    expect(output).toContain('From: "Externer Partner via KOS" <kos@kunde365.ch>');
    const dataDir = /saved as \.eml in (\S+)\/mails:/.exec(output)?.[1];
    expect(dataDir && existsSync(dataDir)).toBe(true);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(dataDir!)).toBe(false);
  });
});
