import { describe, expect, it } from 'vitest';
import { createCliOutput } from '../../../src/cli/cli-context.js';
import { runCli } from '../../../src/cli/run-cli.js';

// The CLI opens its context only when a command runs; opening can fail (database unreachable, data locked).
describe('runCli with a context opener', () => {
  it("a failed open is the command's error: exit 1 and the reason, not a crash", async () => {
    const out = createCliOutput();
    const code = await runCli(
      ['tenants', 'list'],
      async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      },
      out,
    );
    expect(code).toBe(1);
    expect(out.text()).toBe('Error: connect ECONNREFUSED 127.0.0.1:1');
  });

  it('help never opens the context', async () => {
    const out = createCliOutput();
    let opened = false;
    const code = await runCli(
      ['--help'],
      async () => {
        opened = true;
        throw new Error('unreachable');
      },
      out,
    );
    expect(code).toBe(0);
    expect(opened).toBe(false);
    expect(out.text()).toMatch(/Usage: lore/);
  });
});
