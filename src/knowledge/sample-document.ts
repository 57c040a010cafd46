import { Readable } from 'node:stream';
import { addDocument, type IntakeDeps } from './document-intake.service.js';
import { GETTING_STARTED_MARKDOWN, GETTING_STARTED_NAME } from './samples/getting-started.js';

/**
 * Adds the "Getting started with Lore" document to a workspace (first install, demo workspace), so the
 * bot can answer at once. Adding it again is recognised as identical and changes nothing.
 */
export async function seedSampleDocument(deps: IntakeDeps, tenantId: string): Promise<void> {
  await addDocument(deps, tenantId, {
    fileName: GETTING_STARTED_NAME,
    body: Readable.from([Buffer.from(GETTING_STARTED_MARKDOWN)]),
    source: 'sample',
    actor: 'system',
  });
}
