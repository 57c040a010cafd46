/**
 * The port to a language-model provider (OpenAI or any OpenAI-compatible server). Features depend on
 * this, never on the SDK, so a tenant's own key or a test fake slots in without touching them.
 */
export interface EmbeddingResult {
  vectors: number[][];
  promptTokens: number;
  model: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  model: string;
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface ChatResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  model: string;
}

export interface LlmClient {
  /** Embeds texts in one request (callers batch); vectors come back in input order. */
  embed(texts: string[], opts: { model: string; signal?: AbortSignal }): Promise<EmbeddingResult>;
  /** Streams a chat completion, calling `onDelta` with each piece of text; resolves with the whole reply and usage. */
  streamChat(
    messages: ChatMessage[],
    opts: ChatOptions,
    onDelta: (text: string) => Promise<void> | void,
  ): Promise<ChatResult>;
}

/** Dimensions of the chunks.embedding column (text-embedding-3-small). */
export const EMBEDDING_DIMENSIONS = 1536;

/** The embedding half of the port: all ingestion and search need. */
export type Embedder = Pick<LlmClient, 'embed'>;
