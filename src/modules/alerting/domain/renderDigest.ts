import { escapeHtml, webLink } from '../../../shared/mail/html';
import type { Locale } from '../../tenant/domain/Tenant';
import { daysBetween, type CalendarDate } from './CalendarDate';
import de from './messages/de.json';
import en from './messages/en.json';
import fr from './messages/fr.json';
import it from './messages/it.json';

type Catalog = typeof en;
type Plural = { zero?: string; one: string; other: string };

/** The translator-edited message catalogs (messages/<locale>.json); every one has every key. */
const CATALOGS: Record<Locale, Catalog> = { de, fr, it, en };

export interface DigestLine {
  ticketId: string;
  title: string;
  dueDate: CalendarDate;
  url?: string;
  /** Not in the recipient's previous digest. */
  isNew: boolean;
}

export interface DigestContent {
  locale: Locale;
  tenantName: string;
  recipientName?: string;
  /** The run date D. */
  date: CalendarDate;
  /** Due on or before D, oldest first. */
  reached: DigestLine[];
  /** Due after D within the lead days, soonest first. */
  soon: DigestLine[];
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

/** The digest mail in the recipient's language: plain text, and HTML with every KOS value escaped. */
export function renderDigest(content: DigestContent): RenderedDigest {
  const m = CATALOGS[content.locale];
  const date = (day: CalendarDate) => formatDate(m.dateFormat, day);
  const subject = digestSubject(content.locale, content.reached.length, content.soon.length);
  const greeting = content.recipientName ? fill(m.greeting, { name: content.recipientName }) : m.greetingWithoutName;
  const intro = fill(m.intro, { tenant: content.tenantName, date: date(content.date) });
  const footer = fill(m.footer, { tenant: content.tenantName });
  const anyNew = [...content.reached, ...content.soon].some((line) => line.isNew);

  const due = (line: DigestLine): DueLabel => dueLabel(content.locale, line.dueDate, content.date);
  const sections = [
    { heading: fill(m.reachedHeading, { count: String(content.reached.length) }), lines: content.reached },
    { heading: fill(m.soonHeading, { count: String(content.soon.length) }), lines: content.soon },
  ].filter((section) => section.lines.length > 0);

  const text = [
    `${greeting}`,
    '',
    intro,
    ...sections.flatMap((section) => [
      '',
      section.heading,
      ...section.lines.flatMap((line) => [
        `- ${line.isNew ? `[${m.new}] ` : ''}${line.title} (${line.ticketId}) · ${due(line).text}`,
        ...(line.url ? [`  ${line.url}`] : []),
      ]),
    ]),
    ...(anyNew ? ['', m.newLegend] : []),
    '',
    '-- ',
    footer,
    '',
  ].join('\n');

  const htmlLine = (line: DigestLine): string => {
    const link = webLink(line.url);
    const title = link ? `<a href="${escapeHtml(link)}">${escapeHtml(line.title)}</a>` : escapeHtml(line.title);
    const badge = line.isNew ? `<strong style="color:#b45309">${escapeHtml(m.new)}</strong> ` : '';
    return `<li style="margin:0 0 6px">${badge}${title} (${escapeHtml(line.ticketId)})<br><span style="color:#555">${due(line).html}</span></li>`;
  };
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${content.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    ...sections.map(
      (section) =>
        `<h2 style="font-size:16px;margin:16px 0 8px">${escapeHtml(section.heading)}</h2>\n<ul style="padding-left:20px">${section.lines.map(htmlLine).join('')}</ul>`,
    ),
    ...(anyNew ? [`<p style="color:#555">${escapeHtml(m.newLegend)}</p>`] : []),
    `<hr style="border:0;border-top:1px solid #ddd"><p style="color:#777;font-size:12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

/**
 * "KOS: 2 Fristen erreicht, 3 bald fällig": the soon part names its noun only when it stands
 * alone ("KOS: 1 Frist bald fällig"), as the languages say it.
 */
export function digestSubject(locale: Locale, reached: number, soon: number): string {
  const m = CATALOGS[locale];
  const parts = [
    ...(reached > 0 ? [plural(m.subjectReached, reached)] : []),
    ...(soon > 0 ? [plural(reached > 0 ? m.subjectSoonAfterReached : m.subjectSoon, soon)] : []),
  ];
  return fill(m.subject, { parts: parts.join(m.subjectSeparator) });
}

function plural(forms: Plural, count: number): string {
  const form = count === 0 && forms.zero !== undefined ? forms.zero : count === 1 ? forms.one : forms.other;
  return fill(form, { count: String(count) });
}

// The catalogs' templates split once into literal text (even indexes) and placeholder names (odd):
// a daily run fills them millions of times.
const compiledTemplates = new Map<string, string[]>();

function fill(template: string, values: Record<string, string>): string {
  let parts = compiledTemplates.get(template);
  if (!parts) compiledTemplates.set(template, (parts = template.split(/\{(\w+)\}/)));
  let result = parts[0]!;
  for (let index = 1; index < parts.length; index += 2) result += (values[parts[index]!] ?? `{${parts[index]}}`) + parts[index + 1]!;
  return result;
}

function formatDate(format: string, day: CalendarDate): string {
  const [yyyy, mm, dd] = day.split('-') as [string, string, string];
  return fill(format, { yyyy, mm, dd });
}

interface DueLabel {
  /** "due 2027-03-07 · 3 days overdue" */
  text: string;
  html: string;
}

// A run renders the same few hundred due dates for every recipient: label each once per locale and
// run date. Bounded, since the dates of one run are few and a new run date starts afresh.
const dueLabels = new Map<string, DueLabel>();
const DUE_LABELS_MAX = 20_000;

function dueLabel(locale: Locale, dueDate: CalendarDate, date: CalendarDate): DueLabel {
  const key = `${locale} ${dueDate} ${date}`;
  let label = dueLabels.get(key);
  if (label) return label;
  const m = CATALOGS[locale];
  const dueOn = fill(m.dueOn, { date: formatDate(m.dateFormat, dueDate) });
  const status = dueDate <= date ? plural(m.overdue, daysBetween(dueDate, date)) : plural(m.dueIn, daysBetween(date, dueDate));
  label = { text: `${dueOn} · ${status}`, html: `${escapeHtml(dueOn)} · ${escapeHtml(status)}` };
  if (dueLabels.size >= DUE_LABELS_MAX) dueLabels.clear();
  dueLabels.set(key, label);
  return label;
}
