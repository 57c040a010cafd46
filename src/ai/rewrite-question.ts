import type { ThreadMessage } from './answer.types.js';
import type { LlmClient } from './llm-client.js';
import { trimThread } from './thread-context.js';

const REWRITE_THREAD_TOKENS = 800;
const REWRITE_MAX_TOKENS = 80;

const SYSTEM = [
  "Rewrite the user's last message as one standalone question that can be understood without the conversation.",
  'Keep its meaning and wording; fill in only what the conversation makes clear (the topic, who or what "it" is).',
  'If it is already standalone, repeat it unchanged. Reply with the question only, no quotes, no answer.',
].join(' ');

/**
 * A thread follow-up ("and for contractors?") rewritten by the model into a standalone question ("How much
 * parental leave do contractors get?") for retrieval: one short chat call with the recent thread. The
 * answer prompt still gets the original question and the thread; only the search uses the rewrite.
 */
export async function rewriteFollowUp(
  llm: LlmClient,
  model: string,
  question: string,
  thread: ThreadMessage[],
): Promise<{ text: string; promptTokens: number; completionTokens: number }> {
  const context = trimThread(thread, REWRITE_THREAD_TOKENS)
    .map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.text}`)
    .join('\n');
  const reply = await llm.streamChat(
    [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `Conversation:\n${context}\n\nLast message: ${question}` },
    ],
    { model, maxTokens: REWRITE_MAX_TOKENS, temperature: 0 },
    () => {},
  );
  const text =
    reply.text
      .trim()
      .replace(/^["“]|["”]$/g, '')
      .split('\n')[0]
      ?.trim() ?? '';
  return {
    text: text || question,
    promptTokens: reply.promptTokens,
    completionTokens: reply.completionTokens,
  };
}
