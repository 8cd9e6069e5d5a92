import { describe, expect, it } from 'vitest';
import { describeReply, isSenderRefusal, parseReplyLine } from '../../../src/shared/smtp/replies';

describe('sender refusal classification', () => {
  it.each([
    [{ code: 553, enhanced: '5.7.1', text: '5.7.1 <x@other.ch>: Sender address rejected: not owned by user kos@kunde.ch' }, 'RCPT', true],
    [{ code: 550, enhanced: '5.7.1', text: '5.7.1 Client does not have permissions to send as this sender' }, 'RCPT', true],
    [{ code: 553, text: 'sorry, that domain is not in my list of allowed rcpthosts' }, 'RCPT', false],
    [{ code: 553, text: '<x@other.ch>: Sender address rejected: not owned by user kos@kunde.ch' }, 'RCPT', true],
    [{ code: 550, enhanced: '5.1.1', text: '5.1.1 <kos@kunde.ch>: Recipient address rejected: User unknown' }, 'RCPT', false],
    [{ code: 554, enhanced: '5.7.1', text: '5.7.1 <kos@kunde.ch>: Relay access denied' }, 'RCPT', false],
    [{ code: 450, enhanced: '4.7.1', text: '4.7.1 Sender address rejected: try later' }, 'RCPT', false],
    [{ code: 550, text: 'Sender not allowed' }, 'MAIL', true],
    [{ code: 553, enhanced: '5.1.8', text: '5.1.8 Domain of sender address does not exist' }, 'MAIL', true],
    [{ code: 451, text: 'temporary' }, 'MAIL', false],
    [{ code: 550, text: 'Access denied' }, 'MAIL', true],
    [{ code: 552, enhanced: '5.3.4', text: '5.3.4 Message size exceeds fixed limit' }, 'MAIL', false],
    [{ code: 501, enhanced: '5.1.7', text: '5.1.7 Bad sender address syntax' }, 'MAIL', true],
    [{ code: 554, enhanced: '5.7.1', text: '5.7.1 <kos@kunde.ch>: Recipient address rejected: Access denied' }, 'RCPT', false],
    [{ code: 550, enhanced: '5.7.1', text: '5.7.1 Message rejected due to content restrictions' }, 'RCPT', false],
    [{ code: 554, enhanced: '5.2.252', text: '5.2.252 SendAsDenied; anna@kunde.ch not allowed to send as anna@kunde.ch' }, 'DATA', true],
    [{ code: 550, enhanced: '5.7.60', text: '5.7.60 SMTP; Client does not have permissions to send as this sender' }, 'MAIL', true],
    [{ code: 403, text: 'ErrorSendAsDenied: no right to send as this mailbox' }, 'MAIL', true],
    [{ code: 554, enhanced: '5.6.0', text: '5.6.0 Corrupt message content' }, 'DATA', false],
    [{ code: 451, text: '4.4.0 SendAsDenied lookalike, temporary' }, 'DATA', false],
  ] as const)('%j at %s → %s', (reply, command, expected) => {
    expect(isSenderRefusal(reply, command)).toBe(expected);
  });

  // Real hosts' dialects, read by what they say about the sender. A login name is just text: the
  // AGIS host's login relay@agis.ch must not turn a sender refusal into a "relay" refusal.
  it.each([
    [
      'Postfix, login with "relay"',
      { code: 553, enhanced: '5.7.1', text: '5.7.1 <bob@gmail.com>: Sender address rejected: not owned by user relay@agis.ch' },
      'RCPT',
      true,
    ],
    ['Postfix, no enhanced codes', { code: 553, text: '<bob@gmail.com>: Sender address rejected: not owned by user relay@agis.ch' }, 'RCPT', true],
    [
      'Postfix at MAIL FROM',
      { code: 553, enhanced: '5.7.1', text: '5.7.1 <bob@gmail.com>: Sender address rejected: not owned by user relay@agis.ch' },
      'MAIL',
      true,
    ],
    [
      'Postfix unknown sender domain',
      { code: 550, enhanced: '5.1.8', text: '5.1.8 <x@nowhere.invalid>: Sender address rejected: Domain not found' },
      'RCPT',
      true,
    ],
    ['Postfix relay refusal', { code: 554, enhanced: '5.7.1', text: '5.7.1 <bob@gmail.com>: Relay access denied' }, 'RCPT', false],
    [
      'Postfix unknown recipient',
      { code: 550, enhanced: '5.1.1', text: '5.1.1 <relay@agis.ch>: Recipient address rejected: User unknown in virtual mailbox table' },
      'RCPT',
      false,
    ],
    [
      'Exchange SendAsDenied after DATA',
      {
        code: 554,
        enhanced: '5.2.252',
        text: '5.2.252 SendAsDenied; relay@agis.ch not allowed to send as bob@gmail.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied',
      },
      'DATA',
      true,
    ],
    ['Exchange 5.7.60', { code: 550, enhanced: '5.7.60', text: '5.7.60 SMTP; Client does not have permissions to send as this sender' }, 'RCPT', true],
    ['Exchange content refusal after DATA', { code: 550, enhanced: '5.7.1', text: '5.7.1 Message rejected as spam by Content Filtering' }, 'DATA', false],
    [
      'Graph ErrorSendAsDenied',
      {
        code: 550,
        text: 'ErrorSendAsDenied: The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account',
      },
      'DATA',
      true,
    ],
    ['Exim submission', { code: 550, text: 'Sender <bob@gmail.com> not allowed for authenticated user relay@agis.ch' }, 'RCPT', true],
    ['Exim relay not permitted', { code: 550, text: 'relay not permitted' }, 'RCPT', false],
    [
      'Sendmail bad sender domain',
      { code: 553, enhanced: '5.1.8', text: '5.1.8 <bob@nowhere.invalid>... Domain of sender address bob@nowhere.invalid does not exist' },
      'MAIL',
      true,
    ],
    ['Sendmail recipient unknown', { code: 550, enhanced: '5.1.1', text: '5.1.1 <x@agis.ch>... User unknown' }, 'RCPT', false],
    ['GMX foreign sender', { code: 550, text: 'Sender address does not belong to logged in user {mx-gmx-001}' }, 'RCPT', true],
    ['GMX at MAIL FROM', { code: 550, enhanced: '5.7.1', text: '5.7.1 Sender address is not allowed' }, 'MAIL', true],
    ['GMX mailbox unavailable', { code: 550, text: 'Requested action not taken: mailbox unavailable' }, 'RCPT', false],
    ['bad sender mailbox 5.1.7', { code: 553, enhanced: '5.1.7', text: '5.1.7 The sender address is not valid' }, 'RCPT', true],
  ] as const)('%s: %j at %s → %s', (_, reply, stage, expected) => {
    expect(isSenderRefusal(reply, stage)).toBe(expected);
  });

  it('reads a status line back into code, enhanced code and text', () => {
    expect(parseReplyLine('553 5.7.1 <x@other.ch>: Sender address rejected')).toEqual({
      code: 553,
      enhanced: '5.7.1',
      text: '5.7.1 <x@other.ch>: Sender address rejected',
    });
    expect(parseReplyLine('550 Sender not allowed\r\n')).toEqual({ code: 550, text: 'Sender not allowed' });
    expect(parseReplyLine('connection lost')).toBeUndefined();
  });

  it('describes a reply without repeating its enhanced code', () => {
    expect(describeReply({ code: 553, enhanced: '5.7.1', text: '5.7.1 <x@other.ch>: Sender address rejected' })).toBe(
      '553 5.7.1 <x@other.ch>: Sender address rejected',
    );
    expect(describeReply({ code: 535, text: 'Authentication failed' })).toBe('535 Authentication failed');
  });
});
