-- Per-workspace retention of questions and answers: null keeps them; otherwise the daily answer-retention
-- job deletes answers (with their sources, feedback and knowledge gaps) older than this many days, and
-- conversations left without answers. Metered usage and its rollups stay (usage_events.answer_id is
-- SET NULL), so billing and charts keep their numbers.
ALTER TABLE lore.tenant_settings
  ADD COLUMN answer_retention_days integer CHECK (answer_retention_days IN (30, 90, 365));

-- The job finds a thread's answers when it decides whether the conversation may go.
CREATE INDEX answers_conversation_idx ON lore.answers (conversation_id);
