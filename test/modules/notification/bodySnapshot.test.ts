import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { BodyTemplate } from '../../../src/modules/notification/domain/BodySnapshot';
import type { OutboxMessage } from '../../../src/modules/notification/domain/OutboxMessage';
import { MimeMessageComposer } from '../../../src/modules/notification/infrastructure/MimeMessageComposer';

const greeting: BodyTemplate = {
  name: 'greeting',
  render: (data) => {
    const { name } = data as { name: string };
    return { text: `Grüezi ${name}`, html: `<p>Grüezi <b>${name}</b></p>` };
  },
};

function stored(overrides: Partial<OutboxMessage>): OutboxMessage {
  return {
    id: 'msg_1',
    tenantId: 'kunde',
    kind: 'digest',
    status: 'sending',
    attempts: 1,
    interruptions: 0,
    from: { address: 'kos@kunde.ch' },
    envelopeFrom: 'kos@kunde.ch',
    to: [{ address: 'beat@kunde.ch' }],
    cc: [],
    subject: 'Fristen',
    text: '',
    senderRewritten: false,
    autoSubmitted: true,
    messageId: '<1@kunde.ch>',
    nextAttemptAt: new Date('2027-03-10T10:00:00Z'),
    createdAt: new Date('2027-03-10T10:00:00Z'),
    ...overrides,
  };
}

describe('a body stored as a snapshot', () => {
  const composer = new MimeMessageComposer([greeting]);

  it('is rendered by its template when the message is composed', async () => {
    const raw = composer.compose(stored({ snapshot: { template: 'greeting', data: { name: 'Beat' } } }), { alertSenderAddress: 'kos@kunde.ch' });
    const mail = await simpleParser(raw);
    expect(mail.text?.trim()).toBe('Grüezi Beat');
    expect(mail.html).toContain('<p>Grüezi <b>Beat</b></p>');
  });

  it('leaves a rendered body as it is', async () => {
    const mail = await simpleParser(composer.compose(stored({ kind: 'comment', text: 'Bitte prüfen.' }), { alertSenderAddress: 'kos@kunde.ch' }));
    expect(mail.text?.trim()).toBe('Bitte prüfen.');
    expect(mail.html).toBe(false);
  });

  it('names a template no module provides instead of sending an empty mail', () => {
    expect(() => composer.compose(stored({ snapshot: { template: 'invoice', data: {} } }), { alertSenderAddress: 'kos@kunde.ch' })).toThrow(
      'no template "invoice" renders this stored body',
    );
  });
});
