import { describe, expect, it } from 'vitest';
import { isPlainAddress } from '../../../src/shared/mail/address';
import { HOSTILE_ADDRESSES, TRICKY_VALID_ADDRESSES } from '../../support/hostileInput';

describe('isPlainAddress', () => {
  it('refuses every address of the attack corpus', () => {
    expect(HOSTILE_ADDRESSES.filter(isPlainAddress)).toEqual([]);
  });

  it('refuses a local part shaped like an RFC 2047 encoded-word, which header decoders turn into another address', () => {
    expect(isPlainAddress('=?utf-8?q?evil=40attacker.example?=@kunde.ch')).toBe(false);
    expect(isPlainAddress('a=?b@kunde.ch')).toBe(false);
    expect(isPlainAddress('a=b?c@kunde.ch')).toBe(true);
  });

  it('accepts plain addresses with the unusual but harmless atext characters and punycode domains', () => {
    expect(TRICKY_VALID_ADDRESSES.filter((address) => !isPlainAddress(address))).toEqual([]);
  });
});
