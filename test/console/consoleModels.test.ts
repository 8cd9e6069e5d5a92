import { describe, expect, it } from 'vitest';
import { assignFieldErrors } from '../../src/console/fieldErrors';
import { formatAge, todayIso } from '../../src/console/format';
import { catalogKeys, pickLanguage, translator } from '../../src/console/i18n';
import { healthState, sortRows, type TenantRow } from '../../src/console/tenantRows';
import type { MailHealth, Tenant } from '../../src/console/types';

const tenant = (id: string, state: 'ok' | 'parked' = 'ok'): Tenant => ({
  id,
  name: id.toUpperCase(),
  locale: 'de',
  alertSender: { address: `kos@${id}.ch` },
  mail: { preset: 'custom', host: 'smtp.example.ch', port: 587, security: 'starttls', hasPassword: true, allowedSenders: [] },
  mailStatus: { state },
});
const health = (failures: number, queued = 0, oldestQueuedSeconds = 0): MailHealth => ({
  state: 'ok',
  failures24h: { auth: 0, sender: failures, tls: 0, connection: 0, rejected: 0, other: 0 },
  queued,
  oldestQueuedSeconds,
});

describe('the health state a tenant row shows', () => {
  it('is the state the service reports: unverified as unverified, ok as ok even before a first mail, parked from the tenant while health loads', () => {
    expect(healthState({ tenant: tenant('a'), health: { ...health(0), state: 'unverified' } })).toBe('unverified');
    expect(healthState({ tenant: tenant('b'), health: health(0) })).toBe('ok');
    expect(healthState({ tenant: tenant('c'), health: { ...health(0), state: 'warning' } })).toBe('warning');
    expect(healthState({ tenant: tenant('d', 'parked') })).toBe('parked');
    expect(healthState({ tenant: tenant('e') })).toBeUndefined();
  });
});

describe('console i18n', () => {
  it('picks the first language it speaks from the browser’s list', () => {
    expect(pickLanguage(['de-CH', 'en'])).toBe('de');
    expect(pickLanguage(['fr-CH', 'en-GB', 'de'])).toBe('fr');
    expect(pickLanguage(['it-CH', 'de'])).toBe('it');
    expect(pickLanguage(['rm-CH', 'it'])).toBe('it');
    expect(pickLanguage(['es', 'pt'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it('has the same keys in German, French, Italian and English', () => {
    for (const language of ['de', 'fr', 'it'] as const) expect(catalogKeys(language).sort()).toEqual(catalogKeys('en').sort());
  });

  it('fills placeholders as plain text and keeps unknown ones', () => {
    const t = translator('de');
    expect(t('tenants.summary', { count: 3, parked: 1 })).toBe('3 Mandanten, 1 angehalten');
    expect(t('form.check.allowed', { pattern: '<b>*@kunde.ch</b>' })).toBe('Erlaubt durch <b>*@kunde.ch</b>.');
    expect(translator('en')('session.tenant')).toBe('Signed in for tenant {tenant}.'.slice(0, -1));
  });
});

describe('console tenant rows', () => {
  it('puts parked tenants first, then failures and stale queues, then waiting mail, then the rest by name', () => {
    const rows: TenantRow[] = [
      { tenant: tenant('alpha'), health: health(0) },
      { tenant: tenant('bravo'), health: health(0, 3, 20) },
      { tenant: tenant('charlie', 'parked') },
      { tenant: tenant('delta'), health: health(2) },
      { tenant: tenant('echo'), health: health(0, 1, 3600) },
      { tenant: tenant('foxtrot') },
    ];
    expect(sortRows(rows, 'problems', true).map((row) => row.tenant.id)).toEqual(['charlie', 'delta', 'echo', 'bravo', 'alpha', 'foxtrot']);
  });

  it('sorts by a column both ways and by name', () => {
    const rows: TenantRow[] = [{ tenant: tenant('b'), health: health(0, 5) }, { tenant: tenant('a'), health: health(0, 1) }, { tenant: tenant('c') }];
    expect(sortRows(rows, 'queued', true).map((row) => row.tenant.id)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, 'queued', false).map((row) => row.tenant.id)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, 'name', false).map((row) => row.tenant.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('console form errors', () => {
  it('puts each error next to its field or the nearest enclosing one, the rest above the form', () => {
    const assigned = assignFieldErrors(
      [
        { path: 'alertSender.address', message: 'not allowed' },
        { path: 'mail.allowedSenders.2', message: 'bad pattern' },
        { path: 'mail.tls.weird', message: 'unknown' },
      ],
      ['alertSender.address', 'mail.allowedSenders', 'name'],
    );
    expect(Object.fromEntries(assigned.byField)).toEqual({ 'alertSender.address': ['not allowed'], 'mail.allowedSenders': ['bad pattern'] });
    expect(assigned.unmatched).toEqual([{ path: 'mail.tls.weird', message: 'unknown' }]);
  });
});

describe('console formatting', () => {
  it('writes ages the way an operator reads them', () => {
    expect([0, 59, 60, 3599, 3600, 3660, 86_400, 90_000].map(formatAge)).toEqual(['0 s', '59 s', '1 min', '59 min', '1 h', '1 h 1 min', '1 d', '1 d 1 h']);
  });

  it('gives the local calendar day', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
