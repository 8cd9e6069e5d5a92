import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../src/modules/alerting/domain/CalendarDate';
import { createLiveApp, type LiveApp } from '../support/liveApp';
import { TEST_ADMIN_KEY } from '../support/testConfig';
import { TestSmtpServer } from '../support/TestSmtpServer';

const run = promisify(execFile);

/** What test/client/walkthrough.ts returns (its own types come from the generated file). */
interface WalkThrough {
  notification: { status: string; messageId: string };
  run: { status: string };
  deadlineStatus: number;
}
const ROOT = join(__dirname, '..', '..');
const GENERATED = join(ROOT, 'test', 'generated');

/**
 * What an integrator does: generate types from /openapi.json with openapi-typescript, compile a
 * client against them, and run the README's walk-through through openapi-fetch.
 */
describe('a client generated from /openapi.json (openapi-typescript 7 + openapi-fetch)', () => {
  let live: LiveApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    live = await createLiveApp('sqlite');
  });
  afterAll(async () => {
    await live?.close();
    await smtp?.close();
  });

  it('compiles against the generated types and runs the README walk-through against the live service', async () => {
    const origin = live.base.replace(/\/api\/v1$/, '');
    mkdirSync(GENERATED, { recursive: true });
    writeFileSync(join(GENERATED, 'openapi.json'), await (await fetch(`${origin}/openapi.json`)).text());
    await run(process.execPath, [join(ROOT, 'test', 'tools', 'openapi-client', 'generate.cjs'), join(GENERATED, 'openapi.json'), join(GENERATED, 'api.d.ts')]);

    const typecheck = await run(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(ROOT, 'test', 'client', 'tsconfig.json'),
    ]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(typecheck).toBe('');

    // Not a static import: the file compiles only once the types above exist.
    const clientPath = join(ROOT, 'test', 'client', 'walkthrough.ts');
    const { walkThrough } = (await import(clientPath)) as {
      walkThrough: (baseUrl: string, adminKey: string, smtpPort: number, today: string) => Promise<WalkThrough>;
    };
    const result = await walkThrough(origin, TEST_ADMIN_KEY, smtp.port, calendarDateIn(new Date(), 'Europe/Zurich'));

    expect(result.notification).toMatchObject({ status: 'sent', from: { name: 'Anna Meier', address: 'anna.meier@kunde.ch' }, attempts: 1 });
    expect(result.deadlineStatus).toBe(201);
    expect(result.run).toMatchObject({ status: 'completed', trigger: 'manual', queued: 1 });
    const mails = await smtp.waitForMessages(2);
    const parsed = await Promise.all(mails.map((mail) => smtp.parse(mail)));
    expect(parsed.find((mail) => mail.subject === 'Neuer Kommentar')?.messageId).toBe(result.notification.messageId);
    expect(mails.map((mail) => mail.envelope.to)).toEqual([['beat.keller@kunde.ch'], ['beat.keller@kunde.ch']]);
  }, 120_000);
});
