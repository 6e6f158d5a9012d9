/**
 * bulk (issue 9): the text of an answer as the route's response schema
 * serializer (fast-json-stringify) writes it, made by V8's JSON.stringify —
 * about 30× faster on a one-unit POST /score, where serializing a 9 KB answer
 * was the largest part of the request.
 *
 * fast-json-stringify writes an object's listed properties — the required
 * ones first, then the others, each in the schema's order — then (when
 * additionalProperties allows them) its other keys in their own order, and
 * leaves out what is undefined. JSON.stringify writes keys in the
 * object's order: so the answer is first copied with its keys in the
 * schema's order (and what the schema leaves out, left out). Only the plain
 * subset of JSON Schema the answers use is followed — type, properties,
 * required, additionalProperties, items, $ref; a value or schema outside it
 * (a value of another type, which fast-json-stringify would coerce; a
 * missing required property, which it refuses; anyOf, oneOf, …) gives
 * undefined, and the caller lets fast-json-stringify write the answer as
 * before. test/serve-answer-text.test.ts compares the two texts.
 */
import type { Schema } from './schemas.js';

const BAIL = Symbol('answer-text-bail');

/** Keywords that do not change what fast-json-stringify writes for a value of the right type (const does: it writes the constant; format "unsafe" does: no escaping). */
const INERT = new Set(['$id', 'title', 'description', 'examples', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'minItems', 'maxItems', 'default', 'x-tieuchi-accepts', 'nullable', 'deprecated']);
const HANDLED = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', '$ref', 'anyOf']);
const BAIL_PLAN: Plan = { kind: 'bail' };

interface Plan {
  /** bail: a schema outside the subset, reached by a value (the answer is left to fast-json-stringify). */
  kind: 'any' | 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'anyOf' | 'bail';
  /** anyOf: the alternatives (types and lists of them), the first that fits is written, as fast-json-stringify does. */
  alternatives?: Plan[];
  properties?: [string, Plan][];
  propertyNames?: Set<string>;
  required?: string[];
  /** false: other keys left out; true: copied as they are; a plan: each other value by it. */
  additional?: boolean | Plan;
  items?: Plan;
}

export class AnswerText {
  private readonly byId = new Map<string, Schema>();
  private readonly plans = new Map<Schema, Plan | undefined>();

  constructor(schemas: readonly Schema[]) {
    for (const s of schemas) if (typeof s.$id === 'string') this.byId.set(s.$id, s);
  }

  private readonly copiers = new Map<Schema, (value: unknown) => unknown>();

  /** The answer's text as fast-json-stringify writes it for `schema`, or undefined when that is not certain. */
  text(value: unknown, schema: Schema): string | undefined {
    let copier = this.copiers.get(schema);
    if (!copier) this.copiers.set(schema, (copier = compileCopier(this.plan(schema))));
    let ordered: unknown;
    try {
      ordered = copier(value);
    } catch (err) {
      if (err === BAIL) return undefined;
      throw err;
    }
    return JSON.stringify(ordered);
  }

  /** A schema's plan; `bail` for what is outside the subset, so that only a value reaching it gives up. */
  private plan(schema: Schema, depth = 0): Plan {
    const known = this.plans.get(schema);
    if (known) return known;
    // A recursive schema (TraceNode) is only reached with traces: left to fast-json-stringify.
    if (depth > 12) return BAIL_PLAN;
    this.plans.set(schema, BAIL_PLAN);
    const plan = this.build(schema, depth) ?? BAIL_PLAN;
    this.plans.set(schema, plan);
    return plan;
  }

  private build(schema: Schema, depth: number): Plan | undefined {
    for (const key of Object.keys(schema)) if (!INERT.has(key) && !HANDLED.has(key)) return undefined;
    if (typeof schema.$ref === 'string') {
      if (Object.keys(schema).some((k) => k !== '$ref' && !INERT.has(k))) return undefined;
      const target = this.byId.get(schema.$ref.replace(/#$/, ''));
      return target ? this.plan(target, depth + 1) : undefined;
    }
    if (schema.anyOf !== undefined) {
      // Only alternatives told apart by their JSON type alone (a text, true/false, a list of texts).
      if (Object.keys(schema).some((k) => k !== 'anyOf' && !INERT.has(k)) || !Array.isArray(schema.anyOf)) return undefined;
      const alternatives = (schema.anyOf as Schema[]).map((alt) => this.plan(alt, depth + 1));
      const simple = (p: Plan) => p.kind === 'string' || p.kind === 'boolean' || (p.kind === 'array' && (p.items!.kind === 'string' || p.items!.kind === 'boolean'));
      return alternatives.every(simple) ? { kind: 'anyOf', alternatives } : undefined;
    }
    const type = schema.type;
    if (type === undefined && schema.properties === undefined && schema.items === undefined) return { kind: 'any' };
    if (schema.format === 'unsafe') return undefined;
    if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return { kind: type };
    if (type === 'array') {
      if (schema.items === undefined) return { kind: 'array', items: { kind: 'any' } };
      return { kind: 'array', items: this.plan(schema.items as Schema, depth + 1) };
    }
    if (type !== 'object') return undefined;
    // fast-json-stringify writes the required properties first, then the others, each group in the schema's order.
    const required = (schema.required as string[] | undefined) ?? [];
    const listed = Object.keys((schema.properties ?? {}) as Record<string, Schema>);
    // An object literal keeps these in place only if none is a number, and never sets "__proto__".
    if (listed.some((n) => n === '__proto__' || /^(0|[1-9]\d*)$/.test(n))) return undefined;
    const ordered = [...listed.filter((n) => required.includes(n)), ...listed.filter((n) => !required.includes(n))];
    const properties: [string, Plan][] = [];
    for (const name of ordered) {
      const sub = (schema.properties as Record<string, Schema>)[name]!;
      // A default is written for a missing value: not followed here.
      if (sub.default !== undefined) return undefined;
      properties.push([name, this.plan(sub, depth + 1)]);
    }
    // Other keys are written only when additionalProperties says so (left out when it is absent).
    const ap = schema.additionalProperties;
    if (schema.patternProperties !== undefined) return undefined;
    let additional: boolean | Plan;
    if (ap === false || ap === undefined) additional = false;
    else if (ap === true) additional = true;
    else {
      const plan = this.plan(ap as Schema, depth + 1);
      additional = plan.kind === 'any' ? true : plan;
    }
    return { kind: 'object', properties, propertyNames: new Set(listed), required, additional };
  }
}

/**
 * A plan as one function (generated, as fast-json-stringify generates its
 * serializers): object literals with the schema's keys in its order, so that
 * every copy of one kind of object has one shape — property reads stay fast
 * and JSON.stringify takes its fast path. It throws BAIL where the answer is
 * not certain.
 */
function compileCopier(root: Plan): (value: unknown) => unknown {
  const helpers: string[] = [];
  const names = new Map<Plan, string>();
  const helper = (plan: Plan): string => {
    let name = names.get(plan);
    if (name) return name;
    name = `c${names.size}`;
    names.set(plan, name);
    helpers.push(`function ${name}(v) {\n${body(plan)}\n}`);
    return name;
  };
  const scalar = (plan: Plan, x: string): string | undefined => {
    switch (plan.kind) {
      case 'any':
        return x;
      case 'string':
        return `(typeof ${x} === 'string' ? ${x} : bail())`;
      case 'number':
        return `(typeof ${x} === 'number' && Number.isFinite(${x}) ? ${x} : bail())`;
      case 'integer':
        return `(Number.isInteger(${x}) ? ${x} : bail())`;
      case 'boolean':
        return `(typeof ${x} === 'boolean' ? ${x} : bail())`;
      case 'bail':
        return 'bail()';
      default:
        return undefined;
    }
  };
  const value = (plan: Plan, x: string): string => scalar(plan, x) ?? `${helper(plan)}(${x})`;
  const body = (plan: Plan): string => {
    if (plan.kind === 'array') return `if (!Array.isArray(v)) bail();\nconst out = new Array(v.length);\nfor (let i = 0; i < v.length; i++) { const x = v[i]; out[i] = ${value(plan.items!, 'x')}; }\nreturn out;`;
    if (plan.kind === 'anyOf') {
      // The first alternative that fits, as fast-json-stringify picks it.
      return plan.alternatives!.map((alt) => `try { return ${value(alt, 'v')}; } catch (err) { if (err !== BAIL) throw err; }`).join('\n') + '\nbail();';
    }
    const properties = plan.properties!;
    const lines = ['if (v === null || typeof v !== "object" || Array.isArray(v)) bail();', 'const proto = Object.getPrototypeOf(v);', '// A class instance may have getters or toJSON: the two serializers might read it differently.', 'if (proto !== OBJECT && proto !== null) bail();'];
    properties.forEach(([name], i) => {
      lines.push(`const p${i} = v[${JSON.stringify(name)}];`);
      if (plan.required!.includes(name)) lines.push(`if (p${i} === undefined) bail();`);
    });
    for (const name of plan.required!) if (!plan.propertyNames!.has(name)) lines.push(`if (v[${JSON.stringify(name)}] === undefined) bail();`);
    // JSON.stringify leaves out an undefined value, as fast-json-stringify does.
    const literal = properties.map(([name, sub], i) => `${JSON.stringify(name)}: p${i} === undefined ? undefined : ${value(sub, `p${i}`)}`).join(',\n');
    lines.push(`const o = {\n${literal}\n};`);
    const additional = plan.additional!;
    if (additional !== false) {
      const listed = [...plan.propertyNames!].map((n) => `k === ${JSON.stringify(n)}`).join(' || ') || 'false';
      lines.push(
        `for (const k of Object.keys(v)) {`,
        `  if (${listed}) continue;`,
        `  const x = v[k];`,
        `  if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;`,
        // A key an object literal would not keep in place (a number: V8 puts it first) or at all: not certain.
        `  if (k === '__proto__' || INDEX.test(k)) bail();`,
        `  o[k] = ${additional === true ? 'x' : value(additional, 'x')};`,
        `}`,
      );
    }
    lines.push('return o;');
    return lines.join('\n');
  };
  const entry = value(root, 'v');
  const source = `${helpers.join('\n')}\nreturn function copy(v) { return ${entry}; };`;
  return new Function('BAIL', 'bail', 'OBJECT', 'INDEX', source)(BAIL, bail, Object.prototype, /^(0|[1-9]\d*)$/) as (value: unknown) => unknown;
}

function bail(): never {
  throw BAIL;
}
