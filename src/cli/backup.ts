import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.js';
import { openStorage } from '../storage/open.js';
import { loadMigrations } from '../storage/migrate.js';
import { acquireDataDirLock, DataDirInUseError, lockHolder } from '../storage/data-dir-lock.js';
import { CliFailure } from './admin-commands.js';
import { requestSnapshot } from './admin-socket.js';

/**
 * `flowyte backup <file>` and `flowyte restore <file>` (embedded database only).
 *
 * A backup is PGlite's own data-directory dump (`dumpDataDir`): a tar of the directory, gzipped,
 * which `new PGlite({ loadDataDir })` also accepts. It is taken inside the one PGlite that owns
 * the directory — by the running server through the admin socket, else by this process under
 * the data-directory lock — after a CHECKPOINT, while no transaction is open and no statement
 * runs: a point-in-time image holding every transaction committed before it and nothing of
 * any later one. It is written to a temporary file beside the target (mode 0600), synced, then
 * renamed over the target.
 *
 * A restore fills an empty or new data directory: the archive is checked (gzip, tar headers and
 * checksums, safe paths, PostgreSQL's files), unpacked into a staging directory beside the
 * target, opened by PGlite and checked for Flowyte's schema, closed, and only then renamed into
 * place, all under the data-directory lock; a failed restore leaves the target as it was.
 */

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

const PG_DUMP_HINT = 'backup covers the embedded database only; with DATABASE_URL set, use pg_dump (pg_dump -Fc "$DATABASE_URL" > flowyte.dump)';
const PG_RESTORE_HINT = 'restore covers the embedded database only; with DATABASE_URL set, use pg_restore (pg_restore --clean --if-exists -d "$DATABASE_URL" flowyte.dump)';

const reason = (err: unknown) => ((err as Error).message ?? String(err)).split('\n')[0]!;

/** An entry of a checked tar: a directory, or a file whose bytes are tar[start, start + size). */
export interface TarEntry {
  name: string;
  dir: boolean;
  start: number;
  size: number;
}

/** What a tar holds, after its headers and checksums were checked. */
export interface TarSummary {
  entries: TarEntry[];
  files: number;
  bytes: number;
  pgVersion: string;
}

function cString(b: Uint8Array, start: number, len: number): string {
  const field = b.subarray(start, start + len);
  const end = field.indexOf(0);
  return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('utf8');
}

function octal(b: Uint8Array, start: number, len: number): number | null {
  const s = cString(b, start, len).trim();
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : s === '' ? 0 : null;
}

/**
 * Walks a (ustar) tar and checks it is a PostgreSQL data directory as PGlite dumps it: every
 * header's checksum, every entry within the archive, only files and directories with relative
 * paths that stay inside it, and PG_VERSION, global/pg_control and base/ present. Throws
 * CliFailure with a one-line reason otherwise.
 */
export function inspectPgliteTar(tar: Uint8Array): TarSummary {
  const bad = (why: string) => new CliFailure(`not a PGlite backup: ${why}`);
  const names = new Map<string, { start: number; size: number }>();
  const entries: TarEntry[] = [];
  let off = 0;
  let bytes = 0;
  let ended = false;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((x) => x === 0)) {
      ended = true;
      break;
    }
    const sum = octal(h, 148, 8);
    let actual = 0;
    for (let i = 0; i < 512; i++) actual += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum === null || sum !== actual) throw bad(off === 0 ? 'not a tar archive' : `corrupt tar header at byte ${off}`);
    const size = octal(h, 124, 12);
    if (size === null) throw bad(`corrupt tar header at byte ${off}`);
    const magic = cString(h, 257, 6);
    const prefix = magic === 'ustar' ? cString(h, 345, 155) : '';
    const name = (prefix ? `${prefix}/` : '') + cString(h, 0, 100);
    const type = String.fromCharCode(h[156]!);
    const start = off + 512;
    off = start + Math.ceil(size / 512) * 512;
    if (start + size > tar.length) throw bad('the archive is truncated');
    const rel = name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
    if (rel === '' || rel === '.') continue; // the directory itself
    if (rel.split('/').some((part) => part === '..' || part === '') || rel.includes('\\')) throw bad(`unsafe path in the archive: ${JSON.stringify(name)}`);
    if (type === '0' || type === '\0') {
      names.set(rel, { start, size });
      entries.push({ name: rel, dir: false, start, size });
      bytes += size;
    } else if (type === '5') entries.push({ name: rel, dir: true, start, size: 0 });
    else throw bad(`unexpected ${JSON.stringify(type)} entry ${JSON.stringify(name)} (only files and directories)`);
  }
  // PGlite's writer ends the archive after the last entry; others add zero blocks
  if (!ended && off !== tar.length) throw bad('the archive is truncated');
  const version = names.get('PG_VERSION');
  if (!version || !names.has('global/pg_control') || ![...names.keys()].some((n) => n.startsWith('base/'))) {
    throw bad('no PostgreSQL data directory in the archive');
  }
  const pgVersion = Buffer.from(tar.subarray(version.start, version.start + version.size)).toString('utf8').trim();
  if (!/^\d+$/.test(pgVersion)) throw bad('no PostgreSQL data directory in the archive');
  return { entries, files: names.size, bytes, pgVersion };
}

/** The tar inside a backup file: gunzipped when it is gzip (as `flowyte backup` writes it), else as is. */
export async function unpackBackup(raw: Uint8Array): Promise<Buffer> {
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return await gunzip(raw);
    } catch (err) {
      throw new CliFailure(`not a PGlite backup: corrupt gzip data (${reason(err)})`);
    }
  }
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A temporary file beside `target` (created exclusively, mode 0600) that commit() renames over it. */
function atomicFile(target: string) {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (err) {
    throw new CliFailure(`cannot write ${target}: ${reason(err)}`);
  }
  let open = true;
  const close = () => {
    if (open) fs.closeSync(fd);
    open = false;
  };
  return {
    commit(data: Uint8Array) {
      try {
        fs.fchmodSync(fd, 0o600); // whatever the umask
        fs.writeFileSync(fd, data);
        fs.fsyncSync(fd);
        close();
        fs.renameSync(tmp, target);
      } catch (err) {
        throw new CliFailure(`cannot write ${target}: ${reason(err)}`);
      }
      try {
        const dir = fs.openSync(path.dirname(target), 'r');
        fs.fsyncSync(dir); // the rename itself
        fs.closeSync(dir);
      } catch {
        /* not supported here */
      }
    },
    discard() {
      close();
      fs.rmSync(tmp, { force: true });
    },
  };
}

/** The image, taken by the server holding the directory, else by this process under the lock. */
async function takeSnapshot(dataDir: string): Promise<Uint8Array> {
  if (lockHolder(dataDir) !== null) return requestSnapshot(dataDir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) throw new CliFailure(`no database in ${dataDir}: nothing to back up`);
  let storage;
  try {
    storage = await openStorage({ databaseUrl: null, dataDir });
  } catch (err) {
    if (err instanceof DataDirInUseError) return requestSnapshot(dataDir); // a server started meanwhile
    throw err;
  }
  try {
    return await storage.db.snapshot!();
  } finally {
    await storage.close();
  }
}

/** `flowyte backup <file>`; returns what it measured (for the caller's logs and tests). */
export async function backupCommand(config: Pick<Config, 'databaseUrl' | 'dataDir'>, file: string): Promise<{ bytes: number; tarBytes: number }> {
  if (config.databaseUrl) throw new CliFailure(PG_DUMP_HINT);
  const target = path.resolve(file);
  if (isInside(target, config.dataDir)) throw new CliFailure(`refusing to write the backup inside the data directory ${config.dataDir}`);
  const out = atomicFile(target); // fails early when the target cannot be written
  try {
    const tar = await takeSnapshot(config.dataDir);
    inspectPgliteTar(tar); // what we write restores
    const gz = await gzip(tar);
    out.commit(gz);
    return { bytes: gz.length, tarBytes: tar.length };
  } catch (err) {
    out.discard();
    throw err;
  }
}

/** `flowyte restore <file>`: into an empty or new FLOWYTE_DATA_DIR that no process holds. */
export async function restoreCommand(config: Pick<Config, 'databaseUrl' | 'dataDir'>, file: string): Promise<TarSummary> {
  if (config.databaseUrl) throw new CliFailure(PG_RESTORE_HINT);
  const dataDir = config.dataDir;
  const holder = lockHolder(dataDir);
  if (holder !== null) throw new DataDirInUseError(dataDir, holder);
  const existed = fs.existsSync(dataDir);
  if (existed && !fs.statSync(dataDir).isDirectory()) throw new CliFailure(`${dataDir} is not a directory`);
  const release = acquireDataDirLock(dataDir); // creates the directory; no server can start on it now
  const staging = `${dataDir}.restore-${process.pid}`;
  try {
    if (fs.readdirSync(dataDir).length > 0) throw new CliFailure(`data directory ${dataDir} is not empty: restore needs an empty or new one`);
    let raw: Buffer;
    try {
      raw = fs.readFileSync(file);
    } catch (err) {
      throw new CliFailure(`cannot read ${file}: ${reason(err)}`);
    }
    const tar = await unpackBackup(raw);
    const summary = inspectPgliteTar(tar);
    fs.rmSync(staging, { recursive: true, force: true });
    // the files as PGlite's loadDataDir would write them (with node:fs: several times faster than
    // its JavaScript untar), then opened the way the server will open them
    try {
      fs.mkdirSync(staging);
      for (const e of summary.entries) {
        const to = path.join(staging, e.name);
        if (e.dir) fs.mkdirSync(to, { recursive: true });
        else {
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.writeFileSync(to, tar.subarray(e.start, e.start + e.size));
        }
      }
    } catch (err) {
      throw new CliFailure(`cannot write ${staging}: ${reason(err)}`);
    }
    let pg: PGlite;
    try {
      pg = await PGlite.create(staging);
    } catch (err) {
      throw new CliFailure(`the backup could not be opened: ${reason(err)}`);
    }
    try {
      // Flowyte's schema, at a version this build knows (a newer one would be served by older code)
      const [t] = (await pg.query<{ ok: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS ok`)).rows;
      const [m] = t?.ok ? (await pg.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows : [];
      if (!m || m.v === null) throw new CliFailure('not a Flowyte backup: the database has no Flowyte schema');
      const known = Math.max(0, ...loadMigrations().map((x) => x.version));
      if (m.v > known) throw new CliFailure(`the backup comes from a newer Flowyte (schema version ${m.v}; this one knows up to ${known})`);
      await pg.query('CHECKPOINT');
    } finally {
      await pg.close();
    }
    fs.rmdirSync(dataDir); // empty, and ours while we hold the lock
    fs.renameSync(staging, dataDir);
    return summary;
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    try {
      if (!existed) fs.rmdirSync(dataDir); // as it was: absent (it is still empty)
      else fs.mkdirSync(dataDir, { recursive: true }); // as it was: an empty directory
    } catch {
      /* leave it */
    }
    throw err;
  } finally {
    release();
  }
}
