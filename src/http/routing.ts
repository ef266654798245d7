import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { sendProblem } from './error-handler.js';
import type { WebApp } from './web-app.js';

/**
 * 404 for unknown paths, 405 with `Allow` for a known path with a wrong method (api.md check
 * order, step 1: before authentication). Outside the API's paths, a GET of a path that is no file
 * is the dashboard's (client-side routing): it answers the app's page.
 */
export function registerRouting(app: FastifyInstance, web: () => WebApp | null) {
  const patterns: { re: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const re = new RegExp('^' + route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+') + '/?$');
    let p = patterns.find((x) => x.re.source === re.source);
    if (!p) patterns.push((p = { re, methods: new Set() }));
    for (const m of [route.method].flat()) p.methods.add(m);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const p = patterns.find((x) => x.re.test(path));
    if (p && !p.methods.has(req.method)) {
      const allow = [...p.methods].sort().join(', ');
      return sendProblem(req, reply, new ApiError('method_not_allowed', `${req.method} is not allowed here; allowed: ${allow}`, { allow }));
    }
    const page = web();
    if (page?.wants(req.method, path)) return page.sendIndex(reply, req.method === 'HEAD');
    return sendProblem(req, reply, new ApiError('not_found', `No route ${req.method} ${path}`));
  });
}
