import { useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { FlowyteError } from 'flowyte/client';
import { useSession } from '../../session.js';
import { ErrorNote } from '../../components/ErrorNote.js';

/**
 * "Create agent": a name, then the new agent's page. One Idempotency-Key per attempt at a given
 * name, so a double click or a retry after a lost answer creates one agent; a new name gets a
 * new key (the same key with another body would be 422 idempotency_key_reuse).
 */
export function CreateAgentForm() {
  const { client } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const attempt = useRef<{ name: string; key: string } | null>(null);
  const inFlight = useRef(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    setError(null);
    if (name.trim() === '') {
      setNameError('Enter a name for the agent.');
      return;
    }
    setNameError(null);
    if (attempt.current?.name !== name) attempt.current = { name, key: crypto.randomUUID() };
    inFlight.current = true;
    setBusy(true);
    try {
      const agent = await client.createAgent({ name }, { idempotencyKey: attempt.current.key });
      navigate(`/agents/${agent.id}`);
    } catch (err) {
      if (err instanceof FlowyteError && err.code === 'duplicate_name') setNameError(err.message);
      else if (err instanceof FlowyteError && err.code === 'validation_error') {
        const own = err.errors.filter((x) => x.field === 'name').map((x) => x.message);
        setNameError(own.length > 0 ? own.join('; ') : err.message);
        if (own.length !== err.errors.length) setError(err);
      } else setError(err);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  const errId = `${id}-err`;
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>New agent</h2>
      <div className="row">
        <div className="grow">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            type="text"
            autoComplete="off"
            placeholder="e.g. Front desk"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNameError(null);
            }}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? errId : undefined}
          />
        </div>
        <button type="submit" disabled={busy} aria-busy={busy || undefined}>
          Create agent
        </button>
      </div>
      {nameError && (
        <p id={errId} className="field-error" role="alert" data-testid="create-agent-name-error">
          {nameError}
        </p>
      )}
      <ErrorNote error={error} prefix="Could not create the agent" />
    </form>
  );
}
