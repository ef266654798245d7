import { createHash, randomBytes } from 'node:crypto';

/** `flowyte_sk_live_` + base58 of 24 random bytes (192 bits ≥ the 128 api.md asks). */
export const KEY_PREFIX = 'flowyte_sk_live_';
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const KEY_RE = /^flowyte_sk_live_[1-9A-HJ-NP-Za-km-z]{22,64}$/;

function base58(bytes: Buffer): string {
  let n = BigInt('0x' + bytes.toString('hex'));
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

export function mintSecret(): { key: string; start: string; hash: string } {
  let secret = base58(randomBytes(24));
  while (secret.length < 32) secret = '1' + secret; // fixed width keeps the format regular
  const key = KEY_PREFIX + secret;
  return { key, start: displayStart(key), hash: hashKey(key) };
}

/** The short display prefix stored beside the hash, e.g. `flowyte_sk_live_3xQ`. */
export function displayStart(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 3);
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function isWellFormedKey(key: string): boolean {
  return KEY_RE.test(key);
}

/**
 * Anything shaped like a key, anywhere in a text: the prefix (its underscores possibly
 * percent-encoded, in any case) and what follows it. Broader than a well-formed key on purpose:
 * a truncated or mangled key is still a secret.
 */
const KEY_SHAPED = /flowyte(?:_|%5f)sk(?:_|%5f)live(?:_|%5f)[A-Za-z0-9%_-]*/gi;
const KEY_HINT = /flowyte(?:_|%5f)sk/i;

/** Replaces everything shaped like a key with `flowyte_sk_live_[redacted]` (for logs). */
export function redactKeyShaped(text: string): string {
  return KEY_HINT.test(text) ? text.replace(KEY_SHAPED, `${KEY_PREFIX}[redacted]`) : text;
}

/** True when the text holds something shaped like a key. */
export function containsKeyShaped(text: string): boolean {
  return KEY_HINT.test(text);
}
