/** Small formatters shared by the versions and live-preview tabs. */

/** An ISO instant in the browser's locale and zone, e.g. "Dec 1, 2026, 9:41 PM". */
export function formatInstant(iso: string | null | undefined, timeZone?: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(undefined, timeZone ? { ...opts, timeZone } : opts).format(d);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(d);
  }
}

/** An instant with its weekday and zone name, in `timeZone` (the agent's) when given. */
export function formatInstantLong(iso: string | null | undefined, timeZone?: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat(undefined, timeZone ? { ...opts, timeZone } : opts).format(d);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(d);
  }
}

/** "key_01JD3ZK7X8…" — long ids shortened for tables (the full id goes in a title). */
export function shortId(id: string, keep = 12): string {
  return id.length > keep + 1 ? `${id.slice(0, keep)}…` : id;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How a JSON value reads: a placeholder word, a line of text, or pretty-printed JSON. */
export type ValueView = { kind: 'placeholder'; text: string } | { kind: 'text'; text: string } | { kind: 'json'; text: string };

export function viewValue(v: unknown): ValueView {
  if (v === undefined) return { kind: 'placeholder', text: 'Not set' };
  if (v === null) return { kind: 'placeholder', text: 'None' };
  if (v === '') return { kind: 'placeholder', text: 'Empty' };
  if (typeof v === 'boolean') return { kind: 'text', text: v ? 'Yes' : 'No' };
  if (typeof v === 'string' || typeof v === 'number') return { kind: 'text', text: String(v) };
  if (Array.isArray(v) && v.length === 0) return { kind: 'placeholder', text: 'Empty list' };
  if (isPlainObject(v) && Object.keys(v).length === 0) return { kind: 'placeholder', text: 'Empty' };
  return { kind: 'json', text: JSON.stringify(v, null, 2) };
}
