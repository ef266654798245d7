/**
 * Every answer under `/api/` — 2xx, 304 and every error, 401/403/404/409/429 included — is
 * `Cache-Control: no-store`: it depends on the caller's key and on the moment, so no browser or
 * proxy may keep it (a shared cache could hand one organization's agent to another caller, a
 * browser could keep a key's answers on disk). Public paths (health, OpenAPI, docs, the
 * dashboard's files) keep their own caching.
 */
export const NO_STORE = 'no-store';

/** Whether a request URL (path and query, as received) is the API's. */
export function isApiUrl(url: string): boolean {
  return url.startsWith('/api') && (url.length === 4 || url[4] === '/' || url[4] === '?');
}
