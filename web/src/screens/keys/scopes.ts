import type { components } from 'flowyte/client';

export type Scope = components['schemas']['Me']['effectiveScopes'][number];

/** Every scope a key can hold, in the order of api.md's table (checked against the SDK's type both ways). */
export const ALL_SCOPES = ['agents:read', 'agents:draft', 'agents:write', 'keys:read', 'keys:write', 'audit:read'] as const satisfies readonly Scope[];
type Missing = Exclude<Scope, (typeof ALL_SCOPES)[number]>;
const exhaustive: [Missing] extends [never] ? true : Missing = true;
void exhaustive;

/** What each scope allows (api.md, "Authentication, tenancy, scopes"). */
export const SCOPE_HELP: Record<Scope, string> = {
  'agents:read': 'list and read agents, versions, live config',
  'agents:draft': 'create agents and edit drafts (implies agents:read)',
  'agents:write': 'also publish, roll back and delete (implies agents:draft)',
  'keys:read': 'list API keys (never their secrets)',
  'keys:write': 'mint and revoke API keys',
  'audit:read': 'read the audit trail',
};
