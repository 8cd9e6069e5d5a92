import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/** Owner only: the data directory holds the database (mail text, recipients) and the credentials key. */
const PRIVATE_DIRECTORY = 0o700;
const PRIVATE_FILE = 0o600;

/** Creates the directory (and missing parents) readable by the owner only; an existing one is left as the operator set it. */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIRECTORY });
}

/**
 * Makes the file exist with mode 0600, and the given companions (SQLite's -wal and -shm) too
 * where they exist. SQLite creates its journal files with the database file's mode, so a database
 * file made 0600 before SQLite opens it keeps them private as well.
 */
export function ensurePrivateFile(file: string, companions: string[] = []): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE));
  // Files of an earlier version were created 0644: tightened too, unless another user owns them.
  for (const path of [file, ...companions.filter((companion) => existsSync(companion))]) {
    try {
      chmodSync(path, PRIVATE_FILE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
  }
}
