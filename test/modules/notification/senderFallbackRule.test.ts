import { describe, expect, it } from 'vitest';
import { canFallBack, rewriteRefusedSender } from '../../../src/modules/notification/domain/senderFallback';

const tenant = { alertSender: { address: 'kos@agis.ch' }, mail: { allowedSenders: ['*@agis.ch', '*@gmail.com'] } };
const bobsMail = {
  kind: 'comment' as const,
  from: { name: 'Bob Muster', address: 'bob@gmail.com' },
  envelopeFrom: 'bob@gmail.com',
  senderRewritten: false,
  messageId: '<msg_1@gmail.com>',
};
const reply = '553 5.7.1 <bob@gmail.com>: Sender address rejected: not owned by user relay@agis.ch';

describe('the sender fallback rule', () => {
  it('rewrites a refused author to the alert address, quoting the reply and the pattern that covered the author', () => {
    expect(rewriteRefusedSender(bobsMail, tenant, { reply })).toEqual({
      from: { name: 'Bob Muster via KOS', address: 'kos@agis.ch' },
      replyTo: { name: 'Bob Muster', address: 'bob@gmail.com' },
      envelopeFrom: 'kos@agis.ch',
      senderRewritten: true,
      messageId: '<msg_1@agis.ch>',
      rewriteReason: {
        code: 'sender_refused_sent_again',
        params: { address: 'bob@gmail.com', reply, pattern: '*@gmail.com' },
        message: `the tenant's mail host refused bob@gmail.com as sender (the host answered: ${reply}) although mail.allowedSenders covers it with *@gmail.com; sent again from the alert address with bob@gmail.com as Reply-To`,
      },
    });
  });

  it('says when an earlier refusal is the reason', () => {
    const rewrite = rewriteRefusedSender(bobsMail, tenant, { reply, refusedAt: new Date('2026-12-03T04:00:00Z') })!;
    expect(rewrite.rewriteReason).toMatchObject({ code: 'sender_refused_earlier', params: { refusedAt: '2026-12-03T04:00:00.000Z', pattern: '*@gmail.com' } });
    expect(rewrite.rewriteReason.message).toContain('as sender at 2026-12-03T04:00:00.000Z');
    expect(rewrite.rewriteReason.message).toContain('for 24 hours its mail goes from the alert address');
  });

  it('has no fallback for the alert address itself, for digests and test mails, or for mail already rewritten', () => {
    expect(canFallBack({ ...bobsMail, envelopeFrom: 'KOS@agis.ch' }, tenant)).toBe(false);
    expect(canFallBack({ ...bobsMail, kind: 'digest' }, tenant)).toBe(false);
    expect(canFallBack({ ...bobsMail, kind: 'test' }, tenant)).toBe(false);
    expect(rewriteRefusedSender({ ...bobsMail, senderRewritten: true }, tenant, { reply })).toBeUndefined();
    expect(canFallBack(bobsMail, tenant)).toBe(true);
  });
});
