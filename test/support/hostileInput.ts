import fc from 'fast-check';

/** Addresses a plain-address validator must refuse: each has made some mail library send elsewhere. */
export const HOSTILE_ADDRESSES: string[] = [
  '"evil@attacker.example"@kunde.ch',
  '"a@b"@kunde.ch',
  'evil@attacker.example@kunde.ch',
  'anna(evil@attacker.example)@kunde.ch',
  'anna@kunde.ch(comment)',
  '(evil@attacker.example)anna@kunde.ch',
  'Anna <evil@attacker.example>',
  '<evil@attacker.example>',
  'undisclosed: evil@attacker.example;',
  'group:anna@kunde.ch,evil@attacker.example;',
  'anna@kunde.ch, evil@attacker.example',
  'anna@kunde.ch;evil@attacker.example',
  '=?utf-8?q?evil=40attacker.example?=@kunde.ch',
  '=?utf-8?b?ZXZpbEBhdHRhY2tlci5leGFtcGxl?=',
  'anna@=?utf-8?q?attacker.example?=',
  '@attacker.example:anna@kunde.ch',
  'anna@[127.0.0.1]',
  'anna@[IPv6:::1]',
  'anna@kunde.ch.',
  'anna@-kunde.ch',
  'anna@kunde..ch',
  '.anna@kunde.ch',
  'anna.@kunde.ch',
  'an..na@kunde.ch',
  'anna@localhost',
  'anna@kunde.ch\r\nRCPT TO:<evil@attacker.example>',
  'anna@kunde.ch\nBcc: evil@attacker.example',
  'anna@kunde.ch\0evil@attacker.example',
  'anna@kunde.ch\u2028evil@attacker.example',
  'anna@kunde.ch ',
  ' anna@kunde.ch',
  'anna @kunde.ch',
  'anna\\@attacker.example@kunde.ch',
  'аnna@kunde.ch', // Cyrillic а
  'anna@kunde.сh', // Cyrillic с in the TLD
  'anna@kundе.ch', // Cyrillic е in the domain
  'anna@ｋunde.ch', // full-width k
  'anna@kunde.ch\u200b',
  'anna@kun\u00addde.ch', // soft hyphen
  'anna@bücher.ch',
  'anna@xn--bcher-kva.ch\u0000',
  'anna%attacker.example@kunde.ch@',
  'a'.repeat(65) + '@kunde.ch',
  `anna@${'a'.repeat(250)}.ch`,
  // 100,000 characters of nesting: quotes, comments and angle brackets around an attacker address.
  `${'<'.repeat(25_000)}${'('.repeat(25_000)}evil@attacker.example${')'.repeat(25_000)}${'>'.repeat(24_979)}`,
  `${'"'.repeat(49_990)}a@b.ch${'"'.repeat(50_004)}`,
];

/** Plain addresses the validator accepts; mail must go to exactly these. */
export const TRICKY_VALID_ADDRESSES: string[] = [
  'anna.meier@kunde.ch',
  'ANNA.MEIER@KUNDE.CH',
  'anna+tag@kunde.ch',
  "o'brien@kunde.ch",
  'anna%attacker.example@kunde.ch',
  'a!#$&*+/=^?_`{|}~-b@kunde.ch',
  'anna@xn--bcher-kva.ch',
  'anna@xn--80ak6aa92e.com',
  'x@a-b.c-d.ch',
];

/** Names, subjects and titles with line breaks or NUL: each must be refused. */
export const HOSTILE_LINES: string[] = [
  'Hallo\r\nBcc: evil@attacker.example',
  'Hallo\nBcc: evil@attacker.example',
  'Hallo\rBcc: evil@attacker.example',
  'Hallo\0evil',
  'Hallo\u2028Bcc: evil@attacker.example',
  'Hallo\u2029Bcc: evil@attacker.example',
  '\r\n\r\n<html>injected body',
  'x\r\n.\r\nMAIL FROM:<evil@attacker.example>',
];

/** Single-line texts that are allowed but look like headers, addresses or encoded words. */
export const TRICKY_LINES: string[] = [
  'evil@attacker.example',
  '"evil@attacker.example" <evil@attacker.example>, other@attacker.example',
  'Anna <evil@attacker.example>; undisclosed:;',
  '=?utf-8?q?Bcc=3A_evil=40attacker.example?=',
  '=?utf-8?b?QmNjOiBldmlsQGF0dGFja2VyLmV4YW1wbGU=?=',
  'Bcc: evil@attacker.example',
  'Grüezi «Müller» — ½ 🚀 𝓐',
  '\t tab and \u000b vertical tab \u000c form feed \u0085 next line',
  '\u202eevil.exe\u202c',
  'x'.repeat(200),
];

/** A string arbitrary that leans on the corpus and on control characters. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...HOSTILE_ADDRESSES.filter((a) => a.length < 1000), ...TRICKY_VALID_ADDRESSES, ...HOSTILE_LINES, ...TRICKY_LINES),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: fc.constantFrom('\r', '\n', '\0', '\u2028', '"', '<', '>', '@', '(', ')', ',', ';', ':', '\\', 'a', '.'), maxLength: 30 }),
    },
    { weight: 1, arbitrary: fc.emailAddress() },
  );
}

type Schema = Record<string, any>;

/**
 * A fast-check arbitrary for a JSON Schema (as /openapi.json has it): mostly values that follow
 * the schema, with hostile strings wherever a string goes, so that validation is both passed and
 * attacked.
 */
export function arbitraryFor(schema: Schema | undefined, key = '', depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.anything({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: hostileString() });
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) return fc.oneof(...variants.map((variant: Schema) => arbitraryFor(variant, key, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties: Record<string, Schema> = schema.properties ?? {};
      const required = new Set<string>(schema.required ?? []);
      const shape = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, arbitraryFor(property, name, depth + 1)]));
      const valid = fc.record(shape, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
      return fc.oneof(
        { weight: 8, arbitrary: valid },
        { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(valid, fc.dictionary(hostileString(), fc.anything({ maxDepth: 1 }), { maxKeys: 2 }))
            .map(([object, extra]) => ({ ...extra, ...(object as object) })),
        },
      );
    }
    case 'array': {
      const maxLength = Math.min(schema.maxItems ?? 5, 5);
      return fc.array(arbitraryFor(schema.items, key, depth + 1), { minLength: Math.min(schema.minItems ?? 0, maxLength), maxLength });
    }
    case 'string':
      return stringFor(schema, key);
    case 'integer':
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 1000, 100_000) }) },
        { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(-0)) },
      );
    case 'number':
      return fc.double();
    case 'boolean':
      return fc.oneof({ weight: 5, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 0, null) });
    case 'null':
      return fc.constant(null);
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

function stringFor(schema: Schema, key: string): fc.Arbitrary<string> {
  if (/email|address|^to$|sender/i.test(key)) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...TRICKY_VALID_ADDRESSES) },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_ADDRESSES.filter((a) => a.length < 1000)) },
      { weight: 1, arbitrary: hostileString() },
    );
  }
  if (schema.format === 'date' || /date|before/i.test(key)) {
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      },
      { weight: 1, arbitrary: hostileString() },
    );
  }
  if (schema.pattern) {
    let valid: fc.Arbitrary<string>;
    try {
      valid = fc.stringMatching(new RegExp(schema.pattern)).filter((value) => value.length <= (schema.maxLength ?? 500));
    } catch {
      valid = fc.string();
    }
    return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileString() });
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, 60);
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: Math.min(minLength, maxLength), maxLength }) },
    { weight: 2, arbitrary: hostileString() },
    { weight: 1, arbitrary: fc.constantFrom(...TRICKY_LINES) },
  );
}
