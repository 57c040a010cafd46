import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, loadConfig } from '../../src/config.js';

const lines = readFileSync('.env.example', 'utf8')
  .split('\n')
  .filter((l) => /^[A-Z_]+=/.test(l));
const documented = lines.map((l) => l.split('=')[0]);

describe('.env.example', () => {
  it('has one line for every variable the config reads, and no others', () => {
    expect([...documented].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it('explains every variable on its line', () => {
    expect(lines.filter((l) => !/#\s*\S/.test(l))).toEqual([]);
  });

  it('is itself a valid development configuration', () => {
    const env = Object.fromEntries(
      lines.map((l) => [
        l.split('=')[0],
        l
          .slice(l.indexOf('=') + 1)
          .split(/\s+#/)[0]
          ?.trim() ?? '',
      ]),
    );
    expect(() => loadConfig(env)).not.toThrow();
  });
});
