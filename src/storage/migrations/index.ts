import { sql as init } from './001_init.js';

/** Ordered list of every migration; `version` is the order and never changes. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'init', sql: init },
];
