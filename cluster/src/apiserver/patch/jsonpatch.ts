/** RFC 6902 JSON Patch over plain JSON (the document is changed in place; pass a copy). */

export class PatchError extends Error {
  /** The body did not decode as a JSON patch at all (400), rather than failing to apply (422). */
  constructor(message: string, readonly decode = false) {
    super(message);
  }
}

function unescape(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: unknown): string[] {
  if (typeof p !== 'string') throw new PatchError('missing path');
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`invalid path: ${p}`);
  return p.slice(1).split('/').map(unescape);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** The container holding the last token, and that token. */
function parent(doc: any, tokens: string[], path: string): { container: any; key: string } {
  let cur = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (Array.isArray(cur)) {
      const idx = Number(t);
      if (!/^\d+$/.test(t) || idx >= cur.length) throw new PatchError(`doc is missing path: "${path}": missing value`);
      cur = cur[idx];
    } else if (isObj(cur)) {
      if (!(t in cur)) throw new PatchError(`doc is missing path: "${path}": missing value`);
      cur = cur[t];
    } else throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return { container: cur, key: tokens[tokens.length - 1] };
}

function getAt(doc: any, path: string): unknown {
  const tokens = parsePointer(path);
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(t) || Number(t) >= cur.length) throw new PatchError(`doc is missing path: "${path}": missing value`);
      cur = cur[Number(t)];
    } else if (isObj(cur) && t in cur) cur = cur[t];
    else throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function add(doc: any, path: string, value: unknown): any {
  const tokens = parsePointer(path);
  if (!tokens.length) return value;
  const { container, key } = parent(doc, tokens, path);
  if (Array.isArray(container)) {
    const idx = key === '-' ? container.length : Number(key);
    if (!(key === '-' || /^\d+$/.test(key)) || idx > container.length) throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
    container.splice(idx, 0, value);
  } else if (isObj(container)) container[key] = value;
  else throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
  return doc;
}

function remove(doc: any, path: string, op = 'remove'): any {
  const tokens = parsePointer(path);
  if (!tokens.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  const { container, key } = parent(doc, tokens, path);
  if (Array.isArray(container)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= container.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    container.splice(idx, 1);
  } else if (isObj(container) && key in container) delete container[key];
  else throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return doc;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    // Field validation decodes the body into []jsonPatchOp first: anything but a list is refused there (400).
    const kind = patch === null ? undefined : typeof patch === 'object' ? 'object' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    if (kind) throw new PatchError(`json: cannot unmarshal ${kind} into Go value of type []handlers.jsonPatchOp`, true);
    return doc;
  }
  let cur: any = doc;
  for (const op of patch) {
    if (!isObj(op)) throw new PatchError('invalid operation');
    const path = op.path as string;
    switch (op.op) {
      case 'add':
        if (!('value' in op)) throw new PatchError(`missing value`);
        cur = add(cur, path, clone(op.value));
        break;
      case 'remove':
        cur = remove(cur, path);
        break;
      case 'replace': {
        if (!('value' in op)) throw new PatchError(`missing value`);
        const tokens = parsePointer(path);
        if (!tokens.length) {
          cur = clone(op.value);
          break;
        }
        // json-patch v4 (the apiserver's): an object's missing member is simply set, as `add` would; only a missing
        // parent or an array index out of range fails.
        const { container, key } = parent(cur, tokens, path);
        if (Array.isArray(container) || !isObj(container)) getAtOr(cur, path, 'replace');
        if (Array.isArray(container)) container[Number(key)] = clone(op.value);
        else container[key] = clone(op.value);
        break;
      }
      case 'move': {
        const v = getAtOr(cur, op.from as string, 'move');
        cur = remove(cur, op.from as string, 'move');
        cur = add(cur, path, v);
        break;
      }
      case 'copy':
        cur = add(cur, path, clone(getAtOr(cur, op.from as string, 'copy')));
        break;
      case 'test': {
        let v: unknown;
        try {
          v = getAt(cur, path);
        } catch {
          v = undefined;
        }
        if (!equal(v, op.value)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return cur;
}

function getAtOr(doc: any, path: string, op: string): unknown {
  try {
    return getAt(doc, path);
  } catch {
    throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
}
