import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../src/shared/messages/codes';
import { message, render, wrapping } from '../../../src/shared/messages/message';

const SOURCE = join(__dirname, '../../../src');
const HELPERS = ['message', 'text', 'rule', 'fieldError', 'wrapping', 'withReply'];
/** problem(type, title, status, code): the type names the category, the code comes after the status. */
const PROBLEM = /\bproblem\('[^']*', '[^']*', \d+, '([^']+)'/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'console' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every snake_case string literal handed to one of the message helpers in the service's source. */
function emittedCodes(): Array<{ file: string; code: string }> {
  const call = new RegExp(`\\b(?:${HELPERS.join('|')})\\(([^()]*)`, 'g');
  const found: Array<{ file: string; code: string }> = [];
  for (const file of sourceFiles(SOURCE)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(PROBLEM)) found.push({ file: file.slice(SOURCE.length + 1), code: match[1]! });
    for (const match of source.matchAll(call)) {
      if (match[0].startsWith('problem')) continue;
      for (const literal of match[1]!.matchAll(/'([a-z][a-z0-9]*(?:_[a-z0-9]+)+)'/g)) found.push({ file: file.slice(SOURCE.length + 1), code: literal[1]! });
    }
  }
  return found;
}

describe('the message registry', () => {
  it('has an entry for every code the source hands to a message helper', () => {
    const emitted = emittedCodes();
    expect(emitted.length).toBeGreaterThan(100);
    // _no_reply variants are built from their base code in classifyFailure
    const missing = emitted.filter(({ code }) => !(code in MESSAGES) && !(`${code}_no_reply` in MESSAGES));
    expect(missing).toEqual([]);
  });

  it('names every placeholder of a template among its params, and every param in its template', () => {
    for (const [code, { en, params }] of Object.entries(MESSAGES)) {
      expect(code, code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      const placeholders = [...en.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      // {cause} is filled from causeCode (see wrapping())
      const expected = new Set(placeholders.map((name) => (name === 'cause' ? 'causeCode' : name)));
      expect([...new Set(params)].sort(), code).toEqual([...expected].sort());
    }
  });

  it('renders a template with its params, and wraps a cause with its code and params', () => {
    expect(render('alert_sender_not_allowed', { address: 'kos@other.ch', allowedSenders: '*@kunde.ch' })).toBe(
      'kos@other.ch is not allowed as sender by mail.allowedSenders (*@kunde.ch); use an address these patterns cover or add it to mail.allowedSenders',
    );
    const cause = message('temporary_failure', { phase: 'data', reply: '452 4.2.2 Mailbox full' });
    expect(wrapping('gave_up', { attempts: 4 }, cause)).toEqual({
      code: 'gave_up',
      params: { phase: 'data', reply: '452 4.2.2 Mailbox full', attempts: 4, causeCode: 'temporary_failure' },
      message: 'gave up after 4 tries: temporary failure at data (the host answered: 452 4.2.2 Mailbox full)',
    });
  });
});
