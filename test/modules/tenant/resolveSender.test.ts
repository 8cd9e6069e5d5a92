import { describe, expect, it } from 'vitest';
import { resolveAlertSender, resolvePersonalSender } from '../../../src/modules/tenant/domain/resolveSender';
import { senderAllowed } from '../../../src/modules/tenant/domain/senderPolicy';
import type { PresetName, Tenant } from '../../../src/modules/tenant/domain/Tenant';

function tenant(preset: PresetName, allowedSenders: string[], alertSender: Tenant['alertSender']): Pick<Tenant, 'id' | 'name' | 'alertSender' | 'mail'> {
  return {
    id: 'kunde',
    name: 'Kunde AG',
    alertSender,
    mail: { preset, host: 'mail.kunde.ch', port: 587, security: 'starttls', hasPassword: true, allowedSenders },
  };
}

const anna = { name: 'Anna Meier', address: 'anna.meier@kunde.ch' };

describe('sender policy', () => {
  it('matches exact addresses and *@domain patterns case-insensitively; none listed allows any', () => {
    expect(senderAllowed(['*@kunde.ch'], 'Anna.Meier@KUNDE.ch')).toBe(true);
    expect(senderAllowed(['*@kunde.ch'], 'anna@sub.kunde.ch')).toBe(false);
    expect(senderAllowed(['*@kunde.ch'], 'anna@kunde.ch.evil.com')).toBe(false);
    expect(senderAllowed(['kos@kunde.ch'], 'KOS@kunde.ch')).toBe(true);
    expect(senderAllowed(['kos@kunde.ch'], 'anna@kunde.ch')).toBe(false);
    expect(senderAllowed([], 'anyone@anywhere.ch')).toBe(true);
  });
});

describe('sender resolution', () => {
  it('sends alerts from the alert address, named after it or after the tenant', () => {
    expect(resolveAlertSender(tenant('custom', ['*@kunde.ch'], { address: 'kos@kunde.ch', name: 'KOS Kunde' }))).toEqual({
      from: { name: 'KOS Kunde', address: 'kos@kunde.ch' },
      envelopeFrom: 'kos@kunde.ch',
      senderRewritten: false,
    });
    expect(resolveAlertSender(tenant('hosted', ['kos@gmx.ch'], { address: 'kos@gmx.ch' })).from).toEqual({ name: 'Kunde AG', address: 'kos@gmx.ch' });
  });

  it.each([
    ['custom', ['*@kunde.ch'], 'anna.meier@kunde.ch'],
    ['custom', [], 'anna.meier@kunde.ch'],
    ['custom', ['*@kunde.ch'], 'Anna.Meier@Kunde.CH'],
    ['mandrill', ['*@kunde.ch'], 'anna.meier@kunde.ch'],
  ] as const)('sends as the author under %s %j when %s is allowed', (preset, patterns, address) => {
    const decision = resolvePersonalSender(tenant(preset, [...patterns], { address: 'kos@kunde.ch' }), { ...anna, address });
    expect(decision).toEqual({ from: { name: 'Anna Meier', address }, envelopeFrom: address, senderRewritten: false });
  });

  it.each([
    ['custom', ['*@kunde.ch'], { address: 'kos@kunde.ch' }, 'mail.allowedSenders', 'sender_rewritten_policy'],
    ['mandrill', ['*@kunde.ch'], { address: 'kos@kunde.ch' }, 'mail.allowedSenders', 'sender_rewritten_policy'],
    ['hosted', ['kos@gmx.ch'], { address: 'kos@gmx.ch' }, 'hosted mail service sends only as kos@gmx.ch', 'sender_rewritten_hosted'],
    ['gmx', ['kos.kunde@gmx.ch'], { address: 'kos.kunde@gmx.ch' }, 'GMX mailbox sends only as its own address kos.kunde@gmx.ch', 'sender_rewritten_mailbox'],
    ['demo', ['kos.demo@gmx.ch'], { address: 'kos.demo@gmx.ch' }, 'GMX mailbox sends only as its own address kos.demo@gmx.ch', 'sender_rewritten_mailbox'],
  ] as const)('rewrites under %s %j to the alert address with Reply-To the author', (preset, patterns, alertSender, reason, code) => {
    const author = { name: 'Anna Meier', address: 'anna.meier@other.ch' };
    const decision = resolvePersonalSender(tenant(preset, [...patterns], alertSender), author);
    expect(decision).toMatchObject({
      from: { name: 'Anna Meier via KOS', address: alertSender.address },
      replyTo: author,
      envelopeFrom: alertSender.address,
      senderRewritten: true,
    });
    expect(decision.rewriteReason?.message).toContain(reason);
    expect(decision.rewriteReason).toMatchObject({ code, params: { allowedSenders: patterns.join(', '), address: author.address } });
  });
});
