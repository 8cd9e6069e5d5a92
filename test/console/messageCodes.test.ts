import { describe, expect, it } from 'vitest';
import { codeKeys, LANGUAGES, translator } from '../../src/console/i18n';
import { MESSAGES } from '../../src/shared/messages/codes';

// The registry of every code the service emits; the console must speak each in all four languages.
const registry = Object.entries(MESSAGES as Record<string, { en: string; params: readonly string[] }>);

describe('the console’s texts for the service’s message codes', () => {
  it.each(LANGUAGES)('%s has a text for every code of the registry', (language) => {
    const known = new Set(codeKeys(language));
    expect(registry.map(([code]) => code).filter((code) => !known.has(code))).toEqual([]);
  });

  it.each(LANGUAGES)('%s has no text for a code the registry no longer has', (language) => {
    const codes = new Set(registry.map(([code]) => code));
    expect(codeKeys(language).filter((code) => !codes.has(code))).toEqual([]);
  });

  it.each(LANGUAGES)('%s fills only the params a code has', (language) => {
    const t = translator(language);
    const wrong: string[] = [];
    for (const [code, definition] of registry) {
      const text = t.code(code, {}, '');
      // {cause} is the text of the wrapped code named by the param causeCode.
      const allowed = definition.params.includes('causeCode') ? [...definition.params, 'cause'] : definition.params;
      for (const [, name] of text.matchAll(/\{(\w+)\}/g)) if (!allowed.includes(name!)) wrong.push(`${code}: {${name}}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s says every code in its own words, not in the English of the en catalog', (language) => {
    const [t, en] = [translator(language), translator('en')];
    // stored_text is a text stored before codes existed: it is shown as it was stored.
    const same = registry.map(([code]) => code).filter((code) => code !== 'stored_text' && t.code(code, {}, '') === en.code(code, {}, ''));
    expect(same).toEqual([]);
  });

  it.each(LANGUAGES)('%s: the refused-senders health warning names the addresses, not the one-message failure of a sender', (language) => {
    const t = translator(language);
    const warning = t.code('senders_refused', { addresses: ['anna@kunde.ch', 'bob@kunde.ch'] }, 'English fallback');
    expect(warning).toContain('anna@kunde.ch, bob@kunde.ch');
    expect(warning).not.toMatch(/\{\w+\}|English fallback/);
    expect(warning).not.toBe(t.code('sender_refused', { sender: 'anna@kunde.ch', reply: '553' }));
  });

  it('translates a code with its params, names steps and presets in the language, and falls back to the English text for an unknown code', () => {
    const fr = translator('fr');
    expect(fr.code('alert_sender_not_allowed', { address: 'kos@autre.ch', allowedSenders: ['*@kunde.ch', 'ops@kunde.ch'] })).toBe(
      'kos@autre.ch ne fait pas partie des expéditeurs autorisés (*@kunde.ch, ops@kunde.ch) : choisir une adresse qu’ils couvrent ou l’ajouter aux expéditeurs autorisés.',
    );
    expect(translator('it').code('verify_step_not_tried', { failedStep: 'auth' })).toBe('Non provato: il passo «Accedere» è fallito.');
    expect(translator('de').code('alert_sender_required', { preset: 'gmx' })).toBe('Die Vorlage GMX-Postfach braucht eine Warnadresse.');
    expect(translator('de').code('a_code_from_a_newer_service', {}, 'the English detail')).toBe('the English detail');
    expect(translator('de').code('gave_up', { attempts: 5, causeCode: 'host_unreachable' }, 'gave up after 5 tries: the host is unreachable')).toBe(
      'Nach 5 Versuchen aufgegeben: Der Mailserver ist nicht erreichbar.',
    );
    const earlier = translator('de').code('sender_refused_earlier', {
      address: 'bob@kunde.ch',
      refusedAt: '2026-12-03T04:00:00.000Z',
      reply: '553',
      pattern: '*@kunde.ch',
    });
    expect(earlier).toContain('03.12.2026');
    expect(earlier).not.toContain('T04:00');
    expect(translator('it').code('oauth2_client_secret_expired', { expiresAt: '2027-01-15', clientId: 'app-1' })).toBe(
      'Il client secret è scaduto il 15.01.2027: crearne uno nuovo per l’app app-1 in Entra ID e inserirlo con la data di scadenza.',
    );
  });
});
