import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/modules/notification/domain/DeliveryError';
import { SmtpSession } from '../../../src/modules/notification/infrastructure/SmtpSession';
import type { SmtpEndpoint } from '../../../src/modules/tenant/domain/MailHostDirectory';
import { dataOf } from '../../../src/shared/smtp/SmtpConnection';
import { ScriptedHost } from '../../support/ScriptedHost';
import { TestSmtpServer } from '../../support/TestSmtpServer';

const TIMEOUTS = { connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 2_000 };
const ENVELOPE = { from: 'anna@kunde.ch', to: ['bob@kunde.ch', 'eva@kunde.ch'] };

function endpoint(port: number, extra: Partial<SmtpEndpoint> = {}): SmtpEndpoint {
  return { tenantId: 't', host: 'localhost', port, security: 'none', settingsVersion: 1, ...extra };
}

/** Lines starting with dots, at the start of the body and after blank lines: what dot-stuffing is for. */
const DOTTED = Buffer.from(
  ['From: anna@kunde.ch', 'To: bob@kunde.ch', 'Subject: dots', '', '.', '..two', '.hidden line', 'middle . dot', '', '.'].join('\r\n'),
);

describe('the SMTP session of the delivery transport', () => {
  let host: TestSmtpServer | undefined;
  let scripted: ScriptedHost | undefined;
  afterEach(async () => {
    await host?.close();
    await scripted?.close();
    host = scripted = undefined;
  });

  it.each([
    ['with PIPELINING', false],
    ['without PIPELINING', true],
  ])('delivers a message whose lines start with dots byte for byte, %s', async (_label, hidePipelining) => {
    host = await TestSmtpServer.start({ hidePipelining });
    const session = await SmtpSession.open(endpoint(host.port), '127.0.0.1', TIMEOUTS, () => undefined);
    for (let i = 0; i < 3; i++) {
      const result = await session.send(ENVELOPE, DOTTED);
      expect(result.accepted).toEqual(ENVELOPE.to);
      expect(result.rejected).toEqual([]);
      expect(result.response).toMatch(/^250 /);
    }
    await session.quit();
    expect(host.received).toHaveLength(3);
    for (const mail of host.received) {
      expect(mail.envelope).toEqual(ENVELOPE);
      // smtp-server removes the stuffing and the closing dot; what remains is the message plus its final CRLF.
      expect(mail.raw.toString()).toBe(`${DOTTED.toString()}\r\n`);
    }
  });

  it('sends MAIL FROM, every RCPT TO and DATA in one write when the host offers PIPELINING', async () => {
    scripted = await ScriptedHost.start(['PIPELINING']);
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    await session.send(ENVELOPE, Buffer.from('Subject: x\r\n\r\nhello\r\n'));
    await session.quit();
    const envelopeChunk = scripted.chunks.find((chunk) => chunk.startsWith('MAIL FROM'));
    expect(envelopeChunk).toBe('MAIL FROM:<anna@kunde.ch>\r\nRCPT TO:<bob@kunde.ch>\r\nRCPT TO:<eva@kunde.ch>\r\nDATA\r\n');
    expect(scripted.chunks).toContain('Subject: x\r\n\r\nhello\r\n.\r\n');
  });

  it('without PIPELINING waits for each reply and sends DATA only after a recipient was accepted', async () => {
    scripted = await ScriptedHost.start([], (line) => (line.startsWith('RCPT') ? '550 5.1.1 no such user' : undefined));
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const error = await session.send(ENVELOPE, Buffer.from('Subject: x\r\n\r\nhello\r\n')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).details).toMatchObject({
      phase: 'rcpt',
      replyCode: 550,
      enhancedCode: '5.1.1',
      rejected: [
        { address: 'bob@kunde.ch', code: 550 },
        { address: 'eva@kunde.ch', code: 550 },
      ],
    });
    expect(scripted.lines.filter((line) => !line.startsWith('EHLO'))).toEqual([
      'MAIL FROM:<anna@kunde.ch>',
      'RCPT TO:<bob@kunde.ch>',
      'RCPT TO:<eva@kunde.ch>',
    ]);
    session.close();
  });

  it('pipelined, a host that refuses every recipient but still answers DATA with 354 gets an empty end, and the refusal is reported', async () => {
    scripted = await ScriptedHost.start(['PIPELINING'], (line) => (line.startsWith('RCPT') ? '451 4.3.0 try again later' : undefined));
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const error = (await session.send(ENVELOPE, Buffer.from('Subject: x\r\n\r\nhello\r\n')).catch((e: unknown) => e)) as DeliveryError;
    expect(error.details).toMatchObject({ phase: 'rcpt', replyCode: 451, response: '451 4.3.0 try again later' });
    expect(scripted.lines.slice(-1)).toEqual(['.']);
    expect(scripted.chunks.join('')).not.toContain('hello');
    session.close();
  });

  it('pipelined, a refused sender is reported at MAIL with the reply, after the replies of RCPT and DATA were read', async () => {
    scripted = await ScriptedHost.start(['PIPELINING'], (line) => {
      if (line.startsWith('MAIL')) return '553 5.7.1 Sender address rejected: not owned by user';
      if (line.startsWith('RCPT') || line === 'DATA') return '503 5.5.1 Error: need MAIL command';
      return undefined;
    });
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const error = (await session.send(ENVELOPE, Buffer.from('Subject: x\r\n\r\nhello\r\n')).catch((e: unknown) => e)) as DeliveryError;
    expect(error.details).toMatchObject({ phase: 'mail', replyCode: 553, enhancedCode: '5.7.1' });
    // In step: the next command's reply is its own.
    expect(scripted.unanswered()).toBe(0);
    session.close();
  });

  it('reports a connection cut before the final reply at data, after the body went out', async () => {
    scripted = await ScriptedHost.start(['PIPELINING'], (line, socket) => {
      if (line === '.') socket.destroy();
      return undefined;
    });
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const error = (await session.send(ENVELOPE, Buffer.from('Subject: x\r\n\r\nhello\r\n')).catch((e: unknown) => e)) as DeliveryError;
    expect(error.details).toMatchObject({ phase: 'data', errorCode: 'ECONNECTION' });
  });

  it('pipelines across messages: the next envelope goes out in the same write as the previous data and its dot', async () => {
    scripted = await ScriptedHost.start(['PIPELINING']);
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const sends = [1, 2, 3].map((n) => session.send({ from: 'anna@kunde.ch', to: [`r${n}@kunde.ch`] }, Buffer.from(`Subject: ${n}\r\n\r\nbody ${n}\r\n`)));
    expect(session.queued).toBe(3);
    expect((await Promise.all(sends)).map((result) => result.accepted)).toEqual([['r1@kunde.ch'], ['r2@kunde.ch'], ['r3@kunde.ch']]);
    await session.quit();
    expect(scripted.chunks).toContain('Subject: 1\r\n\r\nbody 1\r\n.\r\nMAIL FROM:<anna@kunde.ch>\r\nRCPT TO:<r2@kunde.ch>\r\nDATA\r\n');
    expect(scripted.chunks).toContain('Subject: 2\r\n\r\nbody 2\r\n.\r\nMAIL FROM:<anna@kunde.ch>\r\nRCPT TO:<r3@kunde.ch>\r\nDATA\r\n');
    expect(scripted.chunks).toContain('Subject: 3\r\n\r\nbody 3\r\n.\r\n');
  });

  it('lets a message queued a few promise turns after the previous one was answered ride along with the data before it', async () => {
    // A host that answers what one read brought in one write, as Postfix does: the previous
    // message's 250 and this one's MAIL, RCPT and DATA replies arrive together.
    scripted = await ScriptedHost.start(['PIPELINING'], (line, socket) => {
      if (line === '.') {
        socket.cork();
        process.nextTick(() => socket.uncork());
      }
      return undefined;
    });
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const message = (n: number) => session.send({ from: 'anna@kunde.ch', to: [`r${n}@kunde.ch`] }, Buffer.from(`Subject: ${n}\r\n\r\nbody ${n}\r\n`));
    // As the dispatcher does: the first answer frees a slot, and the next message follows after some promise turns.
    const later = (turns: number): Promise<unknown> => (turns === 0 ? message(3) : Promise.resolve().then(() => later(turns - 1)));
    const third = message(1).then(() => later(10));
    await Promise.all([message(2), third]);
    await session.quit();
    expect(scripted.chunks).toContain('Subject: 2\r\n\r\nbody 2\r\n.\r\nMAIL FROM:<anna@kunde.ch>\r\nRCPT TO:<r3@kunde.ch>\r\nDATA\r\n');
    expect(scripted.chunks.filter((chunk) => chunk.startsWith('MAIL FROM'))).toHaveLength(1);
  });

  it('a message refused after its data does not hold up the one pipelined behind it', async () => {
    let dots = 0;
    scripted = await ScriptedHost.start(['PIPELINING'], (line) => (line === '.' && dots++ === 0 ? '550 5.6.0 content refused' : undefined));
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const [first, second] = await Promise.allSettled(
      [1, 2].map((n) => session.send({ from: 'anna@kunde.ch', to: [`r${n}@kunde.ch`] }, Buffer.from(`Subject: ${n}\r\n\r\nbody\r\n`))),
    );
    expect(failureOf(first)).toMatchObject({ phase: 'data', replyCode: 550 });
    expect(second).toMatchObject({ status: 'fulfilled', value: { accepted: ['r2@kunde.ch'] } });
    expect(scripted.lines).not.toContain('RSET');
    await session.quit();
  });

  it('after a transaction refused before its data, the next message starts with RSET', async () => {
    scripted = await ScriptedHost.start(['PIPELINING'], (line) =>
      line === 'RCPT TO:<r1@kunde.ch>'
        ? '550 5.1.1 no such user'
        : line === 'DATA' && !scripted!.lines.includes('RCPT TO:<r2@kunde.ch>')
          ? '554 5.5.1 no valid recipients'
          : undefined,
    );
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const [first, second] = await Promise.allSettled(
      [1, 2].map((n) => session.send({ from: 'anna@kunde.ch', to: [`r${n}@kunde.ch`] }, Buffer.from(`Subject: ${n}\r\n\r\nbody\r\n`))),
    );
    expect(failureOf(first)).toMatchObject({ phase: 'rcpt', replyCode: 550 });
    expect(second).toMatchObject({ status: 'fulfilled', value: { accepted: ['r2@kunde.ch'] } });
    const transaction = scripted.lines.filter((line) => !line.startsWith('EHLO') && line !== 'QUIT');
    expect(transaction.slice(0, 4)).toEqual(['MAIL FROM:<anna@kunde.ch>', 'RCPT TO:<r1@kunde.ch>', 'DATA', 'RSET']);
    await session.quit();
  });

  it('a connection cut after a message fails the one pipelined behind it at MAIL, without a reply (safe to send again)', async () => {
    scripted = await ScriptedHost.start(['PIPELINING'], (line, socket) => {
      if (line === '.') socket.destroy();
      return undefined;
    });
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    const [first, second] = await Promise.allSettled(
      [1, 2].map((n) => session.send({ from: 'anna@kunde.ch', to: [`r${n}@kunde.ch`] }, Buffer.from(`Subject: ${n}\r\n\r\nbody\r\n`))),
    );
    expect(failureOf(first)).toMatchObject({ phase: 'data', errorCode: 'ECONNECTION' });
    expect(failureOf(second)).toMatchObject({ phase: 'mail', errorCode: 'ECONNECTION' });
    expect(failureOf(second).replyCode).toBeUndefined();
  });

  it('falls back to HELO for a host that does not know EHLO, and sends without pipelining', async () => {
    scripted = await ScriptedHost.start([], (line) => (line.startsWith('EHLO') ? '502 5.5.2 command not recognized' : undefined));
    const session = await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', TIMEOUTS, () => undefined);
    await session.send({ from: 'anna@kunde.ch', to: ['bob@kunde.ch'] }, Buffer.from('Subject: x\r\n\r\nhello\r\n'));
    await session.quit();
    expect(scripted.lines.filter((line) => /^(EHLO|HELO|MAIL|RCPT|DATA|QUIT)/.test(line)).map((line) => line.slice(0, 4))).toEqual([
      'EHLO',
      'HELO',
      'MAIL',
      'RCPT',
      'DATA',
      'QUIT',
    ]);
  });

  it('refuses a host that sends more after its STARTTLS reply (injected in clear), before the handshake and the login', async () => {
    scripted = await ScriptedHost.start(['STARTTLS', 'AUTH PLAIN'], (line) => (line === 'STARTTLS' ? '220 2.0.0 go ahead\r\n250 injected' : undefined));
    const error = (await SmtpSession.open(
      endpoint(scripted.port, { security: 'starttls', username: 'kos', password: 'secret-pw' }),
      '127.0.0.1',
      TIMEOUTS,
      () => undefined,
    ).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.details).toMatchObject({ phase: 'tls', errorCode: 'EPROTOCOL' });
    expect(scripted.lines.filter((line) => line.startsWith('AUTH'))).toEqual([]);
  });

  it('a greeting that never comes fails at connect after the greeting timeout', async () => {
    scripted = await ScriptedHost.start([], undefined, { silent: true });
    const started = Date.now();
    const error = (await SmtpSession.open(endpoint(scripted.port), '127.0.0.1', { ...TIMEOUTS, greetingTimeoutMs: 300 }, () => undefined).catch(
      (e: unknown) => e,
    )) as DeliveryError;
    expect(error.details).toMatchObject({ phase: 'connect', errorCode: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

function failureOf(result: PromiseSettledResult<unknown> | undefined): DeliveryError['details'] {
  if (result?.status !== 'rejected') throw new Error(`expected the send to fail, it ${result?.status ?? 'did not run'}`);
  return (result.reason as DeliveryError).details;
}

describe('dataOf', () => {
  it.each([
    ['a: b\r\n\r\nplain\r\n', 'a: b\r\n\r\nplain\r\n.\r\n'],
    ['a: b\r\n\r\nno final line break', 'a: b\r\n\r\nno final line break\r\n.\r\n'],
    ['.starts with a dot\r\n', '..starts with a dot\r\n.\r\n'],
    ['x\r\n.\r\n..\r\n. y\r\n', 'x\r\n..\r\n...\r\n.. y\r\n.\r\n'],
    ['a.b\r\nc .d\r\n', 'a.b\r\nc .d\r\n.\r\n'],
  ])('stuffs %j', (raw, data) => {
    expect(dataOf(Buffer.from(raw)).toString()).toBe(data);
  });
});
