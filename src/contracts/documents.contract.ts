import { z } from 'zod';

/**
 * Request and response shapes of /api/documents, shared by the server and the dashboard so both type-check
 * against one definition.
 */
export const documentStatus = z.enum(['queued', 'parsing', 'embedding', 'ready', 'failed']);

export const listDocumentsQuery = z.object({
  search: z.string().max(200).optional(),
  status: documentStatus.optional(),
  sort: z.enum(['updated', 'created', 'title', 'status']).default('updated'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListDocumentsQuery = z.infer<typeof listDocumentsQuery>;

export const documentIdParams = z.object({ id: z.uuid() });

export const chunksQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const reindexBody = z.object({ all: z.boolean().default(false) }).default({ all: false });

export interface DocumentDto {
  id: string;
  title: string;
  sourceName: string;
  sourceKind: string;
  status: z.infer<typeof documentStatus>;
  progressDone: number;
  progressTotal: number;
  errorReason: string | null;
  chunkCount: number;
  latestVersion: number;
  /** The collection it belongs to: channels mapped to that collection (or DMs, for the default) may cite it. */
  collectionId: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface UploadResultDto {
  fileName: string;
  outcome?: 'created' | 'new_version' | 'duplicate';
  document?: DocumentDto;
  error?: { code: string; message: string };
}

export interface DocumentListDto {
  items: DocumentDto[];
  total: number;
  page: number;
  pageSize: number;
}

export interface VersionDto {
  id: string;
  documentId: string;
  version: number;
  checksum: string;
  byteSize: number;
  mediaType: string;
  pageCount: number | null;
  status: z.infer<typeof documentStatus>;
  errorReason: string | null;
  createdAt: string;
}

/** `GET /api/documents/:id`: the document with its versions, newest first. */
export interface DocumentDetailDto {
  document: DocumentDto & { activeVersionId?: string | null };
  versions: VersionDto[];
}

/** One passage of a document; `ordinal` is what `/app/documents/:id#chunk-<ordinal>` points at. */
export interface ChunkDto {
  id: string;
  ordinal: number;
  section: string;
  pageStart: number | null;
  pageEnd: number | null;
  content: string;
  tokenCount: number;
  embedded: boolean;
}

export interface ChunkListDto {
  items: ChunkDto[];
  total: number;
  page: number;
  pageSize: number;
}
