import type { OutgoingMail } from '../src/modules/notification/domain/OutgoingMail';

/** A typical personal notification after sender resolution: text and HTML, umlauts, a ticket. */
export function benchMail(tenantId: string, index: number): OutgoingMail {
  const domain = `${tenantId}.ch`;
  return {
    tenantId,
    kind: 'comment',
    from: { name: 'Anna Meier', address: `anna.meier@${domain}` },
    envelopeFrom: `anna.meier@${domain}`,
    to: [{ name: 'Beat Keller', address: `beat.keller@${domain}` }],
    cc: [],
    subject: `Neuer Kommentar zu Ticket 4711: Lieferung prüfen (${index})`,
    text: TEXT,
    html: HTML,
    ticket: { id: '4711', title: 'Lieferung prüfen', url: 'https://kos.example.ch/tickets/4711' },
    senderRewritten: false,
    autoSubmitted: false,
  };
}

const TEXT =
  'Anna Meier hat das Ticket 4711 «Lieferung prüfen» kommentiert:\n\n' +
  'Grüezi Beat, die Lieferung vom Montag ist unvollständig: es fehlen zwei Paletten mit Ersatzteilen. ' +
  'Bitte kläre bis Freitag mit dem Spediteur, wann der Rest kommt, und trage das Datum im Ticket ein.\n\n' +
  'Ticket öffnen: https://kos.example.ch/tickets/4711\n\n-- \nKOS, Ihr Ticket- und Auftragssystem\n';

const HTML =
  '<!doctype html><html><body style="font-family:sans-serif">' +
  '<p><b>Anna Meier</b> hat das Ticket <a href="https://kos.example.ch/tickets/4711">4711 «Lieferung prüfen»</a> kommentiert:</p>' +
  '<blockquote>Grüezi Beat, die Lieferung vom Montag ist unvollständig: es fehlen zwei Paletten mit Ersatzteilen. ' +
  'Bitte kläre bis Freitag mit dem Spediteur, wann der Rest kommt, und trage das Datum im Ticket ein.</blockquote>' +
  '<p style="color:#666">KOS, Ihr Ticket- und Auftragssystem</p></body></html>';
