/**
 * Route schemas are inlined by Fastify; the OpenAPI document hoists the big shared ones into
 * `components.schemas` so it stays readable. A schema opts in with `named(name, schema)`, which
 * adds an `x-component` marker that Ajv (strict: false) and fast-json-stringify ignore.
 */
export function named<T extends object>(name: string, schema: T): T {
  return { ...schema, 'x-component': name };
}

export function hoistComponents<D extends { components?: { schemas?: Record<string, unknown> } }>(doc: D): D {
  const schemas: Record<string, unknown> = { ...(doc.components?.schemas ?? {}) };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const name = o['x-component'];
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) if (k !== 'x-component') out[k] = walk(x);
    if (typeof name !== 'string') return out;
    if (!(name in schemas)) schemas[name] = out;
    const { description } = out as { description?: string };
    return description && description !== (schemas[name] as { description?: string }).description
      ? { $ref: `#/components/schemas/${name}`, description }
      : { $ref: `#/components/schemas/${name}` };
  };
  const paths = walk((doc as { paths?: unknown }).paths);
  return { ...doc, paths, components: { ...(doc.components ?? {}), schemas } };
}
