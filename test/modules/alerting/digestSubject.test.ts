import { describe, expect, it } from 'vitest';
import { digestSubject, renderDigest } from '../../../src/modules/alerting/domain/renderDigest';
import type { Locale } from '../../../src/modules/tenant/domain/Tenant';

/**
 * The subjects as a native speaker writes them, per language: singular and plural of deadlines
 * reached only, due soon only, and both together. French puts a space before the colon.
 */
const NATIVE: Record<Locale, Array<[reached: number, soon: number, subject: string]>> = {
  de: [
    [1, 0, 'KOS: 1 Frist erreicht'],
    [2, 0, 'KOS: 2 Fristen erreicht'],
    [0, 1, 'KOS: 1 Frist bald fällig'],
    [0, 3, 'KOS: 3 Fristen bald fällig'],
    [1, 1, 'KOS: 1 Frist erreicht, 1 bald fällig'],
    [2, 3, 'KOS: 2 Fristen erreicht, 3 bald fällig'],
  ],
  fr: [
    [1, 0, 'KOS : 1 échéance atteinte'],
    [2, 0, 'KOS : 2 échéances atteintes'],
    [0, 1, 'KOS : 1 échéance bientôt atteinte'],
    [0, 3, 'KOS : 3 échéances bientôt atteintes'],
    [1, 1, 'KOS : 1 échéance atteinte, 1 bientôt atteinte'],
    [2, 3, 'KOS : 2 échéances atteintes, 3 bientôt atteintes'],
  ],
  it: [
    [1, 0, 'KOS: 1 scadenza raggiunta'],
    [2, 0, 'KOS: 2 scadenze raggiunte'],
    [0, 1, 'KOS: 1 scadenza imminente'],
    [0, 3, 'KOS: 3 scadenze imminenti'],
    [1, 1, 'KOS: 1 scadenza raggiunta, 1 in scadenza'],
    [2, 3, 'KOS: 2 scadenze raggiunte, 3 in scadenza'],
  ],
  en: [
    [1, 0, 'KOS: 1 deadline reached'],
    [2, 0, 'KOS: 2 deadlines reached'],
    [0, 1, 'KOS: 1 deadline due soon'],
    [0, 3, 'KOS: 3 deadlines due soon'],
    [1, 1, 'KOS: 1 deadline reached, 1 due soon'],
    [1, 2, 'KOS: 1 deadline reached, 2 due soon'],
    [2, 3, 'KOS: 2 deadlines reached, 3 due soon'],
  ],
};

const cases = Object.entries(NATIVE).flatMap(([locale, forms]) => forms.map(([reached, soon, subject]) => [locale as Locale, reached, soon, subject] as const));

describe('digest subjects', () => {
  it.each(cases)('%s with %i reached and %i soon reads "%s"', (locale, reached, soon, subject) => {
    expect(digestSubject(locale, reached, soon)).toBe(subject);
  });

  it('is what the rendered digest carries, with the ticket id on every line', () => {
    const line = (ticketId: string, dueDate: string) => ({
      ticketId,
      title: `Ticket ${ticketId}`,
      dueDate,
      url: `https://kos.kunde.ch/t/${ticketId}`,
      isNew: false,
    });
    const digest = renderDigest({
      locale: 'fr',
      tenantName: 'Kunde AG',
      date: '2027-03-10',
      reached: [line('T-1', '2027-03-09'), line('T-2', '2027-03-10')],
      soon: [line('T-3', '2027-03-12')],
    });
    expect(digest.subject).toBe('KOS : 2 échéances atteintes, 1 bientôt atteinte');
    for (const id of ['T-1', 'T-2', 'T-3']) {
      expect(digest.text).toMatch(new RegExp(`^- Ticket ${id} \\(${id}\\) · `, 'm'));
      expect(digest.html).toContain(`<a href="https://kos.kunde.ch/t/${id}">Ticket ${id}</a> (${id})`);
    }
  });
});
