import { FlowyteError } from 'flowyte/client';

/** An error of a request, said plainly (the API's detail, and the request id for support). */
export function ErrorNote({ error, prefix }: { error: unknown; prefix?: string }) {
  if (!error) return null;
  const e = error instanceof FlowyteError ? error : null;
  const text = e ? (e.status === 0 ? 'The server cannot be reached. Check your connection and try again.' : e.message) : String((error as Error)?.message ?? error);
  return (
    <div className="error-note" role="alert">
      <p>
        {prefix ? `${prefix}: ` : ''}
        {text}
      </p>
      {e && e.errors.length > 0 && (
        <ul>
          {e.errors.map((x, i) => (
            <li key={i}>
              <code>{x.field}</code>: {x.message}
            </li>
          ))}
        </ul>
      )}
      {e?.requestId && <p className="muted small">Request id {e.requestId}</p>}
    </div>
  );
}
