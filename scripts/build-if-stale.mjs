// Builds dist/ only when the sources changed since the last build, so that `npm start` under a
// supervisor does not pay a TypeScript build on every restart.
//   node scripts/build-if-stale.mjs            build when stale (prestart, test)
//   node scripts/build-if-stale.mjs --pending  before a build: forget the stamp, note the sources' state
//   node scripts/build-if-stale.mjs --done     after a successful build: that state becomes the stamp
//   --if-possible                              (on install) without TypeScript, e.g. npm ci --omit=dev, skip quietly
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const pending = join(dist, '.build-pending');
const SOURCE_DIRS = ['src', 'migrations', 'scripts'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** Path, size and mtime of every source file: an edit, an added or a removed file changes it. */
function fingerprint() {
  const lines = [];
  const visit = (relative) => {
    const path = join(root, relative);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isDirectory()) for (const entry of readdirSync(path).sort()) visit(join(relative, entry));
    else lines.push(`${relative}\t${stats.size}\t${stats.mtimeMs}`);
  };
  for (const entry of [...SOURCE_DIRS, ...SOURCE_FILES]) visit(entry);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

const read = (path) => (existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined);
const args = new Set(process.argv.slice(2));

if (args.has('--pending')) {
  mkdirSync(dist, { recursive: true });
  rmSync(stamp, { force: true });
  writeFileSync(pending, `${fingerprint()}\n`);
} else if (args.has('--done')) {
  renameSync(pending, stamp);
} else if (!existsSync(join(root, 'src'))) {
  // A deployed copy holds dist/ without the sources: there is nothing to compare or build.
  if (!existsSync(join(dist, 'src', 'main.js')) && !args.has('--if-possible')) fail('dist/src/main.js is missing and there are no sources to build it from');
} else if (read(stamp) !== fingerprint()) {
  if (!hasTypeScript()) {
    if (args.has('--if-possible')) process.exit(0);
    fail('dist/ is missing or older than the sources, and TypeScript is not installed: run `npm ci` (with dev dependencies) and `npm run build`');
  }
  process.stderr.write('kos-notify: dist/ is missing or older than the sources; building\n');
  const npm = process.env.npm_execpath
    ? spawnSync(process.execPath, [process.env.npm_execpath, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(npm.status ?? 1);
}

function hasTypeScript() {
  try {
    createRequire(join(root, 'package.json')).resolve('typescript/package.json');
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  process.stderr.write(`kos-notify: ${message}\n`);
  process.exit(1);
}
