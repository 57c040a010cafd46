import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');
const FEATURES = ['tenants', 'knowledge', 'ai', 'usage', 'audit'];
const DELIVERY = ['slack', 'http', 'jobs', 'cli'];
const ADAPTER_FACTORIES =
  /\b(createPostgresDatabase|createEmbeddedDatabase|createRedisStore|createMemoryStore|createBullmqQueue|createMemoryQueue)\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level src folder a file lives in ('' for src/*.ts). */
const areaOf = (file: string) => {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? (rel[0] ?? '') : '';
};

/** Every import specifier in a file: static, dynamic and re-exports. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  // `from '…'`, `import('…')` and `import '…'`; not the word "from" inside a string.
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(pattern)) if (m[1]) found.push(m[1]);
  return found;
}

/** Resolves a relative import to its src area; package imports return the package name. */
function targetOf(file: string, spec: string): { area?: string; pkg?: string } {
  if (!spec.startsWith('.')) return { pkg: spec };
  const resolved = path.resolve(path.dirname(file), spec);
  return { area: areaOf(resolved) };
}

const files = sourceFiles(SRC);

/**
 * SQL on the `lore` schema: a table after a keyword that names one (FROM, JOIN, INTO, UPDATE, TABLE, USING; any
 * case, as in `DELETE FROM` or `delete from`), another table of a FROM list, or a call of a `lore.` function.
 */
const SQL_ON_LORE_TABLE =
  /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|USING)\s+lore\.[a-z_$]|,\s*lore\.[a-z_$]|\blore\.[a-z_]+\(/i;

/** Import violations for a rule, as "file → import" strings a reader can act on. */
function violations(rule: (fromArea: string, target: { area?: string; pkg?: string }) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((spec) => rule(areaOf(file), targetOf(file, spec)))
      .map((spec) => `${path.relative(SRC, file)} → ${spec}`),
  );
}

describe('architecture (design §2)', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.map((f) => path.relative(SRC, f))).toContain('config.ts');
  });

  it('feature modules never import delivery layers (slack, http, jobs, cli)', () => {
    expect(violations((from, t) => FEATURES.includes(from) && DELIVERY.includes(t.area ?? ''))).toEqual([]);
  });

  it('infra adapters never import features or delivery layers', () => {
    expect(
      violations((from, t) => from === 'infra' && [...FEATURES, ...DELIVERY].includes(t.area ?? '')),
    ).toEqual([]);
  });

  it('contracts (the /api shapes the dashboard compiles against) import only zod and each other', () => {
    expect(
      violations((from, t) => from === 'contracts' && (t.pkg ? t.pkg !== 'zod' : t.area !== 'contracts')),
    ).toEqual([]);
  });

  it('only src/slack imports Bolt', () => {
    expect(violations((from, t) => from !== 'slack' && t.pkg === '@slack/bolt')).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = files
      .filter((f) => path.relative(SRC, f) !== 'config.ts')
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(readers).toEqual([]);
  });

  it('only src/main.ts constructs infrastructure adapters', () => {
    const builders = files
      .filter((f) => !/^infra\//.test(path.relative(SRC, f)) && path.relative(SRC, f) !== 'main.ts')
      .filter((f) => ADAPTER_FACTORIES.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(builders).toEqual([]);
  });

  it('errors are made by the factories in src/errors.ts (or an AppError subclass), never by hand', () => {
    // A hand-built AppError is how free-string codes crept in; the ErrorCode union keeps them closed.
    const handBuilt = files
      .filter((f) => path.relative(SRC, f) !== 'errors.ts')
      .filter((f) => /\bnew AppError\(/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(handBuilt).toEqual([]);
  });

  it('SQL against lore.* tables lives only in *.repo.ts files', () => {
    const outsideRepos = files
      .map((f) => path.relative(SRC, f))
      .filter((rel) => !rel.endsWith('.repo.ts'))
      .filter((rel) => SQL_ON_LORE_TABLE.test(readFileSync(path.join(SRC, rel), 'utf8')));
    expect(outsideRepos).toEqual([]);
  });

  it('each lore table is written (INSERT, UPDATE, DELETE) by one *.repo.ts file, its owner', () => {
    const writers = new Map<string, Set<string>>();
    for (const rel of files.map((f) => path.relative(SRC, f)).filter((r) => r.endsWith('.repo.ts'))) {
      const source = readFileSync(path.join(SRC, rel), 'utf8');
      for (const m of source.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+lore\.([a-z_]+)/gi)) {
        const table = (m[1] ?? '').toLowerCase();
        writers.set(table, (writers.get(table) ?? new Set()).add(rel));
      }
    }
    expect(writers.size).toBeGreaterThan(10);
    const shared = [...writers]
      .filter(([, repos]) => repos.size > 1)
      .map(([t, repos]) => `${t}: ${[...repos]}`);
    expect(shared).toEqual([]);
  });

  it('the SQL rule recognises statements on lore tables, and not prose about them', () => {
    expect(SQL_ON_LORE_TABLE.test('SELECT id FROM lore.tenants WHERE id = $1')).toBe(true);
    expect(SQL_ON_LORE_TABLE.test("c.query('UPDATE lore.tenants SET x = 1')")).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('INSERT INTO lore.answers (id) VALUES ($1)')).toBe(true);
    // A table name filled in by a template: `JOIN lore.${table}`.
    expect(SQL_ON_LORE_TABLE.test(`JOIN lore.$${'{'}table} x ON true`)).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('DELETE FROM lore.documents WHERE id = $1')).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('delete from lore.documents where id = $1')).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('DELETE FROM lore.usage_daily d USING lore.tenants t')).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('SELECT a.x FROM (VALUES (1)) a, lore.tenants t')).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('SELECT * FROM lore.hybrid_search($1, $2)')).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('SELECT lore.current_tenant_id()')).toBe(true);
    expect(SQL_ON_LORE_TABLE.test('// a miss reads lore.conversations once')).toBe(false);
    expect(SQL_ON_LORE_TABLE.test('// filtered inside lore.hybrid_search (a channel scope)')).toBe(false);
    expect(SQL_ON_LORE_TABLE.test("Symbol('lore.fetchedInstallation')")).toBe(false);
  });

  it('the rule checker itself catches a forbidden import', () => {
    const fake = path.join(SRC, 'tenants', 'x.ts');
    expect(targetOf(fake, '../http/app.js').area).toBe('http');
    expect(
      importsOf(
        "import { a } from '../slack/app.js';\nconst m = await import('../http/x.js');\nimport './side.js';\nconst s = '\"from\" x';",
      ),
    ).toEqual(['../slack/app.js', '../http/x.js', './side.js']);
  });
});
