-- Issue 14: questions asked through POST /api/ask with an API key are recorded as their own surface, so usage
-- by surface tells an integration's questions from the admins' playground.
ALTER TABLE lore.conversations DROP CONSTRAINT conversations_surface_check;
ALTER TABLE lore.conversations ADD CONSTRAINT conversations_surface_check
  CHECK (surface IN ('mention', 'dm', 'thread', 'ask', 'assistant', 'playground', 'api'));
