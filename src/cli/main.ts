import { ConfigError, loadConfig } from '../config.js';
import { SCOPES, isScope, type Scope } from '../auth/scopes.js';
import { isId } from '../ids.js';
import { openStorage } from '../storage/open.js';
import { migrate } from '../storage/migrate.js';
import { DataDirInUseError, lockHolder } from '../storage/data-dir-lock.js';
import { CliFailure, executeAdmin, type AdminCommand } from './admin-commands.js';
import { sendAdminCommand } from './admin-socket.js';
import { backupCommand, restoreCommand } from './backup.js';
// `serve` and `openapi` load the whole HTTP application: imported when run, so the storage
// commands (and scripts calling them in a loop) start in a fraction of the time

const USAGE = `usage: flowyte <command>
  serve                                              run the API server (what npm start runs)
  migrate                                            apply pending migrations
  org create --name <name>                           create an organization; prints its id
  org list                                           list organizations (id, name)
  key create --org <org_id> --scopes <s1,s2,…|all> [--name <label>]
                                                     mint an API key; prints the secret
  key list --org <org_id>                            list keys (id, start, name, scopes, revoked)
  key revoke <key_id>                                revoke a key at once
  backup <file>                                      write a consistent snapshot of the embedded
                                                     database (gzipped tar, mode 0600), also while
                                                     the server runs; with DATABASE_URL use pg_dump
  restore <file>                                     restore a backup into an empty or new
                                                     FLOWYTE_DATA_DIR (no server running on it)
  openapi                                            print the OpenAPI document
scopes: ${SCOPES.join(', ')}`;

class UsageError extends Error {}

function flags(args: string[], allowed: string[]): { flags: Record<string, string>; rest: string[] } {
  const out: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      if (!allowed.includes(k)) throw new UsageError(`unknown flag --${k}`);
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`--${k} needs a value`);
      out[k] = v;
    } else rest.push(a);
  }
  return { flags: out, rest };
}

function need(f: Record<string, string>, name: string): string {
  const v = f[name];
  if (v === undefined || v.trim() === '') throw new UsageError(`missing --${name}`);
  return v;
}

function orgId(v: string): string {
  if (!isId('org', v)) throw new UsageError(`not an organization id: ${v}`);
  return v;
}

function parseScopes(v: string): Scope[] {
  if (v === 'all') return [...SCOPES];
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--scopes needs at least one scope');
  for (const s of list) if (!isScope(s)) throw new UsageError(`unknown scope: ${s}`);
  return [...new Set(list)] as Scope[];
}

/** Parses argv into a storage command (or the other commands); UsageError on bad usage. */
export function parseCommand(
  argv: string[],
): AdminCommand | { kind: 'serve' } | { kind: 'openapi' } | { kind: 'help' } | { kind: 'backup'; file: string } | { kind: 'restore'; file: string } {
  const [cmd, sub, ...rest] = argv;
  const noArgs = (xs: (string | undefined)[]) => {
    if (xs.some((x) => x !== undefined)) throw new UsageError(`unexpected argument: ${xs.find((x) => x !== undefined)}`);
  };
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help' };
    case 'serve':
      noArgs([sub, ...rest]);
      return { kind: 'serve' };
    case 'migrate':
      noArgs([sub, ...rest]);
      return { kind: 'migrate' };
    case 'openapi':
      noArgs([sub, ...rest]);
      return { kind: 'openapi' };
    case 'backup':
    case 'restore': {
      const { rest: r } = flags(argv.slice(1), []);
      const [file, ...more] = r;
      noArgs(more);
      if (file === undefined || file.trim() === '') throw new UsageError('missing <file>');
      if (file === '-') throw new UsageError('<file> must be a path (standard input and output are not supported)');
      return cmd === 'backup' ? { kind: 'backup', file } : { kind: 'restore', file };
    }
    case 'org': {
      if (sub === 'create') {
        const { flags: f, rest: r } = flags(rest, ['name']);
        noArgs(r);
        const name = need(f, 'name').trim();
        if ([...name].length > 200) throw new UsageError('--name is too long (at most 200 characters)');
        return { kind: 'org-create', name };
      }
      if (sub === 'list') {
        noArgs(rest);
        return { kind: 'org-list' };
      }
      throw new UsageError(`unknown command: org ${sub ?? ''}`.trim());
    }
    case 'key': {
      if (sub === 'create') {
        const { flags: f, rest: r } = flags(rest, ['org', 'scopes', 'name']);
        noArgs(r);
        const name = (f.name ?? 'cli').trim();
        if (name.length === 0 || [...name].length > 100) throw new UsageError('--name must be 1–100 characters');
        return { kind: 'key-create', org: orgId(need(f, 'org')), scopes: parseScopes(need(f, 'scopes')), name };
      }
      if (sub === 'list') {
        const { flags: f, rest: r } = flags(rest, ['org']);
        noArgs(r);
        return { kind: 'key-list', org: orgId(need(f, 'org')) };
      }
      if (sub === 'revoke') {
        const [id, ...more] = rest;
        noArgs(more);
        if (!id) throw new UsageError('missing <key_id>');
        if (!isId('key', id)) throw new UsageError(`not a key id: ${id}`);
        return { kind: 'key-revoke', keyId: id };
      }
      throw new UsageError(`unknown command: key ${sub ?? ''}`.trim());
    }
    default:
      throw new UsageError(`unknown command: ${cmd}`);
  }
}

/** Runs the CLI; returns the exit status (0 ok, 1 failure, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  let cmd: ReturnType<typeof parseCommand>;
  try {
    cmd = parseCommand(argv);
  } catch (err) {
    process.stderr.write(`flowyte: ${(err as Error).message} (see flowyte --help)\n`);
    return 2;
  }
  if (cmd.kind === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (cmd.kind === 'openapi') {
    const { openapiDocument } = await import('./openapi.js');
    process.stdout.write(JSON.stringify(await openapiDocument(), null, 2) + '\n');
    return 0;
  }
  if (cmd.kind === 'serve') return (await import('../server.js')).runServer();
  try {
    if (cmd.kind === 'backup') await backupCommand(loadConfig(), cmd.file);
    else if (cmd.kind === 'restore') await restoreCommand(loadConfig(), cmd.file);
    else process.stdout.write(await runStorageCommand(cmd));
    return 0;
  } catch (err) {
    const msg = err instanceof CliFailure || err instanceof ConfigError || err instanceof DataDirInUseError ? err.message : `failed: ${(err as Error).message}`;
    process.stderr.write(`flowyte: ${msg.split('\n')[0]}\n`);
    return err instanceof CliFailure ? err.exitCode : 1;
  }
}

async function runStorageCommand(cmd: AdminCommand): Promise<string> {
  const config = loadConfig();
  if (!config.databaseUrl && lockHolder(config.dataDir) !== null) {
    // a running server holds the embedded database: it carries the command out
    const a = await sendAdminCommand(config.dataDir, cmd);
    if (!a.ok) throw new CliFailure(a.error ?? 'failed', a.exitCode ?? 1);
    return a.stdout ?? '';
  }
  const storage = await openStorage(config);
  try {
    await migrate(storage.db);
    return await executeAdmin(storage.db, cmd);
  } finally {
    await storage.close();
  }
}
