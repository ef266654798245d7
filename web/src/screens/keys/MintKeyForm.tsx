import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { FlowyteError } from 'flowyte/client';
import { useSession } from '../../session.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { ALL_SCOPES, SCOPE_HELP, type Scope } from './scopes.js';

interface Minted {
  name: string;
  /** absent when the answer was an idempotent replay (the secret is shown exactly once) */
  key?: string;
}

/**
 * Mint a key: a name and the scopes it gets (only those the signed-in key holds can be ticked:
 * a key never mints a scope it lacks). The secret is then shown once, with a Copy button.
 */
export function MintKeyForm({ onMinted }: { onMinted: () => void }) {
  const { client, me } = useSession();
  const id = useId();
  const held = new Set<Scope>(me.effectiveScopes);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [scopesError, setScopesError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [minted, setMinted] = useState<Minted | null>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const inFlight = useRef(false);

  function toggle(s: Scope, on: boolean) {
    setScopesError(null);
    setScopes((cur) => (on ? ALL_SCOPES.filter((x) => x === s || cur.includes(x)) : cur.filter((x) => x !== s)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    setError(null);
    const localName = name.trim() === '' ? 'Enter a name for the key.' : null;
    const localScopes = scopes.length === 0 ? 'Choose at least one scope.' : null;
    setNameError(localName);
    setScopesError(localScopes);
    if (localName || localScopes) return;
    const body = { name, scopes };
    const fingerprint = JSON.stringify(body);
    if (attempt.current?.body !== fingerprint) attempt.current = { body: fingerprint, key: crypto.randomUUID() };
    inFlight.current = true;
    setBusy(true);
    try {
      const created = await client.createApiKey(body, { idempotencyKey: attempt.current.key });
      attempt.current = null;
      setMinted({ name: created.name, ...(created.key !== undefined ? { key: created.key } : {}) });
      setName('');
      setScopes([]);
      onMinted();
    } catch (err) {
      if (err instanceof FlowyteError && err.code === 'validation_error') {
        const of = (f: string) => err.errors.filter((x) => x.field === f || x.field.startsWith(`${f}[`)).map((x) => x.message);
        const n = of('name');
        const s = of('scopes');
        setNameError(n.length > 0 ? n.join('; ') : null);
        setScopesError(s.length > 0 ? s.join('; ') : null);
        if (n.length + s.length !== err.errors.length || err.errors.length === 0) setError(err);
      } else setError(err);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  const missing = error instanceof FlowyteError && error.code === 'insufficient_scope' ? (error.body?.missingScopes ?? []) : [];

  return (
    <>
      {minted && <NewSecret minted={minted} onDone={() => setMinted(null)} />}
      <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
        <h2 id={`${id}-title`}>Mint a key</h2>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            type="text"
            autoComplete="off"
            placeholder="e.g. CI deploy key"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNameError(null);
            }}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${id}-name-err` : undefined}
          />
          {nameError && (
            <p id={`${id}-name-err`} className="field-error" role="alert">
              {nameError}
            </p>
          )}
        </div>
        <fieldset aria-describedby={`${id}-scopes-hint${scopesError ? ` ${id}-scopes-err` : ''}`}>
          <legend>Scopes</legend>
          <p id={`${id}-scopes-hint`} className="hint" style={{ marginBottom: '0.5rem' }}>
            A key can only grant scopes it holds itself; the others are disabled.
          </p>
          {ALL_SCOPES.map((s) => {
            const can = held.has(s);
            return (
              <div className="toggle" key={s} style={{ marginBottom: '0.4rem' }}>
                <input
                  id={`${id}-${s}`}
                  type="checkbox"
                  checked={scopes.includes(s)}
                  disabled={!can}
                  onChange={(e) => toggle(s, e.target.checked)}
                  aria-describedby={`${id}-${s}-desc`}
                />
                <label htmlFor={`${id}-${s}`}>
                  <code>{s}</code>
                </label>
                <span id={`${id}-${s}-desc`} className="toggle-desc hint">
                  {SCOPE_HELP[s]}
                  {!can && ' — this key does not hold it'}
                </span>
              </div>
            );
          })}
          {scopesError && (
            <p id={`${id}-scopes-err`} className="field-error" role="alert">
              {scopesError}
            </p>
          )}
        </fieldset>
        {missing.length > 0 ? (
          <div className="error-note" role="alert">
            <p>
              This key cannot grant {missing.length === 1 ? 'the scope' : 'these scopes'}:{' '}
              {missing.map((m, i) => (
                <span key={m}>
                  {i > 0 && ', '}
                  <code>{m}</code>
                </span>
              ))}
              . Untick {missing.length === 1 ? 'it' : 'them'}, or sign in with a key that holds {missing.length === 1 ? 'it' : 'them'}.
            </p>
            {error instanceof FlowyteError && error.requestId && <p className="muted small">Request id {error.requestId}</p>}
          </div>
        ) : (
          <ErrorNote error={error} prefix="Could not mint the key" />
        )}
        <button type="submit" disabled={busy} aria-busy={busy || undefined}>
          Mint key
        </button>
      </form>
    </>
  );
}

/** The new key's secret, shown once: Copy (clipboard, else the text is selected for the user to copy). */
function NewSecret({ minted, onDone }: { minted: Minted; onDone: () => void }) {
  const id = useId();
  const headRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'select'>('idle');

  useEffect(() => {
    headRef.current?.focus();
  }, [minted]);

  async function doCopy() {
    const secret = minted.key ?? '';
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      inputRef.current?.focus();
      inputRef.current?.select();
      setCopy('select');
    }
  }

  return (
    <section className="card secret-box" aria-labelledby={`${id}-title`} data-testid="new-key">
      <h2 id={`${id}-title`} ref={headRef} tabIndex={-1}>
        New key “{minted.name}”
      </h2>
      {minted.key === undefined ? (
        <div className="notice" role="alert">
          <p>
            This key was already minted by an earlier attempt, and its secret cannot be shown again. Revoke it below and mint another.
          </p>
        </div>
      ) : (
        <>
          <div className="notice">
            <p>
              <strong>Copy the key now: it will not be shown again.</strong> Only a hash of it is stored.
            </p>
          </div>
          <label htmlFor={`${id}-secret`} style={{ marginTop: '0.75rem' }}>
            Secret key
          </label>
          <div className="row">
            <div className="grow">
              <input
                ref={inputRef}
                id={`${id}-secret`}
                type="text"
                readOnly
                value={minted.key}
                spellCheck={false}
                autoComplete="off"
                className="secret-value"
                data-testid="new-key-secret"
                onFocus={(e) => e.currentTarget.select()}
              />
            </div>
            <button type="button" onClick={doCopy}>
              Copy
            </button>
          </div>
          <p role="status" className="small" aria-live="polite">
            {copy === 'copied' ? 'Copied' : copy === 'select' ? 'The key is selected: press Ctrl+C (⌘C on a Mac) to copy it.' : ''}
          </p>
        </>
      )}
      <button type="button" className="secondary" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
