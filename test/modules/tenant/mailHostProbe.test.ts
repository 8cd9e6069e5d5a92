import { afterEach, describe, expect, it } from 'vitest';
import type { SmtpEndpoint } from '../../../src/modules/tenant/domain/MailHostDirectory';
import { SmtpMailHostProbe } from '../../../src/modules/tenant/infrastructure/SmtpMailHostProbe';
import { systemLookup } from '../../../src/shared/net/hostGuard';
import { ScriptedHost } from '../../support/ScriptedHost';
import { testConfig } from '../../support/testConfig';

const ALERT_SENDER = { address: 'kos@kunde.ch', allowedByPolicy: true, isAlertSender: true };

function endpoint(port: number): SmtpEndpoint {
  return { tenantId: 'kunde', host: '127.0.0.1', port, security: 'none', settingsVersion: 1 };
}

describe('the mail host probe against hosts smtp-server cannot play', () => {
  let host: ScriptedHost | undefined;
  const probe = new SmtpMailHostProbe(testConfig({ smtpAllowPrivateHosts: true }), systemLookup);
  afterEach(async () => host?.close());

  it('falls back to HELO for a host that does not know EHLO, as delivery does', async () => {
    host = await ScriptedHost.start([], (line) => (line.startsWith('EHLO') ? '502 5.5.2 command not recognized' : undefined));
    const report = await probe.verify(endpoint(host.port), [ALERT_SENDER], 'probe@kunde.ch', ['*@kunde.ch']);
    expect(report.ok).toBe(true);
    expect(host.lines.map((line) => line.slice(0, 4))).toEqual(['EHLO', 'HELO', 'MAIL', 'RCPT', 'RSET', 'QUIT']);
  });

  it('names both refusals when the host takes neither EHLO nor HELO', async () => {
    host = await ScriptedHost.start([], (line) => (/^(EHLO|HELO)/.test(line) ? '554 5.7.1 go away' : undefined));
    const report = await probe.verify(endpoint(host.port), [ALERT_SENDER], 'probe@kunde.ch', ['*@kunde.ch']);
    expect(report.ok).toBe(false);
    expect(report.steps[0]).toMatchObject({ step: 'connect', ok: false, detail: 'the host refused EHLO and HELO: 554 5.7.1 go away' });
  });

  it('does not call a MAIL FROM refused for another reason (552, message size) a sender refusal', async () => {
    host = await ScriptedHost.start([], (line) => (line.startsWith('MAIL') ? '552 5.3.4 Message size exceeds fixed limit' : undefined));
    const report = await probe.verify(endpoint(host.port), [ALERT_SENDER], 'probe@kunde.ch', ['*@kunde.ch']);
    const sender = report.steps.find((step) => step.step === 'sender');
    expect(sender).toMatchObject({ ok: false, address: 'kos@kunde.ch' });
    expect(sender!.detail).toBe('the host refused MAIL FROM:<kos@kunde.ch>, not for the sender itself: 552 5.3.4 Message size exceeds fixed limit');
  });
});
