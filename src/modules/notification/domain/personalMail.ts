import { escapeHtml, htmlDocument, webLink } from '../../../shared/mail/html';
import type { Locale } from '../../tenant/domain/Tenant';

export interface PersonalMailContent {
  locale: Locale;
  tenantName: string;
  authorName: string;
  subject: string;
  text: string;
  /** HTML from KOS: a fragment or a whole document. */
  html?: string;
  ticket?: { id: string; title?: string; url?: string };
}

/** Why the recipient gets the mail: the one footer line, in the tenant's language. */
const FOOTER: Record<Locale, { ticket: string; direct: string }> = {
  de: {
    ticket: 'Gesendet von KOS für {tenant}: Sie erhalten diese E-Mail, weil Sie am Ticket {ticket} beteiligt sind.',
    direct: 'Gesendet von KOS für {tenant}: {author} hat Ihnen diese E-Mail über KOS geschrieben.',
  },
  fr: {
    ticket: 'Envoyé par KOS pour {tenant} : vous recevez cet e-mail parce que vous participez au ticket {ticket}.',
    direct: 'Envoyé par KOS pour {tenant} : {author} vous a écrit cet e-mail via KOS.',
  },
  it: {
    ticket: 'Inviato da KOS per {tenant}: riceve questa e-mail perché partecipa al ticket {ticket}.',
    direct: 'Inviato da KOS per {tenant}: {author} Le ha scritto questa e-mail tramite KOS.',
  },
  en: {
    ticket: 'Sent by KOS for {tenant}: you receive this e-mail because you take part in ticket {ticket}.',
    direct: 'Sent by KOS for {tenant}: {author} wrote you this e-mail through KOS.',
  },
};

/**
 * The text and HTML a personal notification is sent with: what KOS wrote, then the ticket line
 * (`<title> (<ticket id>): <url>`) when KOS gave a title or link, then the footer. Built once at
 * enqueue, so that every retry sends the same bodies.
 */
export function personalMail(content: PersonalMailContent): { text: string; html: string } {
  const { ticket } = content;
  const footer = footerLine(content);
  const showTicket = ticket !== undefined && (ticket.title !== undefined || ticket.url !== undefined);
  const label = ticket ? `${ticket.title ?? 'Ticket'} (${ticket.id})` : '';
  const text = [content.text.replace(/\s+$/, ''), ...(showTicket ? ['', ticket.url ? `${label}: ${ticket.url}` : label] : []), '', '-- ', footer, ''].join(
    '\n',
  );

  // A URL that is no web link (no http or https) is shown as text, never as a link.
  const url = ticket?.url;
  const link = webLink(url);
  const ticketHtml = !showTicket
    ? ''
    : link
      ? `<p><a href="${escapeHtml(link)}">${escapeHtml(label)}</a></p>`
      : `<p>${escapeHtml(url ? `${label}: ${url}` : label)}</p>`;
  const tail = `${ticketHtml}\n<hr style="border:0;border-top:1px solid #ddd"><p style="color:#777;font-size:12px">${escapeHtml(footer)}</p>`;
  return { text, html: withTail(content, tail) };
}

function footerLine(content: PersonalMailContent): string {
  const forms = FOOTER[content.locale];
  const values: Record<string, string> = { tenant: content.tenantName, author: content.authorName, ticket: content.ticket?.id ?? '' };
  return (content.ticket ? forms.ticket : forms.direct).replace(/\{(\w+)\}/g, (_placeholder, name: string) => values[name] ?? '');
}

/** KOS's HTML (or the escaped text) in a complete document that ends with `tail`; a whole document from KOS gets the tail before its </body>. */
function withTail(content: PersonalMailContent, tail: string): string {
  const given = content.html;
  if (given !== undefined && /<\/body\s*>/i.test(given)) return given.replace(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i, `${tail}\n</body>`);
  const body =
    given ??
    content.text
      .split(/\r?\n\r?\n/)
      .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\r?\n/g, '<br>')}</p>`)
      .join('\n');
  return htmlDocument(content.locale, content.subject, `${body}\n${tail}`);
}
