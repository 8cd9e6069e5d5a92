import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../src/modules/notification/domain/OutboxMessage';
import { ticketThreadRoot } from '../../../src/modules/notification/domain/threading';
import { composeMessage } from '../../../src/modules/notification/infrastructure/composeMessage';

/** RFC 5322 §2.1.1: a line, CRLF excluded, must not be longer than 998 octets. */
const MAX_LINE_OCTETS = 998;

/** Single-line strings up to the API's limit (UTF-16 code units), ASCII, any Unicode, or one repeated wide character. */
const apiLine = (max: number) =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: max }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: max }),
      fc.constantFrom('ä', '€', '😀', '"', '\\', '=', ' ', 'x').map((char) => char.repeat(Math.floor(max / char.length))),
    )
    .map((value) => value.slice(0, max))
    .filter((value) => value.length > 0 && !/[\r\n\u2028\u2029\0]/.test(value));

/** A label of up to 63 characters; a domain up to 253. */
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => `${labels.join('.')}.ch`.slice(-253).replace(/^[.-]+/, ''));
const tenantId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/);

function headerLines(raw: Buffer): Buffer[] {
  const text = raw.toString('latin1');
  return text
    .slice(0, text.indexOf('\r\n\r\n'))
    .split('\r\n')
    .map((line) => Buffer.from(line, 'latin1'));
}

function stored(fields: { tenantId: string; ticketId: string; name: string; subject: string; recipients: number }): OutboxMessage {
  const person = (i: number) => ({ name: fields.name, address: `empfaenger${i}@kunde.ch` });
  return {
    id: 'msg_1',
    tenantId: fields.tenantId,
    kind: 'comment',
    status: 'sending',
    attempts: 1,
    interruptions: 0,
    from: { name: fields.name, address: 'anna@kunde.ch' },
    replyTo: { name: fields.name, address: 'anna@privat.ch' },
    envelopeFrom: 'anna@kunde.ch',
    to: Array.from({ length: fields.recipients }, (_, i) => person(i)),
    cc: [person(999)],
    subject: fields.subject,
    text: 'x',
    ticket: { id: fields.ticketId },
    senderRewritten: false,
    autoSubmitted: true,
    messageId: '<0f8fad5b-d9cb-469f-a165-70867728950e@kunde.ch>',
    nextAttemptAt: new Date('2027-03-10T10:00:00Z'),
    createdAt: new Date('2027-03-10T10:00:00Z'),
  };
}

describe('header lines', () => {
  it('stay within 998 octets for any ticket id, name and subject the API accepts', () => {
    fc.assert(
      fc.property(
        tenantId,
        apiLine(200),
        apiLine(200),
        apiLine(200),
        fc.integer({ min: 1, max: 49 }),
        domain,
        (tenant, ticketId, name, subject, recipients, alertDomain) => {
          const raw = composeMessage(stored({ tenantId: tenant, ticketId, name, subject, recipients }), { alertSenderAddress: `kos@${alertDomain}` });
          const longest = Math.max(...headerLines(raw).map((line) => line.length));
          expect(longest).toBeLessThanOrEqual(MAX_LINE_OCTETS);
        },
      ),
    );
  });

  it('give every mail of a ticket the same short thread root, and different tickets different roots', () => {
    fc.assert(
      fc.property(apiLine(200), apiLine(200), tenantId, domain, (ticketId, otherTicketId, tenant, alertDomain) => {
        const root = ticketThreadRoot(ticketId, tenant, `kos@${alertDomain}`);
        const compose = (subject: string) => {
          const raw = composeMessage(stored({ tenantId: tenant, ticketId, name: 'Anna', subject, recipients: 1 }), {
            alertSenderAddress: `kos@${alertDomain}`,
          }).toString('latin1');
          // Unfolded (RFC 5322 §2.2.3: a CRLF before white space is removed).
          const fields = raw
            .slice(0, raw.indexOf('\r\n\r\n'))
            .replace(/\r\n(?=[ \t])/g, '')
            .split('\r\n');
          return fields.filter((line) => /^(In-Reply-To|References):/.test(line)).map((line) => line.replace(/:\s+/, ': '));
        };
        expect(compose('Erster Kommentar')).toEqual([`In-Reply-To: ${root}`, `References: ${root}`]);
        expect(compose('Zweiter Kommentar')).toEqual(compose('Erster Kommentar'));
        expect(root).toMatch(/^<ticket(-sha256)?\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9.-]+>$/);
        expect(root.length).toBeLessThanOrEqual('<ticket-sha256.>'.length + 64 + 1 + 63 + 1 + 253);
        if (otherTicketId !== ticketId) expect(ticketThreadRoot(otherTicketId, tenant, `kos@${alertDomain}`)).not.toBe(root);
      }),
    );
  });

  it('keeps the root of a short ticket id as it was, and hashes a long one', () => {
    expect(ticketThreadRoot('T 4712/ä', 'kunde', 'kos@kunde.ch')).toBe('<ticket.T=204712/=C3=A4.kunde@kunde.ch>');
    const long = ticketThreadRoot('ä'.repeat(200), 'kunde', 'kos@kunde.ch');
    expect(long).toMatch(/^<ticket-sha256\.[0-9a-f]{32}\.kunde@kunde\.ch>$/);
    expect(ticketThreadRoot('ä'.repeat(200), 'kunde', 'kos@kunde.ch')).toBe(long);
    expect(ticketThreadRoot(`${'ä'.repeat(199)}ö`, 'kunde', 'kos@kunde.ch')).not.toBe(long);
  });
});
