/**
 * Fuzzing, query strings (issue 9 item 6) of the list, live, hours, audit and diff routes:
 * declared parameters valid, invalid, repeated or missing, undeclared ones, real, foreign,
 * tampered and garbage cursors, and odd encodings. The oracle comes from api.md
 * ("Pagination": limit 1–100, cursors this server issued for this list and these filters, else
 * invalid_cursor), agent.md (list filters), lifecycle.md / business-hours.md (`channel`, `at`,
 * `draft`, `against`) and audit filters: every invalid parameter is named by one
 * validation_error (a repeated one too), undeclared parameters are ignored, and nothing is a 5xx.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileHarness } from '../helpers/harness.js';
import { fieldsOf, params, send, timeoutFor } from '../helpers/fuzz/http.js';
import { agentVersionId, instant, INVALID_INSTANTS, INVALID_VERSION_IDS, codePoints } from '../helpers/fuzz/formats.js';
import { defaultUnit } from '../helpers/fuzz/schema-arbitrary.js';

const { h, t } = await fileHarness();
const app = h.app;
const KEY = t.key;

// a published, active agent with two versions, a few more agents, keys and audit events
const agent = (await send(app, 'POST', '/api/v1/agents', { key: KEY, body: { name: 'query target' } })).json.data;
const v1 = (await send(app, 'POST', `/api/v1/agents/${agent.id}/publish`, { key: KEY })).json.data;
await send(app, 'PATCH', `/api/v1/agents/${agent.id}`, { key: KEY, body: { persona: 'second' } });
const v2 = (await send(app, 'POST', `/api/v1/agents/${agent.id}/publish`, { key: KEY })).json.data;
for (let i = 0; i < 3; i++) await send(app, 'POST', '/api/v1/agents', { key: KEY, body: { name: `query filler ${i}`, isActive: i % 2 === 0 } });
await t.mint(['agents:read'], 'query key');

type Validity = true | false | 'either';
interface Param {
  valid: fc.Arbitrary<string>;
  invalid: fc.Arbitrary<string>;
  check(v: string): Validity;
}

const storableText = (max: number) => fc.string({ unit: defaultUnit, maxLength: max });
const enumParam = (values: string[], bad: string[]): Param => ({
  valid: fc.constantFrom(...values),
  invalid: fc.constantFrom(...bad),
  check: (v) => values.includes(v),
});
const textParam = (max: number): Param => ({
  valid: storableText(Math.min(max, 40)),
  invalid: fc.oneof(fc.integer({ min: max + 1, max: max + 400 }).map((n) => 'x'.repeat(n)), fc.constantFrom('a\u0000b', '\u0000')),
  check: (v) => codePoints(v) <= max && !v.includes('\u0000'),
});
const boolParam = enumParam(['true', 'false'], ['TRUE', '1', '0', 'yes', '', 'false ', 'null', 'True']);
const instantParam: Param = {
  valid: fc.oneof(instant, instant.map((s) => s.replace('+', ' '))),
  invalid: fc.constantFrom(...INVALID_INSTANTS),
  check: (v) => (INVALID_INSTANTS.includes(v) ? false : true),
};
const PARAMS: Record<string, Param> = {
  limit: {
    valid: fc.oneof(fc.integer({ min: 1, max: 100 }).map(String), fc.constantFrom('1', '100')),
    invalid: fc.oneof(
      fc.constantFrom('0', '101', '-1', 'abc', '1.5', '1e2', '', '99999999999999999999', '0x10', 'NaN', 'Infinity', 'null', '[]', ' ', '١٠', '1e400', '5 ', ' 5', '+5', '007', '-0'),
      fc.integer({ min: 101, max: Number.MAX_SAFE_INTEGER }).map(String),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 0 }).map(String),
    ),
    check: (v) => (/^[1-9][0-9]*$/.test(v) ? Number(v) <= 100 : /^(?:[+-]?0*[0-9]+|\s*[0-9]+\s*)$/.test(v) && Number(v) >= 1 && Number(v) <= 100 ? 'either' : false),
  },
  status: enumParam(['draft', 'published'], ['Draft', 'deleted', '', 'draft,published', 'published ']),
  isActive: boolParam,
  q: textParam(200),
  resourceId: textParam(64),
  actorKeyId: textParam(64),
  action: enumParam(['agent.create', 'agent.update', 'agent.delete', 'agent.publish', 'agent.rollback', 'api_key.create', 'api_key.revoke'], ['agent.CREATE', 'agent.*', '', 'agent', 'api_key.create ']),
  since: instantParam,
  until: instantParam,
  at: instantParam,
  channel: enumParam(['voice', 'chat'], ['Voice', 'sms', '', 'voice,chat', 'VOICE']),
  draft: boolParam,
  against: {
    valid: fc.oneof(agentVersionId, fc.constant(v1.id), fc.constant(v2.id)),
    invalid: fc.oneof(fc.constantFrom(...INVALID_VERSION_IDS), fc.constant('x'.repeat(31))),
    check: (v) => /^agv_[0-9A-HJKMNP-TV-Z]{26}$/.test(v),
  },
};

interface Route {
  name: string;
  url: string;
  params: string[];
  required?: string[];
  /** list name for cursors, and the parameters a cursor is bound to */
  list?: { filters: string[] };
}
const ROUTES: Route[] = [
  { name: 'agents', url: '/api/v1/agents', params: ['limit', 'cursor', 'status', 'isActive', 'q'], list: { filters: ['status', 'isActive', 'q'] } },
  { name: 'versions', url: `/api/v1/agents/${agent.id}/versions`, params: ['limit', 'cursor'], list: { filters: [] } },
  { name: 'api-keys', url: '/api/v1/api-keys', params: ['limit', 'cursor'], list: { filters: [] } },
  { name: 'audit', url: '/api/v1/audit-events', params: ['limit', 'cursor', 'resourceId', 'action', 'actorKeyId', 'since', 'until'], list: { filters: ['resourceId', 'action', 'actorKeyId', 'since', 'until'] } },
  { name: 'live', url: `/api/v1/agents/${agent.id}/live`, params: ['channel', 'at', 'draft'], required: ['channel'] },
  { name: 'hours', url: `/api/v1/agents/${agent.id}/hours`, params: ['at', 'draft'] },
  { name: 'diff', url: `/api/v1/agents/${agent.id}/versions/${v1.id}/diff`, params: ['against'] },
];

/** A real next-page cursor of each list, issued without filters. */
const realCursor: Record<string, string> = {};
for (const r of ROUTES.filter((x) => x.list)) {
  const page = await send(app, 'GET', `${r.url}?limit=1`, { key: KEY });
  expect(page.json.pagination.hasMore, r.name).toBe(true);
  realCursor[r.name] = page.json.pagination.nextCursor;
}

type CursorKind = 'real' | 'foreign' | 'tampered' | 'garbage' | 'too-long' | 'nul' | 'empty';
const cursorFor = (route: string) =>
  fc.oneof(
    fc.constant<[CursorKind, string]>(['real', realCursor[route]]),
    fc.constantFrom(...Object.keys(realCursor).filter((k) => k !== route)).map((k): [CursorKind, string] => ['foreign', realCursor[k]]),
    fc.nat().map((i): [CursorKind, string] => {
      const c = realCursor[route];
      const at = i % c.length;
      return ['tampered', c.slice(0, at) + (c[at] === 'A' ? 'B' : 'A') + c.slice(at + 1)];
    }),
    fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 200 }), fc.constantFrom('.', '..', 'a.b', 'a.b.c', 'eyJ9.x', 'null', '%', '😀')).map((s): [CursorKind, string] => ['garbage', s]),
    fc.integer({ min: 2049, max: 3000 }).map((n): [CursorKind, string] => ['too-long', 'c'.repeat(n)]),
    fc.constant<[CursorKind, string]>(['nul', 'abc\u0000def']),
    fc.constant<[CursorKind, string]>(['empty', '']),
  );

const JUNK_KEYS = ['foo', 'LIMIT', 'limit[]', 'limit.x', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'a b', 'ключ', 'cursor ', ' limit', 'Channel', 'access_token'];

interface Occurrence {
  key: string;
  value: string;
}

/** Each declared parameter absent, once (valid or not) or repeated; some undeclared ones. */
const queryFor = (route: Route) =>
  fc
    .tuple(
      fc.tuple(...route.params.map((p) =>
        p === 'cursor'
          ? fc.oneof({ weight: 2, arbitrary: fc.constant([] as [CursorKind, string][]) }, { weight: 2, arbitrary: cursorFor(route.name).map((c) => [c]) }, { weight: 1, arbitrary: fc.array(cursorFor(route.name), { minLength: 2, maxLength: 3 }) })
          : fc.oneof(
              { weight: 3, arbitrary: fc.constant([] as string[]) },
              { weight: 3, arbitrary: PARAMS[p].valid.map((v) => [v]) },
              { weight: 2, arbitrary: PARAMS[p].invalid.map((v) => [v]) },
              { weight: 1, arbitrary: fc.array(fc.oneof(PARAMS[p].valid, PARAMS[p].invalid), { minLength: 2, maxLength: 3 }) },
            ),
      )) as fc.Arbitrary<unknown[]>,
      fc.array(fc.tuple(fc.constantFrom(...JUNK_KEYS), storableText(20)), { maxLength: 2 }),
      fc.nat(),
    )
    .map(([declared, junk, shuffle]) => {
      const occ: Occurrence[] = [];
      const cursors: CursorKind[] = [];
      route.params.forEach((p, i) => {
        for (const v of declared[i] as (string | [CursorKind, string])[]) {
          if (Array.isArray(v)) {
            cursors.push(v[0]);
            occ.push({ key: p, value: v[1] });
          } else occ.push({ key: p, value: v });
        }
      });
      for (const [k, v] of junk) occ.push({ key: k, value: v });
      // a stable shuffle from the seed
      const order = occ.map((o, i) => ({ o, k: (i * 2654435761 + shuffle) % 1000003 })).sort((a, b) => a.k - b.k).map((x) => x.o);
      return { occ: order, cursors };
    });

describe('fuzz: query strings', () => {
  for (const route of ROUTES) {
    it(
      `${route.name}: every invalid, repeated or missing parameter named; cursors checked; undeclared ignored`,
      async () => {
        await fc.assert(
          fc.asyncProperty(queryFor(route), async ({ occ, cursors }) => {
            const qs = occ.map((o) => `${encodeURIComponent(o.key)}=${encodeURIComponent(o.value)}`).join('&');
            const url = qs ? `${route.url}?${qs}` : route.url;
            const r = await send(app, 'GET', url, { key: KEY });
            const where = `${url.slice(0, 300)} → ${r.text.slice(0, 400)}`;

            const must = new Set<string>();
            const may = new Set<string>();
            const given = new Map<string, string>();
            for (const p of route.params) {
              const vs = occ.filter((o) => o.key === p).map((o) => o.value);
              if (vs.length > 1) must.add(p);
              else if (vs.length === 1) {
                const v = vs[0];
                const ok = p === 'cursor' ? codePoints(v) <= 2048 && !v.includes('\u0000') : PARAMS[p].check(v);
                if (ok === false) must.add(p);
                else if (ok === 'either') may.add(p);
                given.set(p, v);
              } else if (route.required?.includes(p)) must.add(p);
            }
            if (must.size > 0) {
              expect(r.json.code, where).toBe('validation_error');
              const fields = fieldsOf(r);
              for (const f of must) expect(fields, where).toContain(f);
              for (const f of fields) expect(must.has(f) || may.has(f), `unexpected ${f}: ${where}`).toBe(true);
              return;
            }
            if (may.size > 0 && r.json.code === 'validation_error') {
              for (const f of fieldsOf(r)) expect(may.has(f), where).toBe(true);
              return;
            }
            // the shape is valid: cursors, then the resource
            const cursor = given.get('cursor');
            if (cursor !== undefined && cursor !== '') {
              const kind = cursors[0];
              const filtered = route.list!.filters.some((f) => given.has(f) && !(f === 'q' && given.get(f)!.trim() === ''));
              if (kind !== 'real' || filtered) return void expect(r.json.code, where).toBe('invalid_cursor');
            }
            if (cursor === '' && r.json.code === 'invalid_cursor') return; // an empty cursor: none, or not one of ours
            if (route.name === 'diff' && given.has('against') && ![v1.id, v2.id].includes(given.get('against')!)) {
              return void expect(r.json.code, where).toBe('not_found');
            }
            expect(r.status, where).toBe(200);
            if (route.list) {
              const limit = given.has('limit') ? Number(given.get('limit')) : 20;
              expect(r.json.pagination.limit, where).toBe(limit);
              expect(r.json.data.length, where).toBeLessThanOrEqual(limit);
            }
          }),
          params(route.list ? 120 : 80, 40),
        );
      },
      timeoutFor(120, 40),
    );
  }

  it('regression: an audit since/until before 0001-01-01T00:00:00Z (year 0001 with a positive offset) was a 500 on PGlite', async () => {
    const all = (await send(app, 'GET', '/api/v1/audit-events?limit=100', { key: KEY })).json.data;
    for (const at of ['0001-01-01T00:00:00+01:00', '0001-01-01T00:00:00+00:01', '0001-01-01T00:00:00+23:59']) {
      const since = await send(app, 'GET', `/api/v1/audit-events?limit=100&since=${encodeURIComponent(at)}`, { key: KEY });
      expect(since.status, since.text.slice(0, 300)).toBe(200);
      expect(since.json.data).toEqual(all);
      const until = await send(app, 'GET', `/api/v1/audit-events?until=${encodeURIComponent(at)}`, { key: KEY });
      expect(until.status, until.text.slice(0, 300)).toBe(200);
      expect(until.json.data).toEqual([]);
    }
  });

  const PIECES = [
    '&', '&&', '=', '==', 'limit', 'limit=', 'limit=5', 'limit=5&limit=6', 'li%6Dit=5', '%6C%69%6D%69%74=7', 'limit=%31%30', 'limit=1e400', 'limit=99999999999999999999999',
    '%', '%Z', '%zz', '%E0%A4%A', '%00', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%FF', '+', '%2B', '%20', 'é', '😀', ';', '?', '/', ',', '[]', '%25', '%26', '%3D',
    'q=%E2%80%AE', 'q=+', 'q=%', 'cursor=', 'cursor=%00', 'cursor=..', 'status=draft&status=draft', 'isActive=true', 'since=2026-12-24T22:00:00+05:00',
    'at=2026-12-24T22:00:00+05:00', 'at=2026-12-24T22:00:00%2B05:00', 'at=2026-03-29T02:30:00 02:00', 'channel=voice', 'channel=chat', 'channel[]=voice', 'draft=true',
    'against=agv_', '__proto__=1', '__proto__[x]=1', 'constructor[prototype][x]=1', 'hasOwnProperty=1', 'toString=x', 'access_token=flowyte_sk_live_notakeyreally',
  ];

  it(
    'odd encodings, broken percent-escapes, huge and repeated parameters: never a 5xx, a 400 names only declared parameters',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTES),
          fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }) }), { maxLength: 12 }),
          fc.option(fc.tuple(fc.constantFrom('limit', 'q', 'channel', 'at', 'cursor', 'x'), fc.integer({ min: 50, max: 400 })), { freq: 5 }),
          async (route, pieces, repeat) => {
            let qs = pieces.join('');
            if (repeat) qs += '&' + Array.from({ length: repeat[1] }, (_, i) => `${repeat[0]}=${i}`).join('&');
            const url = `${route.url}?${qs.replace(/#/g, '%23')}`;
            const r = await send(app, 'GET', url, { key: KEY });
            const where = `${url.slice(0, 300)} → ${r.text.slice(0, 300)}`;
            expect([200, 400, 404], where).toContain(r.status);
            if (r.status === 400) expect(['validation_error', 'invalid_cursor'], where).toContain(r.json.code);
            if (r.status === 404) expect(route.name, where).toBe('diff');
            for (const f of fieldsOf(r)) expect(route.params, where).toContain(f);
            expect(({} as Record<string, unknown>).x, 'Object.prototype polluted').toBeUndefined();
          },
        ),
        params(200, 30),
      );
    },
    timeoutFor(200, 30),
  );
});
