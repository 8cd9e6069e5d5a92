import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A project with the real script and a build that counts its runs, so that a test sees when it builds. */
function project(withTypeScript = true): string {
  const root = mkdtempSync(join(tmpdir(), 'kos-stamp-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'src'));
  cpSync('scripts/build-if-stale.mjs', join(root, 'scripts', 'build-if-stale.mjs'));
  writeFileSync(join(root, 'src', 'main.ts'), 'export {};\n');
  const build = "const fs=require('fs');fs.mkdirSync('dist/src',{recursive:true});fs.writeFileSync('dist/src/main.js','');fs.appendFileSync('builds','x')";
  const scripts = { prebuild: 'node scripts/build-if-stale.mjs --pending', build: `node -e "${build}"`, postbuild: 'node scripts/build-if-stale.mjs --done' };
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'stamp-test', private: true, scripts }));
  if (withTypeScript) {
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(resolve('node_modules/typescript'), join(root, 'node_modules', 'typescript'));
  }
  return root;
}

const run = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, ['scripts/build-if-stale.mjs', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, npm_execpath: '' } });
const builds = (root: string): number => {
  try {
    return readFileSync(join(root, 'builds'), 'utf8').length;
  } catch {
    return 0;
  }
};

describe('scripts/build-if-stale.mjs', () => {
  let root: string;
  beforeEach(() => {
    root = project();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds a fresh checkout, then starts without building while the sources are unchanged', () => {
    expect(run(root).status).toBe(0);
    expect(builds(root)).toBe(1);
    expect(run(root).status).toBe(0);
    expect(run(root).status).toBe(0);
    expect(builds(root)).toBe(1);
  });

  it('builds again after a source was edited, added or removed', () => {
    run(root);
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'src', 'main.ts'), later, later);
    run(root);
    expect(builds(root)).toBe(2);
    writeFileSync(join(root, 'src', 'extra.ts'), 'export {};\n');
    run(root);
    expect(builds(root)).toBe(3);
    rmSync(join(root, 'src', 'extra.ts'));
    run(root);
    expect(builds(root)).toBe(4);
  });

  it('builds again after a failed build (the stamp is dropped when a build starts)', () => {
    run(root);
    expect(run(root, '--pending').status).toBe(0);
    run(root);
    expect(builds(root)).toBe(2);
  });

  it('without TypeScript: on install it skips quietly, at start it names what to run', () => {
    const bare = project(false);
    try {
      expect(run(bare, '--if-possible').status).toBe(0);
      const start = run(bare);
      expect(start.status).toBe(1);
      expect(start.stderr).toContain('npm run build');
      expect(builds(bare)).toBe(0);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('in a deployed copy without sources, starts when dist/src/main.js is there', () => {
    run(root);
    rmSync(join(root, 'src'), { recursive: true });
    expect(run(root).status).toBe(0);
    rmSync(join(root, 'dist'), { recursive: true });
    expect(run(root).status).toBe(1);
    // npm ci --omit=dev in a fresh copy runs prepare before dist/ is copied in.
    expect(run(root, '--if-possible').status).toBe(0);
    expect(builds(root)).toBe(1);
  });
});
