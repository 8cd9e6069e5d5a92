import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactReply } from '../../../src/shared/smtp/redactReply';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const PASSWORD = 'Canary-Pw-3f9c1e7a-Zürich!';

/** Every base64 run of the text, decoded at each alignment: what a reader of the stored text could recover. */
function decodedRuns(text: string): Buffer[] {
  // The marker's own letters are a base64 run too; what it replaced is what counts.
  return [...text.replaceAll('[redacted]', ' ').matchAll(/[A-Za-z0-9+/_-]{2,}={0,2}/g)].flatMap((match) =>
    [0, 1, 2, 3].map((shift) => Buffer.from(match[0].slice(shift), 'base64')),
  );
}

function leaks(text: string, secret: string): boolean {
  const bytes = Buffer.from(secret, 'utf8');
  return text.includes(secret) || decodedRuns(text).some((decoded) => decoded.includes(bytes));
}

describe('redacting host replies', () => {
  it.each([
    ['the AUTH PLAIN triple echoed by a 535', `5.7.8 Authentication failed for ${b64(`\0kos@kunde.ch\0${PASSWORD}`)}`],
    ['Sendmail echoing the whole AUTH PLAIN line', `5.5.1 Command unrecognized: "AUTH PLAIN ${b64(`\0kos\0${PASSWORD}`)}"`],
    ['the password in plain', `5.7.8 bad password ${PASSWORD} for kos`],
    ['the password in base64 (AUTH LOGIN)', `5.5.1 Command unrecognized: "${b64(PASSWORD)}"`],
    ['the triple glued to text before it', `5.7.8 failed:x${b64(`\0kos\0${PASSWORD}`)}`],
    ['the triple in base64url', `5.7.8 failed ${b64(`\0k\0${PASSWORD}`).replace(/\+/g, '-').replace(/\//g, '_')}`],
  ])('%s', (_label, line) => {
    const redacted = redactReply(line, [PASSWORD]);
    expect(redacted).toContain('[redacted]');
    expect(leaks(redacted, PASSWORD)).toBe(false);
    expect(redacted.slice(0, 5)).toBe(line.slice(0, 5));
  });

  it('removes any 8 characters of the password in a row, as a host that truncates its echo leaves them', () => {
    const echo = b64(`\0kos@kunde.ch\0${PASSWORD}`);
    for (let cut = 24; cut < echo.length; cut++) {
      const redacted = redactReply(`5.5.1 unrecognized: "AUTH PLAIN ${echo.slice(0, cut)}..."`, [PASSWORD]);
      for (let i = 0; i + 8 <= PASSWORD.length; i++) expect(leaks(redacted, PASSWORD.slice(i, i + 8))).toBe(false);
    }
    expect(redactReply(`5.7.8 no: ${PASSWORD.slice(3, 14)}`, [PASSWORD])).toBe('5.7.8 no: [redacted]');
  });

  it('takes every secret of the session: an XOAUTH2 token, and the AUTH LOGIN lines as sent', () => {
    const token = 'ya29.a0AfH6SMBx-token-0123456789';
    const xoauth = b64(`user=anna@kunde.ch\x01auth=Bearer ${token}\x01\x01`);
    expect(leaks(redactReply(`5.7.8 Username and Password not accepted: ${xoauth}`, [PASSWORD, token]), token)).toBe(false);
    const loginUser = b64('kos@kunde.ch');
    expect(redactReply(`5.5.1 Command unrecognized: "${loginUser}"`, [PASSWORD], [loginUser])).toBe('5.5.1 Command unrecognized: "[redacted]"');
  });

  it('leaves replies without a secret as they are', () => {
    for (const line of [
      '2.0.0 Ok: queued as 4Xy7Rq1B9zKmN2pL',
      'smtp.kunde.ch ESMTP Postfix (Debian/GNU)',
      '5.7.1 <anna@kunde.ch>: Sender address rejected: not owned by user kos@kunde.ch',
      'AUTH PLAIN LOGIN XOAUTH2',
      '',
    ]) {
      expect(redactReply(line, [PASSWORD, 'ya29.a0AfH6SMBx-token'])).toBe(line);
    }
    expect(redactReply('5.7.8 Authentication failed', [])).toBe('5.7.8 Authentication failed');
  });

  it('never lets the password, its base64 or the PLAIN triple through, whatever the password, login, alignment and echo', () => {
    const password = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }).filter((value) => !value.includes('\0'));
    const login = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).filter((value) => !value.includes('\0'));
    const around = fc.string({ unit: 'grapheme-ascii', maxLength: 30 });
    fc.assert(
      fc.property(
        password,
        login,
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('plain', 'login', 'triple', 'literal'),
        around,
        around,
        (secret, user, glue, form, before, after) => {
          const echo = { plain: b64(`\0${user}\0${secret}`), triple: b64(`${user}\0${user}\0${secret}`), login: b64(secret), literal: secret }[form];
          // `glue` base64 letters before the echo shift where its quanta start inside the run.
          const line = `${before}: "${'Q'.repeat(glue)}${echo}" ${after}`;
          const redacted = redactReply(line, [secret]);
          const bytes = Buffer.from(secret, 'utf8');
          expect(decodedRuns(redacted).some((decoded) => decoded.includes(bytes))).toBe(false);
          expect(redacted.includes(b64(secret))).toBe(false);
          expect(redacted.includes(b64(`\0${user}\0${secret}`))).toBe(false);
          if ([...secret].length >= 4) expect(redacted.includes(secret)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
