-- Forward-only; never edit a migration that has shipped: add the next one.
CREATE TABLE organizations (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE api_keys (
  id               text PRIMARY KEY,
  organization_id  text NOT NULL REFERENCES organizations(id),
  name             text NOT NULL,
  scopes           text[] NOT NULL,
  start            text NOT NULL,
  key_hash         text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL,
  last_used_at     timestamptz,
  revoked_at       timestamptz
);
CREATE INDEX api_keys_org_list ON api_keys (organization_id, id DESC);

CREATE TABLE agents (
  id                       text PRIMARY KEY,
  organization_id          text NOT NULL REFERENCES organizations(id),
  name_key                 text NOT NULL,
  version                  integer NOT NULL CHECK (version >= 1),
  status                   text NOT NULL CHECK (status IN ('draft', 'published')),
  has_unpublished_changes  boolean NOT NULL,
  published_version_id     text,
  is_active                boolean NOT NULL,
  config                   jsonb NOT NULL,
  created_by               text NOT NULL,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  deleted_at               timestamptz
);
-- duplicate_name is enforced here, not in process memory
CREATE UNIQUE INDEX agents_live_name ON agents (organization_id, name_key) WHERE deleted_at IS NULL;
CREATE INDEX agents_org_list ON agents (organization_id, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE idempotency_records (
  organization_id  text NOT NULL,
  key              text NOT NULL,
  fingerprint      text NOT NULL,
  status_code      integer NOT NULL,
  headers          jsonb NOT NULL,
  body             text NOT NULL,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (organization_id, key)
);

CREATE TABLE audit_events (
  id                    text PRIMARY KEY,
  organization_id       text NOT NULL,
  at                    timestamptz NOT NULL,
  actor_key_id          text,
  request_id            text NOT NULL,
  action                text NOT NULL,
  resource_type         text NOT NULL,
  resource_id           text NOT NULL,
  agent_version_before  integer,
  agent_version_after   integer,
  changed_fields        text[] NOT NULL
);
CREATE INDEX audit_events_org_list ON audit_events (organization_id, id DESC);

-- server-wide secrets shared by every process (the cursor HMAC key)
CREATE TABLE server_secrets (
  name   text PRIMARY KEY,
  value  text NOT NULL
);
