import { describe, expect, it } from 'vitest';
import { SmtpConnectionError } from '../../../src/shared/smtp/errors';
import { REPLY_LIMITS, ReplyReader } from '../../../src/shared/smtp/ReplyReader';

function protocolError(run: () => void): SmtpConnectionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect((error as SmtpConnectionError).code).toBe('EPROTOCOL');
    return error as SmtpConnectionError;
  }
  throw new Error('the reader took it');
}

describe('reading SMTP replies within bounds', () => {
  it('cuts chunks into replies, however the host splits them', () => {
    const reader = new ReplyReader([]);
    reader.expect(2);
    for (const char of '220 mx.kunde.ch ESMTP\r\n250-mx.kunde.ch\r\n250-PIPELINING\r\n250 8BITMIME\r\n250 2.1.0 Ok\n') reader.receive(char);
    expect(reader.next()).toEqual({ code: 220, text: 'mx.kunde.ch ESMTP', lines: ['mx.kunde.ch ESMTP'] });
    expect(reader.next()?.lines).toEqual(['mx.kunde.ch', 'PIPELINING', '8BITMIME']);
    expect(reader.next()).toMatchObject({ code: 250, enhanced: '2.1.0' });
    expect(reader.next()).toBeUndefined();
    expect(reader.empty).toBe(true);
  });

  it(`takes a reply of ${REPLY_LIMITS.lines} lines and ends the session at one line more`, () => {
    const reader = new ReplyReader([]);
    reader.receive(`${'220-x\r\n'.repeat(REPLY_LIMITS.lines - 1)}220 ready\r\n`);
    expect(reader.next()?.lines).toHaveLength(REPLY_LIMITS.lines);
    reader.expect(1);
    expect(protocolError(() => reader.receive('250-x\r\n'.repeat(REPLY_LIMITS.lines + 1))).message).toBe(
      'the host sent a reply of more than 1,000 lines; the session was ended',
    );
  });

  it('ends the session once a reply passes 64 KiB, long before it could exhaust memory', () => {
    const reader = new ReplyReader([]);
    const line = `220-${'x'.repeat(4000)}\r\n`;
    let sent = 0;
    const error = protocolError(() => {
      for (; sent < 100_000; sent++) reader.receive(line);
    });
    expect(error.message).toBe('the host sent a reply of more than 64 KiB; the session was ended');
    expect(sent).toBe(16);
  });

  it('ends the session at a line without end, even one byte at a time', () => {
    const reader = new ReplyReader([]);
    let sent = 0;
    const error = protocolError(() => {
      for (; sent < 1_000_000; sent++) reader.receive('x');
    });
    expect(error.message).toBe(`the host sent a line longer than ${REPLY_LIMITS.lineChars} characters; the session was ended`);
    expect(sent).toBe(REPLY_LIMITS.lineChars);
    expect(protocolError(() => new ReplyReader([]).receive(`220 ${'y'.repeat(REPLY_LIMITS.lineChars)}\r\n220 ok\r\n`)).message).toContain('a line longer');
  });

  it('ends the session at a reply no command asked for', () => {
    const reader = new ReplyReader([]);
    reader.receive('220 ready\r\n');
    expect(protocolError(() => reader.receive('250 surprise\r\n')).message).toBe('the host sent a reply to no command; the session was ended');
    const pipelined = new ReplyReader([]);
    pipelined.expect(3);
    pipelined.receive('220 ready\r\n250 ok\r\n250 ok\r\n250 ok\r\n');
    expect(protocolError(() => pipelined.receive('250-')).message).toContain('a reply to no command');
  });

  it('bounds replies that wait unread as one reply is bounded', () => {
    const reader = new ReplyReader([]);
    reader.expect(100);
    const reply = `250 ${'z'.repeat(1000)}\r\n`;
    expect(protocolError(() => reader.receive(reply.repeat(100))).message).toContain('more than 64 KiB');
  });

  it("redacts the session's secrets, and the secret lines it concealed, from every line", () => {
    const reader = new ReplyReader(['Canary-Pw-1234']);
    reader.expect(2);
    reader.receive(`220 hi\r\n535-5.7.8 AUTH PLAIN ${Buffer.from('\0kos\0Canary-Pw-1234').toString('base64')}\r\n535 5.7.8 Authentication failed\r\n`);
    reader.next();
    expect(reader.next()?.lines).toEqual(['5.7.8 AUTH PLAIN [redacted]', '5.7.8 Authentication failed']);
    reader.conceal('a29zQGt1bmRlLmNo');
    reader.receive('500 5.5.1 Command unrecognized: "a29zQGt1bmRlLmNo"\r\n');
    expect(reader.next()?.text).toBe('5.5.1 Command unrecognized: "[redacted]"');
  });
});
