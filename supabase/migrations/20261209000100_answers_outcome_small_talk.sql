-- Issue 12: a greeting, thanks or a question about Lore itself ("hi", "thanks!", "what can you do?") is not
-- a question for the documents. It gets a short reply of its own (src/ai/small-talk.ts), recorded with the
-- outcome 'small_talk': no knowledge gap, and not counted among the questions in usage.
-- The column's CHECK was declared inline in 20261123000200, so it carries Postgres's default name.
ALTER TABLE lore.answers DROP CONSTRAINT answers_outcome_check;
-- NOT VALID, then VALIDATE: the check of existing rows runs without blocking writes to the table.
ALTER TABLE lore.answers ADD CONSTRAINT answers_outcome_check CHECK (outcome IN
  ('pending', 'answered', 'extractive', 'no_sources', 'small_talk', 'failed', 'rate_limited', 'over_quota'))
  NOT VALID;
ALTER TABLE lore.answers VALIDATE CONSTRAINT answers_outcome_check;
