import type { ApiKeyStore } from './ApiKeyStore';
import { generateApiKey, hashApiKey } from './apiKeys';

const GENERATED_ADMIN_KEY_ID = 'admin-generated';

/**
 * Without ADMIN_API_KEY the first start generates an admin key and returns it so that it can be
 * printed once; only its hash is stored. Several instances starting together race on the fixed
 * id, and only the winner's key exists (and is printed).
 */
export async function ensureGeneratedAdminKey(keys: ApiKeyStore, now: Date): Promise<string | undefined> {
  const key = generateApiKey();
  const created = await keys.insert({
    id: GENERATED_ADMIN_KEY_ID,
    tenantId: null,
    keyHash: hashApiKey(key),
    name: 'generated at first start',
    createdAt: now,
    createdBy: 'system',
  });
  return created ? key : undefined;
}
