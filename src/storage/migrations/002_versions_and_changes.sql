-- Published versions (lifecycle.md) and the post-commit change notifications (the event seam).

-- An immutable, numbered snapshot of an agent's draft. `number` is gapless per agent: publish
-- takes the agent's row lock, and the unique key refuses a duplicate even if that were bypassed.
CREATE TABLE agent_versions (
  id                    text PRIMARY KEY,
  organization_id       text NOT NULL REFERENCES organizations(id),
  agent_id              text NOT NULL REFERENCES agents(id),
  number                integer NOT NULL CHECK (number >= 1),
  note                  text,
  config                jsonb NOT NULL,
  published_at          timestamptz NOT NULL,
  published_by          text,
  source_agent_version  integer NOT NULL,
  UNIQUE (agent_id, number)
);
CREATE INDEX agent_versions_list ON agent_versions (organization_id, agent_id, number DESC);

-- A version never changes after it is created: not through the API, not through a bug.
CREATE FUNCTION agent_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'agent versions are immutable';
END
$$;
CREATE TRIGGER agent_versions_no_update BEFORE UPDATE OR DELETE ON agent_versions
  FOR EACH ROW EXECUTE FUNCTION agent_versions_immutable();
CREATE TRIGGER agent_versions_no_truncate BEFORE TRUNCATE ON agent_versions
  FOR EACH STATEMENT EXECUTE FUNCTION agent_versions_immutable();

-- The event seam: every audit row is a change. When its transaction commits, PostgreSQL
-- delivers this notification to every process LISTENing on `flowyte_changes`; nothing is sent
-- for a transaction that rolls back.
CREATE FUNCTION flowyte_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('flowyte_changes', json_build_object(
    'id', NEW.id,
    'organizationId', NEW.organization_id,
    'action', NEW.action,
    'resourceType', NEW.resource_type,
    'resourceId', NEW.resource_id)::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION flowyte_notify_change();
