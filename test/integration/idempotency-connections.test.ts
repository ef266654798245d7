/**
 * api.md "Idempotency" over real connections: duplicates of an in-flight `Idempotency-Key`
 * answer 409 `idempotency_in_progress` at once, and never wait for the first and replay.
 *
 * On the embedded database each statement runs on the server's own thread, so while the first
 * request works no other socket is read: the duplicates are read only after it has answered
 * (the hostile probe's finding). These tests send the duplicates on connections the server has
 * already accepted, all at once, and count the answers; and check that what must replay still
 * does: the same request again on the first's own connection, and on a connection opened after
 * the answer.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, type Harness, type Tenant } from '../helpers/harness.js';

let h: Harness;
let t: Tenant;
let port: number;

beforeAll(async () => {
  h = await makeHarness();
  t = await h.tenant('Idempotency over sockets');
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as net.AddressInfo).port;
});
afterAll(() => h?.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A keep-alive connection that sends one request at a time and reads its whole answer. */
class Connection {
  private buf = Buffer.alloc(0);
  private waiting: ((a: Answer) => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      this.parse();
    });
  }

  static open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Connection(s)));
      s.once('error', reject);
    });
  }

  /** Opened, and used once, so that the server has surely accepted it. */
  static async ready(): Promise<Connection> {
    const c = await Connection.open();
    expect((await c.exchange('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')).status).toBe(200);
    return c;
  }

  /** Writes the request now; the promise is its answer. */
  exchange(raw: string): Promise<Answer> {
    const p = new Promise<Answer>((resolve) => (this.waiting = resolve));
    this.socket.write(raw);
    return p;
  }

  private parse() {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const head = this.buf.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (this.buf.length < end + 4 + length) return;
    const body = this.buf.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buf = this.buf.subarray(end + 4 + length);
    const w = this.waiting;
    this.waiting = null;
    w({ status: Number(head[0]!.split(' ')[1]), headers, body });
  }

  close() {
    this.socket.destroy();
  }
}

function createRequest(name: string, idempotencyKey: string): string {
  const body = JSON.stringify({ name });
  return (
    `POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.key}\r\nContent-Type: application/json\r\n` +
    `Idempotency-Key: ${idempotencyKey}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

async function agentsNamed(name: string): Promise<number> {
  const [r] = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM agents WHERE organization_id = $1 AND config->>'name' = $2", [t.orgId, name]);
  return r!.n;
}

describe('duplicates of an in-flight Idempotency-Key, on connections already open', () => {
  it('all sent at once: exactly one runs; every other answers 409 idempotency_in_progress with Retry-After: 1, at once', async () => {
    const conns = await Promise.all(Array.from({ length: 8 }, () => Connection.ready()));
    try {
      for (let round = 0; round < 5; round++) {
        const name = `At once ${round}`;
        const raw = createRequest(name, `at-once-${round}`);
        const answers = await Promise.all(conns.map((c) => c.exchange(raw)));
        const created = answers.filter((a) => a.status === 201);
        const busy = answers.filter((a) => a.status === 409);
        expect(created, JSON.stringify(answers.map((a) => [a.status, a.headers['idempotent-replayed']]))).toHaveLength(1);
        expect(created[0]!.headers['idempotent-replayed']).toBeUndefined();
        expect(busy).toHaveLength(7);
        for (const b of busy) {
          expect(JSON.parse(b.body).code).toBe('idempotency_in_progress');
          expect(b.headers['retry-after']).toBe('1');
        }
        expect(await agentsNamed(name)).toBe(1);
        // a 409 is not stored: once the first has answered, a retry replays its answer
        const again = await conns[3]!.exchange(raw);
        expect(again.status).toBe(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body).toBe(created[0]!.body);
      }
    } finally {
      for (const c of conns) c.close();
    }
  });

  it("the same request again on the first's own connection, right after its answer, replays", async () => {
    const c = await Connection.ready();
    try {
      const raw = createRequest('Own connection', 'own-connection');
      const first = await c.exchange(raw);
      const second = await c.exchange(raw);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toBe(first.body);
      expect(await agentsNamed('Own connection')).toBe(1);
    } finally {
      c.close();
    }
  });

  it('on a connection opened after the answer, right after it, replays', async () => {
    const first = await Connection.ready();
    try {
      const raw = createRequest('New connection', 'new-connection');
      const a = await first.exchange(raw);
      const later = await Connection.open();
      const b = await later.exchange(raw);
      later.close();
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(await agentsNamed('New connection')).toBe(1);
    } finally {
      first.close();
    }
  });
});
