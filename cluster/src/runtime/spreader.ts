/**
 * `{ ...src, f1: a, f2: b }` for the store's frozen objects, made cheap. V8 spreads a frozen object property by
 * property in its runtime (a frozen source has no fast clone): a microsecond for a pod's spec, on every binding. An
 * object literal naming the source's keys is one allocation, so each Spreader compiles one for each key list it
 * meets (a call site sees objects of a few shapes) and spreads an object of any further shape as before.
 *
 * The copy is the spread's to the letter: the source's own enumerable string keys in their order, each field given
 * replacing the source's value where the source has that key and added after the others, in the fields' order,
 * where it does not. Sources are plain data (the store's objects, decoded from JSON or YAML): no symbol keys.
 */

type Copy = (s: Record<string, unknown>, a: unknown, b: unknown, c: unknown) => Record<string, unknown>;

interface Shape {
  keys: string[];
  copy: Copy;
}

/** Key lists compiled per Spreader; past them an object is spread as it is (nothing more is compiled). */
const MAX_SHAPES = 8;
const ARGS = ['a', 'b', 'c'];

export class Spreader {
  private readonly shapes: Shape[] = [];
  /** The generic copy (for the shapes not compiled): the spread, then each field set in turn. */
  private readonly generic: Copy;

  /** `fields`: the names set over the source's, at most three (passed to `spread` in this order). */
  constructor(private readonly fields: readonly string[] = []) {
    if (fields.length > ARGS.length || fields.includes('__proto__')) throw new Error(`Spreader: unsupported fields ${fields.join(', ')}`);
    this.generic = (s, a, b, c) => {
      const o: Record<string, unknown> = { ...s };
      const vals = [a, b, c];
      for (let i = 0; i < fields.length; i++) o[fields[i]] = vals[i];
      return o;
    };
  }

  /** `{ ...src, [fields[0]]: a, [fields[1]]: b, [fields[2]]: c }` (for the fields this Spreader has). */
  spread(src: object, a?: unknown, b?: unknown, c?: unknown): any {
    const s = src as Record<string, unknown>;
    const keys = Object.keys(s);
    const shapes = this.shapes;
    for (let i = 0; i < shapes.length; i++) if (sameKeys(shapes[i].keys, keys)) return shapes[i].copy(s, a, b, c);
    if (shapes.length >= MAX_SHAPES) return this.generic(s, a, b, c);
    const copy = keys.includes('__proto__') ? this.generic : compile(keys, this.fields);
    shapes.push({ keys, copy });
    return copy(s, a, b, c);
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The literal for these keys (quoted as JSON, so any key but `__proto__` reads as itself). */
function compile(keys: string[], fields: readonly string[]): Copy {
  const parts: string[] = [];
  for (const k of keys) {
    const f = fields.indexOf(k);
    parts.push(`${JSON.stringify(k)}: ${f >= 0 ? ARGS[f] : `s[${JSON.stringify(k)}]`}`);
  }
  for (let f = 0; f < fields.length; f++) if (!keys.includes(fields[f])) parts.push(`${JSON.stringify(fields[f])}: ${ARGS[f]}`);
  // eslint-disable-next-line no-new-func -- the literal is the point: see the module comment.
  return new Function('s', ...ARGS, `return { ${parts.join(', ')} };`) as Copy;
}
