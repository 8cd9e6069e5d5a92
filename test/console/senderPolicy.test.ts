import { describe, expect, it } from 'vitest';
import {
  effectiveSenderPatterns,
  isPlainAddress,
  isSenderPattern,
  matchingPattern,
  parsePatterns,
  senderAllowed,
  senderRuleOf,
} from '../../src/console/senderPolicy';
import { senderAllowed as domainSenderAllowed } from '../../src/modules/tenant/domain/senderPolicy';
import { isPlainAddress as domainIsPlainAddress } from '../../src/shared/mail/address';

const POLICIES: string[][] = [[], ['*@kunde.ch'], ['kos@gmx.ch'], ['*@KUNDE.ch', 'info@other.ch'], ['*@sub.kunde.ch']];
const ADDRESSES = [
  'anna.meier@kunde.ch',
  'Anna.Meier@Kunde.CH',
  'kos@gmx.ch',
  'KOS@GMX.CH',
  'other@gmx.ch',
  'info@other.ch',
  'x@sub.kunde.ch',
  'x@evilkunde.ch',
  'x@kunde.ch.evil.com',
];

describe('console sender policy check', () => {
  it('gives the service’s answer for every policy and address', () => {
    for (const policy of POLICIES)
      for (const address of ADDRESSES) expect(senderAllowed(policy, address), `${policy.join(',')} / ${address}`).toBe(domainSenderAllowed(policy, address));
  });

  it('names the pattern that allows, case-insensitively', () => {
    expect(matchingPattern(['info@other.ch', '*@Kunde.ch'], 'ANNA@kunde.CH')).toBe('*@Kunde.ch');
    expect(matchingPattern([], 'anna@kunde.ch')).toBe('any');
    expect(matchingPattern(['*@kunde.ch'], 'anna@kunde.ch.evil.com')).toBeUndefined();
  });

  it('validates addresses like the service', () => {
    const candidates = [
      'anna@kunde.ch',
      '"a b"@kunde.ch',
      'Anna <anna@kunde.ch>',
      'a@b',
      'a@@kunde.ch',
      'a@kunde.c',
      'a@xn--bcher-kva.ch',
      'a(comment)@kunde.ch',
      `${'a'.repeat(65)}@kunde.ch`,
    ];
    for (const candidate of candidates) expect(isPlainAddress(candidate), candidate).toBe(domainIsPlainAddress(candidate));
    expect(isSenderPattern('*@kunde.ch')).toBe(true);
    expect(isSenderPattern('*@*.ch')).toBe(false);
    expect(isSenderPattern('kunde.ch')).toBe(false);
  });

  it('uses the login under gmx and the fixed sender under demo and hosted', () => {
    const form = { allowedSenders: ['*@kunde.ch'], username: 'firma@gmx.ch', fixedSender: 'kos.demo@gmx.ch' };
    expect(effectiveSenderPatterns(senderRuleOf({ name: 'custom' }), form)).toEqual(['*@kunde.ch']);
    expect(effectiveSenderPatterns(senderRuleOf({ name: 'gmx' }), form)).toEqual(['firma@gmx.ch']);
    expect(effectiveSenderPatterns(senderRuleOf({ name: 'demo' }), form)).toEqual(['kos.demo@gmx.ch']);
    expect(effectiveSenderPatterns(senderRuleOf({ name: 'hosted' }), form)).toEqual(['kos.demo@gmx.ch']);
    expect(effectiveSenderPatterns('login', { allowedSenders: [] })).toEqual([]);
  });

  it('takes the rule the service states over the preset name', () => {
    expect(senderRuleOf({ name: 'custom', senders: 'fixed' })).toBe('fixed');
    expect(senderRuleOf({ name: 'mandrill', senders: 'some prose' })).toBe('listed');
  });

  it('reads patterns one per line or comma-separated', () => {
    expect(parsePatterns(' *@kunde.ch\n\nkos@gmx.ch, info@other.ch ;')).toEqual(['*@kunde.ch', 'kos@gmx.ch', 'info@other.ch']);
  });
});
