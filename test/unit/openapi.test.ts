import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openapiDocument } from '../../src/cli/openapi.js';

describe('committed openapi.json', () => {
  it('is what the route schemas generate (run `npm run openapi` after changing a schema)', async () => {
    const committed = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
    const generated = JSON.parse(JSON.stringify(await openapiDocument()));
    expect(generated).toEqual(committed);
  });

  it('and the SDK\'s types are what openapi-typescript generates from it (run `npm run openapi`)', async () => {
    const { default: openapiTS, astToString, COMMENT_HEADER } = await import('openapi-typescript');
    // a `default` documents what an omitted member becomes; it must not make request members required
    const generated = COMMENT_HEADER + astToString(await openapiTS(new URL('../../openapi.json', import.meta.url), { defaultNonNullable: false }));
    expect(generated).toBe(readFileSync(new URL('../../src/client/openapi-types.ts', import.meta.url), 'utf8'));
  });

  it('names the scope, the error responses and examples of every operation', async () => {
    const doc = (await openapiDocument()) as any;
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        if (path === '/api/v1/me') {
          // key introspection: any valid key, no scope
          expect(op.description).toMatch(/no scope is needed/);
          expect(Object.keys(op.responses)).toEqual(['200', '401', '429']);
          continue;
        }
        expect(op.description, `${method} ${path}`).toMatch(/Requires the scope `[a-z]+:[a-z]+`/);
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403', '429']));
      }
    }
    expect(JSON.stringify(doc.components.schemas.Agent)).toContain('examples');
  });
});
