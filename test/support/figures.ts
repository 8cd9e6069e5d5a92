import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the suites leave their figures for docs/reliability.md (RELIABILITY_FIGURES_DIR overrides). */
export const FIGURES_DIR = process.env.RELIABILITY_FIGURES_DIR ?? join(tmpdir(), 'kos-notify-reliability');

/** Prints the figures of a suite and writes them to FIGURES_DIR/<suite>.json. */
export function reportFigures(suite: string, figures: Record<string, unknown>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${suite}.json`), `${JSON.stringify({ suite, at: new Date().toISOString(), ...figures }, null, 2)}\n`);
  console.info(`figures ${suite}: ${JSON.stringify(figures)}`);
}
