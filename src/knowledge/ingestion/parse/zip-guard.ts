import yauzl from 'yauzl';
import { IngestError } from '../ingest-error.js';

/** Default cap on the bytes a DOCX may decompress to, all entries together. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;
const MAX_ENTRIES = 10_000;
// Office XML compresses about 10:1; past this ratio (on more than a megabyte) a zip entry is a bomb.
const MAX_RATIO = 200;
const RATIO_FLOOR_BYTES = 1024 * 1024;
const SMALL_ENTRY_BYTES = 256 * 1024;

export interface ZipInspection {
  entryNames: string[];
  /** Contents of the small entries asked for (such as docProps/core.xml), by name. */
  small: Map<string, string>;
  uncompressedBytes: number;
}

/**
 * Streams every entry of a zip, counting the bytes it really decompresses to (declared sizes can lie), and
 * stops at the first sign of a bomb: over `maxBytes` in total, an extreme compression ratio, or too many
 * entries. Nothing is kept in memory except the small entries named in `keep`.
 */
export async function inspectZip(
  bytes: Buffer,
  maxBytes: number,
  keep: string[] = [],
): Promise<ZipInspection> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: false });
  } catch (err) {
    throw corrupt(err);
  }
  try {
    if (zip.entryCount > MAX_ENTRIES) throw bomb(`it holds ${zip.entryCount} files`);
    const result: ZipInspection = { entryNames: [], small: new Map(), uncompressedBytes: 0 };
    for await (const entry of zip.eachEntry()) {
      result.entryNames.push(entry.fileName);
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      const wanted = keep.includes(entry.fileName);
      const parts: Buffer[] = [];
      let entryBytes = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        entryBytes += chunk.length;
        result.uncompressedBytes += chunk.length;
        if (result.uncompressedBytes > maxBytes) {
          stream.destroy();
          throw bomb(`it expands to more than ${Math.round(maxBytes / 1024 / 1024)} MB`);
        }
        if (entryBytes > RATIO_FLOOR_BYTES && entryBytes > Math.max(entry.compressedSize, 1) * MAX_RATIO) {
          stream.destroy();
          throw bomb('it is compressed to an implausible degree');
        }
        if (wanted && entryBytes <= SMALL_ENTRY_BYTES) parts.push(chunk);
      }
      if (wanted && entryBytes <= SMALL_ENTRY_BYTES)
        result.small.set(entry.fileName, Buffer.concat(parts).toString('utf8'));
    }
    return result;
  } catch (err) {
    if (err instanceof IngestError) throw err;
    throw corrupt(err);
  } finally {
    zip.close();
  }
}

function bomb(why: string): IngestError {
  return new IngestError('zip_bomb', `This file was refused because ${why}, which is how zip bombs behave.`);
}

function corrupt(cause: unknown): IngestError {
  return new IngestError(
    'corrupt_file',
    'This Word file is damaged or incomplete and cannot be opened.',
    cause,
  );
}
