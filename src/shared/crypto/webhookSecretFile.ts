import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWebhookSecret } from '../config/Config';
import { ensurePrivateDirectory } from '../files/privateFiles';
import type { Logger } from '../logging/logger';

/**
 * Outside production a WEBHOOK_URL without WEBHOOK_SECRET gets a secret generated once into
 * `<dataDir>/webhook.secret` (mode 0600, `whsec_…`), which the operator gives KOS to check signatures.
 */
export function loadOrCreateWebhookSecret(dataDir: string, log: Logger): Buffer {
  const file = join(dataDir, 'webhook.secret');
  if (existsSync(file)) {
    const key = decodeWebhookSecret(readFileSync(file, 'utf8').trim());
    if (!key) throw new Error(`${file} does not hold a whsec_ secret; set WEBHOOK_SECRET or remove the file`);
    return key;
  }
  ensurePrivateDirectory(dataDir);
  const key = randomBytes(32);
  writeFileSync(file, `whsec_${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  log.warn(
    { file },
    'WEBHOOK_SECRET is not set: generated a webhook secret into the data directory; give it to KOS to check the signatures, and set WEBHOOK_SECRET in production',
  );
  return key;
}
