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

  it('reads a status line back into code, enhanced code and text', () => {
    expect(parseReplyLine('553 5.7.1 <x@other.ch>: Sender address rejected')).toEqual({ code: 553, enhanced: '5.7.1', text: '5.7.1 <x@other.ch>: Sender address rejected' });
    expect(parseReplyLine('550 Sender not allowed\r\n')).toEqual({ code: 550, text: 'Sender not allowed' });
    expect(parseReplyLine('connection lost')).toBeUndefined();
  });

  it('describes a reply without repeating its enhanced code', () => {
    expect(describeReply({ code: 553, enhanced: '5.7.1', text: '5.7.1 <x@other.ch>: Sender address rejected' })).toBe('553 5.7.1 <x@other.ch>: Sender address rejected');
    expect(describeReply({ code: 535, text: 'Authentication failed' })).toBe('535 Authentication failed');
  });
});
