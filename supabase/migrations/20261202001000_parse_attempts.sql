-- How many times reading a version started without finishing. The reader runs in a bounded worker thread,
-- so a hostile file normally fails there; this catches the rest: a process killed while reading (out of
-- memory, SIGKILL). After two such starts the version is failed instead of crashing every worker in turn.
ALTER TABLE lore.document_versions
  ADD COLUMN parse_attempts integer NOT NULL DEFAULT 0 CHECK (parse_attempts >= 0);
