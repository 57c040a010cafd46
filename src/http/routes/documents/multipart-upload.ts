import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { badRequest, unsupportedMediaType } from '../../../errors.js';

/** Files per request: enough for a drag-and-drop of a folder's worth, bounded so one request cannot run forever. */
export const MAX_FILES_PER_UPLOAD = 20;

export interface IncomingFile {
  fileName: string;
  stream: Readable;
  fields: Record<string, string>;
}

/**
 * Streams each file of a multipart request to `onFile` in turn (one at a time, never buffered whole);
 * text fields that come before a file (such as `title`) are passed with it.
 */
export function forEachUploadedFile(
  req: Request,
  onFile: (file: IncomingFile) => Promise<void>,
): Promise<number> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      unsupportedMediaType('Send documents as multipart/form-data with one or more "file" fields.'),
    );
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let count = 0;
    let chain = Promise.resolve();
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      // Answer now and close the connection after the answer, instead of reading the rest of the body first
      // (up to the client's whole upload); what still arrives meanwhile is discarded.
      req.res?.setHeader('Connection', 'close');
      req.resume();
      reject(err);
    };
    const parser = busboy({
      headers: req.headers,
      limits: { files: MAX_FILES_PER_UPLOAD, fields: 20, fieldSize: 10_000 },
    });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      count++;
      const file = { fileName: info.filename ?? '', stream, fields: { ...fields } };
      // Files are handled in order; the next file's bytes wait in the socket until this one is consumed.
      chain = chain
        .then(() => (failed ? undefined : onFile(file)))
        // A file refused before its bytes were read (no name, a bad field) is drained here, or the parser
        // would wait on it forever.
        .then(() => void stream.resume())
        .catch((err) => {
          stream.resume();
          fail(err);
        });
    });
    parser.on('filesLimit', () =>
      fail(badRequest(`Upload at most ${MAX_FILES_PER_UPLOAD} files per request.`)),
    );
    parser.on('error', (err) => fail(badRequest(`The upload could not be read: ${(err as Error).message}`)));
    parser.on('close', () => {
      chain.then(() => {
        if (failed) return;
        if (count === 0) fail(badRequest('No file in the upload: send at least one "file" field.'));
        else resolve(count);
      }, fail);
    });
    req.pipe(parser);
  });
}
