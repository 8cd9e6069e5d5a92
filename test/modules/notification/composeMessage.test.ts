import fc from 'fast-check';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../src/modules/notification/domain/OutboxMessage';
import { composeMessage } from '../../../src/modules/notification/infrastructure/composeMessage';

function stored(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: 'msg_1',
    tenantId: 'kunde',
    kind: 'comment',
    status: 'sending',
    attempts: 1,
    interruptions: 0,
    from: { name: 'Anna Meier', address: 'anna.meier@kunde.ch' },
    envelopeFrom: 'anna.meier@kunde.ch',
    to: [{ name: 'Beat Keller', address: 'beat.keller@kunde.ch' }],
    cc: [],
    subject: 'Neuer Kommentar',
    text: 'Bitte bis Freitag erledigen.',
    senderRewritten: false,
    autoSubmitted: false,
    messageId: '<0f8fad5b-d9cb-469f-a165-70867728950e@kunde.ch>',
    nextAttemptAt: new Date('2027-03-10T10:00:00Z'),
    createdAt: new Date('2027-03-10T10:00:00Z'),
    ...overrides,
  };
}

async function parse(message: OutboxMessage): Promise<{ mail: ParsedMail; raw: string }> {
  const raw = composeMessage(message, { alertSenderAddress: 'kos@kunde.ch' });
  return { mail: await simpleParser(raw), raw: raw.toString('utf8') };
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((object) => object.value.map(({ name, address }) => ({ name, address })));

describe('composeMessage', () => {
  it('writes the headers and text a mail client reads back', async () => {
    const { mail, raw } = await parse(stored({ cc: [{ address: 'chef@kunde.ch' }], replyTo: { name: 'Anna Meier', address: 'anna@privat.ch' } }));
    expect(addresses(mail.from)).toEqual([{ name: 'Anna Meier', address: 'anna.meier@kunde.ch' }]);
    expect(addresses(mail.replyTo)).toEqual([{ name: 'Anna Meier', address: 'anna@privat.ch' }]);
    expect(addresses(mail.to)).toEqual([{ name: 'Beat Keller', address: 'beat.keller@kunde.ch' }]);
    expect(addresses(mail.cc)).toEqual([{ name: '', address: 'chef@kunde.ch' }]);
    expect(mail.subject).toBe('Neuer Kommentar');
    expect(mail.messageId).toBe('<0f8fad5b-d9cb-469f-a165-70867728950e@kunde.ch>');
    expect(mail.date?.toISOString()).toBe('2027-03-10T10:00:00.000Z');
    expect(mail.text?.trim()).toBe('Bitte bis Freitag erledigen.');
    expect(mail.html).toBe(false);
    expect(mail.headers.get('x-kos-tenant')).toBe('kunde');
    expect(raw).toMatch(/^List-Id: <kunde\.kos-notify\.kunde\.ch>\r$/m);
    expect(mail.headers.has('auto-submitted')).toBe(false);
    expect(raw).toMatch(/^MIME-Version: 1\.0\r$/m);
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('sends text and HTML as alternatives, with umlauts, long lines and a leading dot intact', async () => {
    const text = `Grüezi Beat,\n.\n${'Die Lieferung ist unvollständig. '.repeat(20)}\r\n-- \nKOS`;
    const html = `<p>Grüezi <b>Beat</b></p>\n<p>${'lang '.repeat(100)}</p>`;
    const { mail } = await parse(stored({ text, html }));
    expect(mail.text).toBe(text.replace(/\r\n/g, '\n'));
    expect(mail.html).toBe(html);
  });

  it('encodes display names, subjects and ticket ids that are not plain ASCII', async () => {
    const subject = `Lieferung prüfen: «Paletten» für Zürich — ${'ä'.repeat(60)} ende`;
    const { mail, raw } = await parse(
      stored({
        from: { name: 'Müller, Hans "der Chef" via KOS', address: 'kos@kunde.ch' },
        to: [{ name: 'Meier, Anna', address: 'anna@kunde.ch' }, { name: 'Zoë Ünal', address: 'zoe@kunde.ch' }, { address: 'x@kunde.ch' }],
        subject,
        ticket: { id: 'T 4712/ä' },
        autoSubmitted: true,
      }),
    );
    expect(addresses(mail.from)).toEqual([{ name: 'Müller, Hans "der Chef" via KOS', address: 'kos@kunde.ch' }]);
    expect(addresses(mail.to)).toEqual([
      { name: 'Meier, Anna', address: 'anna@kunde.ch' },
      { name: 'Zoë Ünal', address: 'zoe@kunde.ch' },
      { name: '', address: 'x@kunde.ch' },
    ]);
    expect(mail.subject).toBe(subject);
    expect(mail.inReplyTo).toBe('<ticket.T=204712/=C3=A4.kunde@kunde.ch>');
    expect(mail.references).toBe('<ticket.T=204712/=C3=A4.kunde@kunde.ch>');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(raw).toMatch(/^X-KOS-Ticket: =\?UTF-8\?[QB]\?/m);
    expect(/^[\x00-\x7f]*$/.test(raw.slice(0, raw.indexOf('\r\n\r\n')))).toBe(true);
    expect(
      raw
        .slice(0, raw.indexOf('\r\n\r\n'))
        .split('\r\n')
        .every((line) => line.length <= 78),
    ).toBe(true);
  });

  it('round-trips any name, subject and text through a parser', async () => {
    const line = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 120 })
      .filter((value) => !/[\r\n\u2028\u2029\0]/.test(value) && value.trim() === value && value.trim().length > 0);
    await fc.assert(
      fc.asyncProperty(
        line,
        line,
        fc.string({ unit: 'grapheme', maxLength: 400 }).filter((value) => !value.includes('\0')),
        fc.boolean(),
        async (name, subject, text, withHtml) => {
          const { mail } = await parse(
            stored({ from: { name, address: 'a@kunde.ch' }, subject, text: `${text}\n`, html: withHtml ? `<p>${text}</p>` : undefined }),
          );
          expect(addresses(mail.from)[0]!.name.replace(/\s+/g, ' ')).toBe(name.replace(/\s+/g, ' '));
          expect(mail.subject?.replace(/\s+/g, ' ')).toBe(subject.replace(/\s+/g, ' '));
          expect(mail.text).toBe(`${text.replace(/\r\n|\r/g, '\n')}\n`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
