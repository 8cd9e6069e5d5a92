import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory } from '../files/privateFiles';
import type { Logger } from '../logging/logger';

/**
 * Outside production a missing CREDENTIALS_KEY is generated once into `<dataDir>/credentials.key`
 * (mode 0600), so that `npm start` needs no setup and the stored passwords survive restarts.
 */
export function loadOrCreateCredentialsKey(dataDir: string, log: Logger): Buffer {
  const file = join(dataDir, 'credentials.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a base64-encoded 32-byte key; set CREDENTIALS_KEY or remove the file`);
    return key;
  }
  ensurePrivateDirectory(dataDir);
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  log.warn(
    { file },
    'CREDENTIALS_KEY is not set: generated a credentials key into the data directory; back it up with the database, and set CREDENTIALS_KEY in production',
  );
  return key;
}
