import { LRUCache } from 'lru-cache';
import type { CipherBox } from '../infra/crypto/cipher-box.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import type { Logger } from '../logger.js';
import { openAiKeyContext } from '../tenants/settings/settings.service.js';
import { sealedOpenAiKeyOf } from '../tenants/settings/tenant-settings.repo.js';
import type { LlmClient } from './llm-client.js';

/**
 * The model client for a tenant and whose key pays for it; null when there is none (extractive answers).
 * A caller that has already read the tenant's sealed key (the answer job, with the rest of its facts)
 * passes it in `known`, so the key is not looked up again.
 */
export type LlmFor = (
  tenantId: string,
  known?: { sealedKey: string | null },
) => Promise<{ llm: LlmClient; keySource: 'platform' | 'tenant' } | null>;

export interface LlmForTenantDeps {
  db: Database;
  cipher: CipherBox;
  /** The platform's client (OPENAI_API_KEY), or undefined. */
  platform: LlmClient | undefined;
  /** Builds a client for a tenant's own key (same base URL and retry policy as the platform's). */
  createClient: (apiKey: string) => LlmClient;
  logger: Logger;
  /** Tenants whose clients stay cached (default 500). */
  max?: number;
}

/**
 * Resolves which key answers for a tenant: its own OpenAI key when one is set (decrypted only here, used
 * only for that tenant, metered but not capped), else the platform key. The stored ciphertext is read on
 * every call, so a key changed in the dashboard applies to the next question; the client built for a
 * ciphertext is cached, so decrypting and constructing happen once per key.
 */
export function createLlmForTenant(deps: LlmForTenantDeps): LlmFor {
  const cache = new LRUCache<string, { sealed: string; llm: LlmClient }>({ max: deps.max ?? 500 });
  const platform = deps.platform ? { llm: deps.platform, keySource: 'platform' as const } : null;

  return async (tenantId, known) => {
    const sealed = known
      ? known.sealedKey
      : await withTenant(deps.db, tenantId, (c) => sealedOpenAiKeyOf(c, tenantId));
    if (!sealed) {
      cache.delete(tenantId);
      return platform;
    }
    const cached = cache.get(tenantId);
    if (cached?.sealed === sealed) return { llm: cached.llm, keySource: 'tenant' };
    try {
      const llm = deps.createClient(deps.cipher.decrypt(sealed, openAiKeyContext(tenantId)));
      cache.set(tenantId, { sealed, llm });
      return { llm, keySource: 'tenant' };
    } catch (err) {
      // Only a missing encryption key gets here (the operator's problem): answer on the platform key
      // rather than not at all, and say so loudly.
      deps.logger.error(
        { tenantId, err },
        "the workspace's own OpenAI key could not be decrypted; using the platform key",
      );
      return platform;
    }
  };
}
