import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/knowledge/ingestion/chunk.js';
import type { IngestError } from '../../../src/knowledge/ingestion/ingest-error.js';
import { parseDocument } from '../../../src/knowledge/ingestion/parse/parse-document.js';

const HANDBOOK = `---
title: "Engineering Handbook"
owner: platform-team
---
# Engineering Handbook

Welcome! Read **this** first, then see the [wiki](https://wiki.example.com) and \`make help\`.

## Deploys

Deploys happen on *weekdays* only.
They never happen on Fridays after noon.

- Open a change request
- Get one approval
  - Two for database changes

### Rollback

\`\`\`bash
# not a heading: this is code
git revert HEAD
  npm run deploy
\`\`\`

On-call
-------

| Week | Person |
|------|--------|
| 1    | Ana    |

> Page the on-call engineer only for outages.
`;

describe('parseDocument: Markdown', () => {
  it('reads ATX and setext headings, lists, tables, quotes and code; front matter gives the title', async () => {
    const doc = await parseDocument(Buffer.from(HANDBOOK), 'text/markdown', 'handbook.md');
    expect(doc.title).toBe('Engineering Handbook');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Engineering Handbook' },
      { kind: 'text', text: 'Welcome! Read this first, then see the wiki and make help.' },
      { kind: 'heading', level: 2, text: 'Deploys' },
      { kind: 'text', text: 'Deploys happen on weekdays only. They never happen on Fridays after noon.' },
      { kind: 'text', text: '- Open a change request\n- Get one approval\n  - Two for database changes' },
      { kind: 'heading', level: 3, text: 'Rollback' },
      { kind: 'text', text: '# not a heading: this is code\ngit revert HEAD\n  npm run deploy' },
      { kind: 'heading', level: 2, text: 'On-call' },
      { kind: 'text', text: '| Week | Person |\n| 1 | Ana |' },
      { kind: 'text', text: 'Page the on-call engineer only for outages.' },
    ]);
    expect(doc.blocks.map((b) => b.text).join('\n')).not.toContain('platform-team');
  });

  it('chunks by section: the title heading is not repeated in the path, subsections nest', async () => {
    const chunks = chunkDocument(await parseDocument(Buffer.from(HANDBOOK), 'text/markdown', 'handbook.md'));
    expect(chunks.map((c) => c.section)).toEqual(['', 'Deploys', 'On-call']);
    expect(chunks[1]?.content).toMatch(/^Deploys\n\n/);
    expect(chunks[1]?.content).toContain('Rollback\n\n# not a heading');
  });

  it('reduces links and emphasis that hard wrapping split across lines, in paragraphs and list items', async () => {
    const wrapped = [
      '## Help',
      '',
      'Still stuck? Ask the [Service',
      'Desk](https://example.com/help) or read the **security',
      'rules** first.',
      '',
      '- **Activate',
      '  [Find My iPhone](https://example.com/find).** If you are',
      '  on Android, activate [Device',
      '  Manager](https://example.com/android).',
      '- Lock your screen.',
    ].join('\n');
    const doc = await parseDocument(Buffer.from(wrapped), 'text/markdown', 'help.md');
    expect(doc.blocks.slice(1)).toEqual([
      { kind: 'text', text: 'Still stuck? Ask the Service Desk or read the security rules first.' },
      {
        kind: 'text',
        text: '- Activate Find My iPhone. If you are on Android, activate Device Manager.\n- Lock your screen.',
      },
    ]);
  });

  it('keeps nested list items on lines of their own at any depth, and shows escaped characters as themselves', async () => {
    const nested = [
      '## Enrolling',
      '',
      '- Fill out the approver section',
      '    - Select your supervisor. If they are not listed,',
      '      ask them to enrol first',
      '        - Supervisors email \\*transit\\* to be raised',
      '- Submit the form',
      '',
      '\\*If you only need a car, pick \\[rental car only\\]. Costs are 5 \\* 20 \\_each\\_.',
    ].join('\n');
    const doc = await parseDocument(Buffer.from(nested), 'text/markdown', 'transit.md');
    expect(doc.blocks.slice(1)).toEqual([
      {
        kind: 'text',
        text: [
          '- Fill out the approver section',
          '    - Select your supervisor. If they are not listed, ask them to enrol first',
          '        - Supervisors email *transit* to be raised',
          '- Submit the form',
        ].join('\n'),
      },
      { kind: 'text', text: '*If you only need a car, pick [rental car only]. Costs are 5 * 20 _each_.' },
    ]);
    // A character of the document's own that looks like nothing (an icon font's private-use glyph) stays as it is.
    const icons = await parseDocument(Buffer.from('Press \uE041 then \\* to star.'), 'text/markdown', 'i.md');
    expect(icons.blocks.map((b) => b.text)).toEqual(['Press \uE041 then * to star.']);
  });

  it('without front matter the title is the first heading, else the file name', async () => {
    const headed = await parseDocument(
      Buffer.from('Intro line.\n\n## Setup\n\nSteps.'),
      'text/markdown',
      'a.md',
    );
    expect(headed.title).toBe('Setup');
    const bare = await parseDocument(
      Buffer.from(`${'word '.repeat(40)}\n`),
      'text/markdown',
      'docs/release_notes.md',
    );
    expect(bare.title).toBe('release notes');
  });

  it('front matter alone is an empty_document', async () => {
    const err = await parseDocument(
      Buffer.from('---\ntitle: Draft\n---\n\n'),
      'text/markdown',
      'draft.md',
    ).catch((e: unknown) => e);
    expect((err as IngestError).reason).toBe('empty_document');
  });
});

describe('parseDocument: plain text', () => {
  it('reads paragraphs separated by blank lines, strips the BOM, and titles by a short first line', async () => {
    const text =
      '\ufeffWi-Fi at the office\n\nThe network is called Guest.\nThe password is on the fridge.\r\n\r\nAsk IT for help.';
    const doc = await parseDocument(Buffer.from(text), 'text/plain', 'wifi.txt');
    expect(doc.title).toBe('Wi-Fi at the office');
    expect(doc.blocks).toEqual([
      { kind: 'text', text: 'Wi-Fi at the office' },
      { kind: 'text', text: 'The network is called Guest.\nThe password is on the fridge.' },
      { kind: 'text', text: 'Ask IT for help.' },
    ]);
  });

  it('a long first line is not a title: the file name is', async () => {
    const doc = await parseDocument(
      Buffer.from(`${'This sentence is long. '.repeat(10)}\n`),
      'text/plain',
      'notes.txt',
    );
    expect(doc.title).toBe('notes');
  });

  it('removes control characters and normalises Unicode to NFC', async () => {
    const doc = await parseDocument(
      Buffer.from('Cafe\u0301 menu\u0007 and\u00a0prices'),
      'text/plain',
      'menu.txt',
    );
    expect(doc.blocks[0]?.text).toBe('Caf\u00e9 menu and prices');
  });

  it('whitespace only is an empty_document; invalid UTF-8 is unsupported_type', async () => {
    const empty = await parseDocument(Buffer.from(' \n\t\n '), 'text/plain', 'a.txt').catch(
      (e: unknown) => e,
    );
    expect((empty as IngestError).reason).toBe('empty_document');
    const latin1 = await parseDocument(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/plain', 'a.txt').catch(
      (e: unknown) => e,
    );
    expect((latin1 as IngestError).reason).toBe('unsupported_type');
    expect((latin1 as IngestError).message).toMatch(/UTF-8/);
  });
});
