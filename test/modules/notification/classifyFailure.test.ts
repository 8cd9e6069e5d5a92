import { message } from '../../../src/shared/messages/message';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/modules/notification/domain/classifyFailure';
import { DeliveryError, type DeliveryPhase } from '../../../src/modules/notification/domain/DeliveryError';
import { headerSafeTicketId } from '../../../src/modules/notification/domain/threading';

function failure(phase: DeliveryPhase, response?: string, errorCode?: string): DeliveryError {
  const replyCode = response ? Number(response.slice(0, 3)) : undefined;
  return new DeliveryError('failed', { phase, response, replyCode, errorCode });
}

/** Every recipient refused, as the session reports it: the refusals listed, no reply of its own. */
function allRefused(response: string): DeliveryError {
  return new DeliveryError('all recipients refused', {
    phase: 'rcpt',
    replyCode: Number(response.slice(0, 3)),
    rejected: [{ address: 'a@kunde.ch', code: Number(response.slice(0, 3)), response }],
  });
}

describe('classifying delivery failures', () => {
  it.each([
    [failure('data', '451 4.3.0 try later'), 'retry', 'rejected'],
    [failure('rcpt', '450 4.2.0 greylisted'), 'retry', 'rejected'],
    [failure('connect', undefined, 'ECONNECTION'), 'retry', 'connection'],
    [failure('connect', undefined, 'ETIMEDOUT'), 'retry', 'connection'],
    [failure('tls', undefined, 'ETLS'), 'retry', 'tls'],
    [failure('tls', '500 5.5.1 Error: command not recognized', 'ETLS'), 'retry', 'tls'],
    [failure('data', '550 5.6.0 content refused'), 'fail', 'rejected'],
    [failure('data', '554 5.7.1 spam'), 'fail', 'rejected'],
    [failure('auth', '535 5.7.8 bad credentials', 'EAUTH'), 'park', 'auth'],
    [failure('auth', '454 4.7.0 temporary auth failure', 'EAUTH'), 'retry', 'rejected'],
    [failure('auth', undefined, 'EAUTH'), 'park', 'auth'],
    [failure('auth', undefined, 'EPROTOCOL'), 'retry', 'connection'],
    [failure('auth', undefined, 'ECONNECTION'), 'retry', 'connection'],
    [failure('connect', undefined, 'EPROTOCOL'), 'retry', 'connection'],
    [failure('mail', '553 5.7.1 Sender address rejected: not owned by user kos@kunde.ch'), 'fail', 'sender'],
    [failure('mail', '550 5.7.60 not permitted to send as this sender'), 'fail', 'sender'],
    [failure('rcpt', '553 5.7.1 <a@kunde.ch>: Sender address rejected: not owned by user kos@kunde.ch'), 'fail', 'sender'],
    [failure('rcpt', '550 5.1.1 <x@kunde.ch>: Recipient address rejected: User unknown'), 'fail', 'rejected'],
    // Postfix without ENHANCEDSTATUSCODES: the same refusal, no 5.7.1.
    [failure('rcpt', '553 <a@kunde.ch>: Sender address rejected: not owned by user kos@kunde.ch'), 'fail', 'sender'],
    [failure('mail', '550 Access denied'), 'fail', 'sender'],
    [failure('mail', '552 5.3.4 Message size exceeds fixed limit'), 'fail', 'rejected'],
    [failure('rcpt', '554 5.7.1 <x@kunde.ch>: Relay access denied'), 'fail', 'rejected'],
    [allRefused('553 <a@kunde.ch>: Sender address rejected: not owned by user kos@kunde.ch'), 'fail', 'sender'],
    [allRefused('550 5.1.1 <a@kunde.ch>: Recipient address rejected: User unknown'), 'fail', 'rejected'],
    // The AGIS host: a Postfix whose login is relay@agis.ch refuses the sender at every RCPT.
    [failure('rcpt', '553 5.7.1 <bob@gmail.com>: Sender address rejected: not owned by user relay@agis.ch'), 'fail', 'sender'],
    [allRefused('553 5.7.1 <bob@gmail.com>: Sender address rejected: not owned by user relay@agis.ch'), 'fail', 'sender'],
    [failure('data', '554 5.2.252 SendAsDenied; relay@agis.ch not allowed to send as bob@gmail.com'), 'fail', 'sender'],
    [failure('data', '550 5.7.1 Message rejected as spam'), 'fail', 'rejected'],
    [new DeliveryError('guard', { phase: 'guard', permanent: true }), 'fail', 'connection'],
    [new DeliveryError('guard', { phase: 'guard', permanent: false }), 'retry', 'connection'],
    [new Error('boom'), 'retry', 'other'],
    // Exchange Online: the login may not send as that mailbox, after DATA or at MAIL.
    [failure('data', '554 5.2.252 SendAsDenied; anna@kunde.ch not allowed to send as anna@kunde.ch'), 'fail', 'sender'],
    [failure('mail', '550 5.7.60 SMTP; Client does not have permissions to send as this sender'), 'fail', 'sender'],
    [failure('mail', '403 ErrorSendAsDenied: The user account which was used to submit this request does not have the right to send mail'), 'fail', 'sender'],
    [failure('data', '554 5.6.0 Corrupt message content'), 'fail', 'rejected'],
  ] as const)('%#: %s → %s (%s)', (error, action, category) => {
    const verdict = classifyFailure(error, 'anna@kunde.ch');
    expect(verdict.action).toBe(action);
    expect(verdict.category).toBe(category);
    if (category === 'sender') expect(verdict.message).toContain('mail.allowedSenders');
    if (category === 'sender') expect(verdict.message).toMatch(/\(the host answered: (55|403)/);
    if (category === 'sender') expect(verdict.refusal).toMatch(/^(55\d|403) /);
  });

  it('parks a refused OAuth login with the fix it names, and a refused password login at Microsoft with the preset to use', () => {
    const oauth = new DeliveryError('refused', { phase: 'auth', replyCode: 535, errorCode: 'EAUTH', fix: message('oauth2_client_secret_required') });
    expect(classifyFailure(oauth, 'anna@kunde.ch')).toMatchObject({
      action: 'park',
      category: 'auth',
      code: 'login_refused_fix',
      params: { causeCode: 'oauth2_client_secret_required' },
      message: expect.stringContaining('needs its client secret in mail.oauth2.clientSecret'),
    });
    const basic = failure('auth', '535 5.7.30 Basic authentication is not supported for Client Submission', 'EAUTH');
    expect(classifyFailure(basic, 'anna@kunde.ch')).toMatchObject({
      action: 'park',
      message: expect.stringContaining('switch the tenant to the microsoft365 preset'),
    });
    const disabled = failure('auth', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', 'EAUTH');
    expect(classifyFailure(disabled, 'anna@kunde.ch').message).toMatch(/SMTP AUTH switched off.*Set-CASMailbox.*mail\.transport to "graph"/);
    // no English placeholder for the mailbox among the params: the console says it in its language
    expect(classifyFailure(disabled, 'anna@kunde.ch')).toMatchObject({
      code: 'login_refused_fix',
      params: { causeCode: 'oauth2_smtp_auth_disabled_login', reply: expect.stringContaining('5.7.139') },
    });
  });

  it('names alertSender when the refused sender is the alert address, and quotes the reply for the fallback', () => {
    const reply = '553 5.7.1 <kos@kunde.ch>: Sender address rejected: not owned by user relay@agis.ch';
    const verdict = classifyFailure(failure('rcpt', reply), 'KOS@kunde.ch', 'kos@kunde.ch');
    expect(verdict).toMatchObject({ action: 'fail', category: 'sender', refusal: reply });
    expect(verdict.message).toContain('alert address (alertSender) KOS@kunde.ch');
    expect(verdict.message).toContain('mail.allowedSenders');
    expect(classifyFailure(failure('rcpt', reply), 'anna@kunde.ch', 'kos@kunde.ch').message).not.toContain('alertSender');
  });
});

describe('header-safe ticket ids', () => {
  it('keeps atext and encodes everything else, so the id cannot break out of the Message-ID', () => {
    expect(headerSafeTicketId('T-4711')).toBe('T-4711');
    expect(headerSafeTicketId('a.b')).toBe('a=2Eb');
    expect(headerSafeTicketId('x>@evil.com\r\nBcc: y')).toBe('x=3E=40evil=2Ecom=0D=0ABcc=3A=20y');
    expect(headerSafeTicketId('ä')).toBe('=C3=A4');
  });
});
