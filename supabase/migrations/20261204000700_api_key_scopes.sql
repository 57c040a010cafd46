-- API keys get scopes, an optional expiry and rotation. Keys made before scopes could only manage
-- documents, so they keep exactly that. A rotated key points at the key that replaced it; the old one keeps
-- working until its expires_at (the grace period the admin chose), then stops like any expired key.
ALTER TABLE lore.api_keys
  ADD COLUMN scopes text[] NOT NULL DEFAULT ARRAY['documents:read', 'documents:write']::text[],
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN replaced_by uuid REFERENCES lore.api_keys (id) ON DELETE SET NULL;

ALTER TABLE lore.api_keys
  ADD CONSTRAINT api_keys_scopes_known CHECK (
    cardinality(scopes) > 0 AND scopes <@ ARRAY['documents:read', 'documents:write', 'ask']::text[]
  );
