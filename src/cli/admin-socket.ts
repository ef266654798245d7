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

export async function startAdminSocket(dataDir: string, db: Db): Promise<() => Promise<void>> {
  const path = socketPath(dataDir);
  try {
    fs.unlinkSync(path); // we hold the data-directory lock, so any socket file here is stale
  } catch {
    /* none */
  }
  const server = net.createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk) => {
      buf += chunk;
      if (buf.length > 64 * 1024) return sock.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      void (async () => {
        let answer: Answer;
        try {
          const cmd = JSON.parse(line) as AdminCommand;
          if (!cmd || typeof cmd !== 'object' || !KINDS.has(cmd.kind)) throw new CliFailure('unknown admin command', 2);
          answer = { ok: true, stdout: await executeAdmin(db, cmd) };
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
  const until = Date.now() + startupMs;
  for (;;) {
    try {
      return await sendOnce(dataDir, cmd);
    } catch (err) {
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
