import express, { Router } from 'express';
import { z } from 'zod';
import {
  chunksQuery,
  type DocumentDetailDto,
  type DocumentDto,
  documentIdParams,
  listDocumentsQuery,
  reindexBody,
  type UploadResultDto,
  type VersionDto,
} from '../../../contracts/documents.contract.js';
import { badRequest, isAppError } from '../../../errors.js';
import { addDocument, type IntakeDeps } from '../../../knowledge/document-intake.service.js';
import type { DocumentRecord, VersionRecord } from '../../../knowledge/documents.repo.js';
import {
  deleteDocument,
  getDocument,
  getDocumentChunks,
  listDocuments,
  reindexDocument,
  reindexTenant,
} from '../../../knowledge/documents.service.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseIds, parseInput } from '../../middleware/validate.js';
import { pageWindow, sendPage } from '../../paging.js';
import { forEachUploadedFile } from './multipart-upload.js';

/** The wire shape of a document (dates as ISO strings). */
export function toDocumentDto(d: DocumentRecord): DocumentDto {
  const { activeVersionId: _internal, ...rest } = d;
  return { ...rest, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() };
}

/**
 * The wire shape of a version: the contract's fields only, named one by one so internal columns (the
 * blob store key of the original) never reach a client.
 */
export function toVersionDto(v: VersionRecord): VersionDto {
  return {
    id: v.id,
    documentId: v.documentId,
    version: v.version,
    checksum: v.checksum,
    byteSize: v.byteSize,
    mediaType: v.mediaType,
    pageCount: v.pageCount,
    status: v.status,
    errorReason: v.errorReason,
    createdAt: v.createdAt.toISOString(),
  };
}

/** The optional `collectionId` field of an upload (before its file): a collection id, or absent. */
function collectionIdField(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!z.uuid().safeParse(raw).success)
    throw badRequest(
      'collectionId must be the id of one of your collections (GET /api/collections lists them).',
    );
  return raw;
}

/** `/api/documents`: upload, list, view, delete and re-index the signed-in tenant's documents. */
export function documentsRoutes(deps: IntakeDeps & { embeddingModel: string | null }): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.post('/documents', async (req, res) => {
    const auth = authOf(req);
    const results: UploadResultDto[] = [];
    await forEachUploadedFile(req, async (file) => {
      try {
        const r = await addDocument(deps, auth.tenantId, {
          fileName: file.fileName,
          title: file.fields.title,
          collectionId: collectionIdField(file.fields.collectionId),
          body: file.stream,
          source: auth.via === 'api_key' ? 'api' : 'upload',
          actor: auth.actor,
          requestId: String(req.id),
        });
        results.push({
          fileName: r.document.sourceName,
          outcome: r.outcome,
          document: toDocumentDto(r.document),
        });
      } catch (err) {
        // Too large ends the whole request at once (413, connection closed): reading on would mean taking
        // the rest of an oversized body from whoever sends it.
        if (!isAppError(err) || !err.expose || err.status === 413) throw err;
        results.push({ fileName: file.fileName, error: { code: err.code, message: err.message } });
      }
    });
    const accepted = results.some((r) => r.outcome);
    res.status(accepted ? 202 : 422).json({ results });
  });

  router.get('/documents', async (req, res) => {
    const q = parseInput(listDocumentsQuery, req.query);
    const page = await listDocuments(deps.db, authOf(req).tenantId, {
      search: q.search,
      status: q.status,
      sort: q.sort,
      order: q.order,
      ...pageWindow(q),
    });
    sendPage(res, q, page);
  });

  router.post('/documents/reindex', json, async (req, res) => {
    const auth = authOf(req);
    const body = parseInput(reindexBody, req.body ?? {});
    const queued = await reindexTenant(deps, auth.tenantId, {
      embeddingModel: deps.embeddingModel,
      all: body.all,
      actor: auth.actor,
    });
    res.status(202).json({ queued });
  });

  router.get('/documents/:id', async (req, res) => {
    const { id } = parseIds(documentIdParams, req.params, 'Document');
    const { document, versions } = await getDocument(deps.db, authOf(req).tenantId, id);
    const body: DocumentDetailDto = {
      // The dashboard marks the searchable version with it.
      document: { ...toDocumentDto(document), activeVersionId: document.activeVersionId },
      versions: versions.map(toVersionDto),
    };
    res.json(body);
  });

  router.get('/documents/:id/chunks', async (req, res) => {
    const { id } = parseIds(documentIdParams, req.params, 'Document');
    const q = parseInput(chunksQuery, req.query);
    const page = await getDocumentChunks(deps.db, authOf(req).tenantId, id, pageWindow(q));
    sendPage(res, q, page);
  });

  router.delete('/documents/:id', async (req, res) => {
    const { id } = parseIds(documentIdParams, req.params, 'Document');
    await deleteDocument(deps, authOf(req).tenantId, id, authOf(req).actor);
    res.status(204).end();
  });

  router.post('/documents/:id/reindex', async (req, res) => {
    const { id } = parseIds(documentIdParams, req.params, 'Document');
    await reindexDocument(deps, authOf(req).tenantId, id, authOf(req).actor);
    res.status(202).json({ queued: 1 });
  });

  return router;
}
