/** The scopes of api.md and their one implication chain: write ⊃ draft ⊃ read. */
export const SCOPES = ['agents:read', 'agents:draft', 'agents:write', 'keys:read', 'keys:write', 'audit:read'] as const;
export type Scope = (typeof SCOPES)[number];

const IMPLIES: Partial<Record<Scope, Scope[]>> = {
  'agents:write': ['agents:draft', 'agents:read'],
  'agents:draft': ['agents:read'],
};

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** The granted scopes plus everything they imply. */
export function effectiveScopes(granted: readonly string[]): Set<Scope> {
  const out = new Set<Scope>();
  for (const s of granted) {
    if (!isScope(s)) continue;
    out.add(s);
    for (const i of IMPLIES[s] ?? []) out.add(i);
  }
  return out;
}
