import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
/** Frameworks and drivers: adapters and the composition use them, the domain never (zod included: schemas belong to http/). */
const FRAMEWORKS = ['express', 'knex', 'nodemailer', 'inversify', 'pg', 'sqlite3', 'pino', 'prom-client', 'zod', 'croner', 'smtp-server'];
/** Drivers the application layer reaches only through ports (it may use inversify's decorators). */
const DRIVERS = ['express', 'knex', 'nodemailer', 'pg', 'sqlite3', 'prom-client', 'croner', 'smtp-server'];

/**
 * Shared database files the application layer may import: describeError turns any error into text
 * without the values a statement carried (a pure function; pg only for `instanceof`).
 */
const APPLICATION_MAY_USE = ['src/shared/database/databaseErrors'];

/** Each import of a source file: the package name, or the imported file relative to the repository. */
function importsOf(file: string, source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => (specifier.startsWith('.') ? relative(ROOT, resolve(dirname(join(ROOT, file)), specifier)) : specifier));
}

function packageOf(specifier: string): string {
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
}

/** `src/modules/<module>/<layer>/…` → its module and layer. */
function place(path: string): { module: string; layer: string } | undefined {
  const match = /^src\/modules\/([^/]+)\/([^/]+)\//.exec(path);
  return match ? { module: match[1]!, layer: match[2]! } : undefined;
}

/** The layer rules broken by these files (path relative to the repository → source). */
function violations(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, source] of files) {
    const from = place(file);
    if (!from) continue;
    for (const target of importsOf(file, source)) {
      const to = place(target);
      const pkg = target.startsWith('src/') || target.startsWith('migrations') ? undefined : packageOf(target);
      if (from.layer === 'domain' && pkg && FRAMEWORKS.includes(pkg)) found.push(`${file}: domain imports the framework ${pkg}`);
      if (from.layer === 'domain' && to && to.layer !== 'domain') found.push(`${file}: domain imports ${target}`);
      if (from.layer === 'application' && pkg && DRIVERS.includes(pkg)) found.push(`${file}: application imports the driver ${pkg}`);
      if (
        from.layer === 'application' &&
        (to?.layer === 'infrastructure' || (target.startsWith('src/shared/database') && !APPLICATION_MAY_USE.includes(target)))
      ) {
        found.push(`${file}: application imports ${target}`);
      }
      if (from.layer === 'infrastructure' && to?.layer === 'infrastructure' && to.module !== from.module)
        found.push(`${file}: infrastructure of ${from.module} imports ${target}`);
    }
  }
  return found;
}

function sources(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      const path = relative(ROOT, join(entry.parentPath, entry.name));
      files.set(path, readFileSync(join(ROOT, path), 'utf8'));
    }
  }
  return files;
}

describe('layers', () => {
  it('domain imports no framework, application no infrastructure, no module the infrastructure of another', () => {
    expect(violations(sources('src/modules'))).toEqual([]);
  });

  it('names each kind of violation', () => {
    const files = new Map([
      ['src/modules/a/domain/Rule.ts', "import type { Knex } from 'knex';\nimport { X } from '../application/X';"],
      [
        'src/modules/a/application/UseCase.ts',
        "import { KnexStore } from '../infrastructure/KnexStore';\nimport { isPostgres } from '../../../shared/database/database';",
      ],
      ['src/modules/a/infrastructure/KnexStore.ts', "import { KnexOther } from '../../b/infrastructure/KnexOther';\nimport { Y } from './Y';"],
      ['src/modules/a/http/Routes.ts', "import { z } from 'zod';\nimport { KnexStore } from '../infrastructure/KnexStore';"],
    ]);
    expect(violations(files)).toEqual([
      'src/modules/a/domain/Rule.ts: domain imports the framework knex',
      'src/modules/a/domain/Rule.ts: domain imports src/modules/a/application/X',
      'src/modules/a/application/UseCase.ts: application imports src/modules/a/infrastructure/KnexStore',
      'src/modules/a/application/UseCase.ts: application imports src/shared/database/database',
      'src/modules/a/infrastructure/KnexStore.ts: infrastructure of a imports src/modules/b/infrastructure/KnexOther',
    ]);
  });
});
