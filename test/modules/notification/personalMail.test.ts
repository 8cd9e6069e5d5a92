import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases';
import { createDeliveryTestApp, loopbackTenant, notificationBody, type DeliveryTestApp } from '../../support/deliveryApp';
import { TestSmtpServer } from '../../support/TestSmtpServer';

const FOOTERS = {
  de: 'Gesendet von KOS für Kunde & Söhne AG: Sie erhalten diese E-Mail, weil Sie am Ticket 4711 beteiligt sind.',
  fr: 'Envoyé par KOS pour Kunde & Söhne AG : vous recevez cet e-mail parce que vous participez au ticket 4711.',
  it: 'Inviato da KOS per Kunde & Söhne AG: riceve questa e-mail perché partecipa al ticket 4711.',
  en: 'Sent by KOS for Kunde & Söhne AG: you receive this e-mail because you take part in ticket 4711.',
} as const;

describe.each(DATABASE_KINDS)('what a personal notification shows its recipient, on %s', (kind) => {
  let t: DeliveryTestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createDeliveryTestApp(kind);
    for (const locale of Object.keys(FOOTERS) as Array<keyof typeof FOOTERS>) {
      await t.putTenant(
        `kunde-${locale}`,
        loopbackTenant({ port: smtp.port, locale, name: 'Kunde & Söhne AG', alertSender: { address: 'kos@kunde.ch' }, allowedSenders: ['*@kunde.ch'] }),
      );
    }
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function deliver(tenantId: string, body: object): Promise<ParsedMail> {
    const before = smtp.received.length;
    const response = await t.notify(tenantId, body);
    expect(response.status).toBe(202);
    const status = await t.waitForStatus(tenantId, response.body.id, ['sent', 'failed', 'parked']);
    expect(status.status).toBe('sent');
    const arrived = (await smtp.waitForMessages(before + 1)).find((mail) => mail.raw.includes(status.messageId))!;
    return smtp.parse(arrived);
  }

  const lines = (text: string | undefined) => (text ?? '').trimEnd().split('\n');

  it('ends the text with the ticket line and the footer, and links the ticket in a complete HTML document', async () => {
    const ticket = { id: '4711', title: 'Heizung Haus B', url: 'https://kos.kunde.ch/tickets/4711' };
    const mail = await deliver('kunde-de', notificationBody({ ticket, html: '<p>Bitte bis <b>Freitag</b>.</p>' }));
    expect(lines(mail.text).slice(-4)).toEqual(['Heizung Haus B (4711): https://kos.kunde.ch/tickets/4711', '', '-- ', FOOTERS.de]);
    expect(lines(mail.text)[0]).toBe('Anna Meier hat kommentiert: Bitte bis Freitag erledigen.');
    const html = mail.html as string;
    expect(html).toMatch(/^<!doctype html>\n<html lang="de"><head><meta charset="utf-8">/);
    expect(html).toMatch(/<\/body><\/html>\s*$/);
    expect(html).toContain('<p>Bitte bis <b>Freitag</b>.</p>');
    expect(html).toContain('<a href="https://kos.kunde.ch/tickets/4711">Heizung Haus B (4711)</a>');
    expect(html.indexOf('Freitag')).toBeLessThan(html.indexOf('Heizung Haus B'));
    expect(html).toContain('Gesendet von KOS für Kunde &amp; Söhne AG');
  });

  it('sends Auto-Submitted and X-Auto-Response-Suppress, so that out-of-office replies do not flood the author', async () => {
    const mail = await deliver('kunde-de', notificationBody());
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
  });

  it.each(Object.entries(FOOTERS))('writes the footer in the tenant locale %s', async (locale, footer) => {
    const mail = await deliver(`kunde-${locale}`, notificationBody({ ticket: { id: '4711', title: 'Heizung' } }));
    expect(lines(mail.text).slice(-4)).toEqual(['Heizung (4711)', '', '-- ', footer]);
    expect(mail.html).toContain(`<html lang="${locale}">`);
  });

  it('names the author as the reason without a ticket, and shows no ticket line for a bare ticket id', async () => {
    const direct = await deliver('kunde-en', notificationBody({ kind: 'message' }));
    expect(lines(direct.text).at(-1)).toBe('Sent by KOS for Kunde & Söhne AG: Anna Meier wrote you this e-mail through KOS.');
    const bare = await deliver('kunde-en', notificationBody({ ticket: { id: '4711' } }));
    expect(lines(bare.text)).toEqual(['Anna Meier hat kommentiert: Bitte bis Freitag erledigen.', '', '-- ', FOOTERS.en]);
  });

  it('escapes the text and every value of KOS in the HTML it renders', async () => {
    const mail = await deliver(
      'kunde-fr',
      notificationBody({
        text: 'a < b && "c" > d\n<script>alert(1)</script>',
        ticket: { id: '<4711>', title: '<img src=x onerror=alert(1)>', url: 'https://kos.kunde.ch/t?a=1&b="2"' },
      }),
    );
    const html = mail.html as string;
    expect(html).toContain('<p>a &lt; b &amp;&amp; &quot;c&quot; &gt; d<br>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html).toContain('<a href="https://kos.kunde.ch/t?a=1&amp;b=&quot;2&quot;">&lt;img src=x onerror=alert(1)&gt; (&lt;4711&gt;)</a>');
    expect(html).not.toMatch(/<script>|<img/);
    expect(lines(mail.text).at(-4)).toBe('<img src=x onerror=alert(1)> (<4711>): https://kos.kunde.ch/t?a=1&b="2"');
  });
});
