import type { DocumentDto } from '@contracts/documents.contract';
import { Badge } from './widgets';

/** A document's pipeline status: queued, parsing, embedding n/m, ready, or failed (with its reason). */
export function DocStatus({
  doc,
}: {
  doc: Pick<DocumentDto, 'status' | 'progressDone' | 'progressTotal' | 'errorReason'>;
}) {
  switch (doc.status) {
    case 'ready':
      return <Badge tone="ok">Ready</Badge>;
    case 'failed':
      return (
        <span className="status-failed">
          <Badge tone="error">Failed</Badge>
          {doc.errorReason ? <span className="reason">{doc.errorReason}</span> : null}
        </span>
      );
    case 'embedding':
      return (
        <Badge tone="info">
          Embedding {doc.progressDone}/{doc.progressTotal}
        </Badge>
      );
    case 'parsing':
      return <Badge tone="info">Parsing</Badge>;
    default:
      return <Badge tone="muted">Queued</Badge>;
  }
}

/** Still moving through the pipeline (worth polling). */
export const inProgress = (status: DocumentDto['status']) => status !== 'ready' && status !== 'failed';
