-- Tenants and their API keys (contract section 10). A key is kept only as the SHA-256 of its
-- secret; operator keys have no tenant. A tenant's browser settings live on its row: how its
-- learner tokens are verified (an HS256 secret or a public JWK set) and the origins it allows.

CREATE TABLE tenants (
  tenant_id      TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  learner_tokens JSONB,
  origins        JSONB NOT NULL DEFAULT '[]'
);

CREATE TABLE api_keys (
  key_id     TEXT PRIMARY KEY,
  tenant_id  TEXT REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  scopes     TEXT[] NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);
