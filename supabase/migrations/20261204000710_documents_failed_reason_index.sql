-- The operator's health view counts failed documents by reason on every refresh: a partial index keeps that
-- to the failed rows instead of a scan of every tenant's documents.
CREATE INDEX documents_failed_reason_idx ON lore.documents (error_reason) WHERE status = 'failed';
