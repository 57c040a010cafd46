import OpenAI from 'openai';

/** Whether OpenAI accepted a key, and if not, a reason an admin can act on (never the provider's raw text). */
export type KeyCheck = { ok: true } | { ok: false; reason: 'rejected' | 'no_quota' | 'unreachable' };

/**
 * Tests a tenant's OpenAI key with the cheapest authenticated call there is (`GET /models`: no tokens
 * spent), against OPENAI_BASE_URL when set. No retries: the admin is waiting on the save button.
 */
export async function checkOpenAiKey(
  key: string,
  opts: { baseUrl?: string; timeoutMs?: number } = {},
): Promise<KeyCheck> {
  const client = new OpenAI({
    apiKey: key,
    baseURL: opts.baseUrl,
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 10_000,
  });
  try {
    await client.models.list();
    return { ok: true };
  } catch (err) {
    if (err instanceof OpenAI.RateLimitError) return { ok: false, reason: 'no_quota' };
    if (err instanceof OpenAI.APIError && typeof err.status === 'number' && err.status < 500) {
      return { ok: false, reason: 'rejected' };
    }
    return { ok: false, reason: 'unreachable' };
  }
}
