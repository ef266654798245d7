import { randomFillSync } from 'node:crypto';

/** Prefixed, time-sortable ids (api.md "Identifiers"): `<prefix>_` + a 26-character ULID. */
export type IdPrefix = 'org' | 'agt' | 'agv' | 'key' | 'evt' | 'req';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
const lastRandom = new Uint8Array(16);
/** CSPRNG bytes drawn 4 KB at a time (one call per 256 ids instead of one per id) */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** Monotonic within one process: ids minted in the same millisecond still sort in order. */
export function ulid(now: number = Date.now()): string {
  if (now <= lastTime) {
    // increment the random part (base 32, 16 digits) by one
    let i = 15;
    while (i >= 0 && lastRandom[i] === 31) lastRandom[i--] = 0;
    if (i >= 0) lastRandom[i]!++;
    now = lastTime;
  } else {
    if (poolAt === pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    for (let i = 0; i < 16; i++) lastRandom[i] = pool[poolAt++]! % 32;
    lastRandom[0] = lastRandom[0]! % 16; // leave headroom so increments never overflow
    lastTime = now;
  }
  let out = encodeTime(now);
  for (let i = 0; i < 16; i++) out += ALPHABET[lastRandom[i]!];
  return out;
}

export function newId(prefix: IdPrefix, now?: number): string {
  return `${prefix}_${ulid(now)}`;
}

const ID_RE = /^(org|agt|agv|key|evt|req)_[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `s` is a well-formed id of this prefix; other strings are simply "not found". */
export function isId(prefix: IdPrefix, s: string): boolean {
  return s.startsWith(prefix + '_') && ID_RE.test(s);
}
