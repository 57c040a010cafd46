import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OpenAI-compatible server on loopback: constant embeddings, and chat completions streamed at once. */
export async function startFakeOpenAi(): Promise<{ url: string; close(): Promise<void> }> {
  const unit = Array.from({ length: 1536 }, (_, i) => (i === 0 ? 1 : 0));
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      if (req.url?.endsWith('/embeddings')) {
        const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            object: 'list',
            model: body.model,
            data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: unit })),
            usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
          }),
        );
        return;
      }
      res.setHeader('content-type', 'text/event-stream');
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      for (const word of 'Mention @Lore in a channel it has been added to [1].'.split(/(?<= )/))
        res.write(chunk(word));
      res.end(
        `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage: { prompt_tokens: 300, completion_tokens: 12, total_tokens: 312 } })}\n\ndata: [DONE]\n\n`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
