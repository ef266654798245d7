import net from 'node:net';
import fs from 'node:fs';
import type { Db } from '../storage/db.js';
import { CliFailure, executeAdmin, type AdminCommand } from './admin-commands.js';

/**
 * The local admin socket (operations.md "CLI"): while a server holds the embedded data
 * directory, the CLI's storage commands are carried out by that server. A Unix socket beside
 * the data directory, mode 0600, one JSON request and one JSON answer per connection, and it
 * accepts only the AdminCommand kinds.
 */
export function socketPath(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}.sock`;
}

interface Answer {
  ok: boolean;
  stdout?: string;
  error?: string;
  exitCode?: number;
}

const KINDS = new Set(['migrate', 'org-create', 'org-list', 'key-create', 'key-list', 'key-revoke']);

interface AdminLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * `flowyte backup`: answers `{"ok":true,"bytes":N}` and a newline, then the N bytes of the
 * database's point-in-time image (PGlite's uncompressed tar); the CLI compresses and writes it.
 */
async function sendSnapshot(sock: net.Socket, db: Db, log?: AdminLog): Promise<void> {
  const started = Date.now();
  let tar: Uint8Array;
  try {
    if (!db.snapshot) throw new CliFailure('this database cannot be backed up by flowyte');
    tar = await db.snapshot();
  } catch (err) {
    log?.warn({ reason: (err as Error).message }, 'backup failed');
    const answer: Answer = err instanceof CliFailure ? { ok: false, error: err.message, exitCode: err.exitCode } : { ok: false, error: 'the server could not take the snapshot', exitCode: 1 };
    sock.end(JSON.stringify(answer) + '\n');
    return;
  }
  log?.info({ bytes: tar.byteLength, ms: Date.now() - started }, 'backup snapshot taken');
  sock.write(JSON.stringify({ ok: true, bytes: tar.byteLength }) + '\n');
  sock.end(tar);
}

export async function startAdminSocket(dataDir: string, db: Db, log?: AdminLog): Promise<() => Promise<void>> {
  const path = socketPath(dataDir);
  try {
    fs.unlinkSync(path); // we hold the data-directory lock, so any socket file here is stale
  } catch {
    /* none */
  }
  const server = net.createServer((sock) => {
    let buf = '';
    let handled = false;
    sock.setEncoding('utf8');
    sock.on('data', (chunk) => {
      if (handled) return; // one request per connection
      buf += chunk;
      if (buf.length > 64 * 1024) return sock.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      handled = true;
      const line = buf.slice(0, nl);
      void (async () => {
        let answer: Answer;
        try {
          const cmd = JSON.parse(line) as AdminCommand | { kind: 'backup' };
          if (cmd && typeof cmd === 'object' && cmd.kind === 'backup') return await sendSnapshot(sock, db, log);
          if (!cmd || typeof cmd !== 'object' || !KINDS.has(cmd.kind)) throw new CliFailure('unknown admin command', 2);
          answer = { ok: true, stdout: await executeAdmin(db, cmd as AdminCommand) };
        } catch (err) {
          answer = err instanceof CliFailure ? { ok: false, error: err.message, exitCode: err.exitCode } : { ok: false, error: 'the server could not run the command', exitCode: 1 };
        }
        sock.end(JSON.stringify(answer) + '\n');
      })();
    });
    sock.on('error', () => undefined);
  });
  const oldMask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(oldMask);
  }
  fs.chmodSync(path, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      try {
        fs.unlinkSync(path);
      } catch {
        /* gone */
      }
    });
}

/**
 * Sends one command to the server holding the data directory, waiting up to `startupMs` for a
 * server that is still starting (lock taken, socket not yet listening).
 */
export async function sendAdminCommand(dataDir: string, cmd: AdminCommand, startupMs = 15_000): Promise<Answer> {
  return whenListening(() => sendOnce(dataDir, cmd), startupMs);
}

async function whenListening<T>(attempt: () => Promise<T>, startupMs: number): Promise<T> {
  const until = Date.now() + startupMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof CliFailure) throw err; // the server answered
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() > until) {
        throw new Error(`cannot reach the running server's admin socket: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function sendOnce(dataDir: string, cmd: AdminCommand, timeoutMs = 10_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath(dataDir));
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('the running server did not answer on its admin socket'));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify(cmd) + '\n'));
    sock.on('data', (c) => (buf += c));
    sock.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buf) as Answer);
      } catch {
        reject(new Error('the running server sent a malformed answer'));
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * Asks the server holding the data directory for a snapshot (see sendSnapshot) and returns the
 * image; CliFailure with the server's reason when it could not take one. `idleMs` bounds the
 * silence (the snapshot queues behind the statements already waiting on the one connection).
 */
export async function requestSnapshot(dataDir: string, startupMs = 15_000, idleMs = 120_000): Promise<Buffer> {
  return whenListening(() => snapshotOnce(dataDir, idleMs), startupMs);
}

function snapshotOnce(dataDir: string, idleMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath(dataDir));
    let head = Buffer.alloc(0);
    let header: (Answer & { bytes?: number }) | null = null;
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (err: Error | null, value?: Buffer) => {
      if (settled) return;
      settled = true;
      sock.setTimeout(0);
      if (err) {
        sock.destroy();
        reject(err);
      } else resolve(value!);
    };
    sock.setTimeout(idleMs, () => settle(new CliFailure('the running server did not answer on its admin socket')));
    sock.on('connect', () => sock.write(JSON.stringify({ kind: 'backup' }) + '\n'));
    sock.on('data', (c: Buffer) => {
      if (header === null) {
        head = Buffer.concat([head, c]);
        const nl = head.indexOf(0x0a);
        if (nl < 0) {
          if (head.length > 64 * 1024) settle(new CliFailure('the running server sent a malformed answer'));
          return;
        }
        try {
          header = JSON.parse(head.subarray(0, nl).toString('utf8')) as Answer & { bytes?: number };
        } catch {
          return settle(new CliFailure('the running server sent a malformed answer'));
        }
        c = head.subarray(nl + 1);
        head = Buffer.alloc(0);
      }
      if (c.length > 0) {
        chunks.push(c);
        received += c.length;
      }
    });
    sock.on('end', () => {
      if (header === null) return settle(new CliFailure('the running server sent a malformed answer'));
      if (!header.ok) return settle(new CliFailure(header.error ?? 'the server could not take the snapshot', header.exitCode ?? 1));
      if (typeof header.bytes !== 'number' || received !== header.bytes) {
        return settle(new CliFailure(`the snapshot arrived incomplete (${received} of ${header.bytes} bytes)`));
      }
      settle(null, Buffer.concat(chunks, received));
    });
    sock.on('error', (err) => settle(header === null ? err : new CliFailure(`the snapshot transfer failed: ${err.message}`)));
  });
}
