import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { KUBE_YAML } from '../../../kube/src/kubeYaml';

/** One YAML document of a manifest file, with where it sits in the text. */
export interface ManifestDoc {
  index: number;
  object: any;
  /** 0-based lines. */
  startLine: number;
  endLine: number;
  /** Whether it looks like a Kubernetes object (has apiVersion and kind). */
  isKubernetes: boolean;
  errors: string[];
}

/** Splits a file into documents, keeping positions so CodeLenses and diagnostics land on the right lines. */
export function manifestDocs(text: string): ManifestDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { ...KUBE_YAML, merge: true, lineCounter: lc, prettyErrors: false });
  const out: ManifestDoc[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((d: any, index: number) => {
    const [start, , end] = d.range ?? [0, 0, text.length];
    const contentStart = d.contents?.range?.[0] ?? start;
    let object: any;
    try {
      object = d.toJS();
    } catch {
      object = undefined;
    }
    out.push({
      index,
      object,
      startLine: lc.linePos(contentStart).line - 1,
      endLine: lc.linePos(Math.max(contentStart, end - 1)).line - 1,
      isKubernetes: !!object && typeof object === 'object' && typeof object.apiVersion === 'string' && typeof object.kind === 'string',
      errors: (d.errors ?? []).map((e: any) => e.message),
    });
  });
  return out;
}

/** `spec.containers[0].image` or `metadata.labels[app.kubernetes.io/name]` → segments. */
export function parseFieldPath(p: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p))) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/**
 * The text range of the value at `fieldPath` in document `docIndex`, or of
 * the deepest ancestor that exists (a missing required field is reported on
 * its parent). Lines and characters are 0-based.
 */
export function rangeOfPath(text: string, docIndex: number, fieldPath: string): { line: number; character: number; endLine: number; endCharacter: number } | undefined {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const list: any[] = Array.isArray(docs) ? docs : [docs];
  const doc = list[docIndex];
  if (!doc?.contents) return undefined;
  let node: any = doc.contents;
  let keyNode: any;
  for (const seg of parseFieldPath(fieldPath)) {
    let next: any;
    if (isMap(node)) {
      const pair: any = node.items.find((it: any) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (pair) {
        keyNode = pair.key;
        next = pair.value ?? pair.key;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
      keyNode = undefined;
    } else if (isSeq(node)) {
      // Go's decoder names list fields without indexes (`containers.ports.containerPort`): the first item that has the key.
      const item: any = node.items.find((it: any) => isMap(it) && it.items.some((p: any) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg));
      const pair: any = item?.items.find((p: any) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (pair) {
        keyNode = pair.key;
        next = pair.value ?? pair.key;
      }
    }
    if (!next || !isNode(next)) break;
    node = next;
  }
  const target: any = keyNode && !isScalar(node) ? keyNode : node;
  const r = target?.range;
  if (!r) return undefined;
  const a = lc.linePos(r[0]);
  const b = lc.linePos(Math.max(r[0], isScalar(target) ? r[1] : r[0] + 1));
  return { line: a.line - 1, character: a.col - 1, endLine: b.line - 1, endCharacter: b.col - 1 };
}

/**
 * The field a refusal without `details.causes` names in its message, or
 * undefined:
 * - a decode error, encoding/json's UnmarshalTypeError: `… into Go struct
 *   field DeploymentSpec.spec.replicas of type int32` → `spec.replicas` (the
 *   struct's name, then the JSON path from the object's root);
 * - a field.Error (apimachinery util/validation/field, errors.go):
 *   `spec.replicas: Invalid value: -1: …`, with the ErrorType words
 *   ErrorType.String() gives.
 */
export function fieldOfMessage(message: string): string | undefined {
  const go = /\bGo struct field [A-Za-z0-9_]+\.(\S+) of type /.exec(message);
  if (go) return go[1];
  const fe = /(?:^|[\s:])([A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*|\[[^\]\s]*\])*): (?:Invalid value|Required value|Unsupported value|Duplicate value|Not found|Forbidden|Too long|Too many|Internal error)\b/.exec(message);
  return fe?.[1];
}

/**
 * The field path at a text offset (e.g. the cursor), with the document's
 * apiVersion and kind: what Explain Field needs to look the field up.
 */
export function pathAtOffset(text: string, offset: number): { apiVersion?: string; kind?: string; path: (string | number)[] } | undefined {
  const docs = parseAllDocuments(text);
  const list: any[] = Array.isArray(docs) ? docs : [docs];
  const doc = list.find((d) => d.range && offset >= d.range[0] && offset <= d.range[2]) ?? list[list.length - 1];
  if (!doc?.contents) return undefined;
  const js = doc.toJS() ?? {};
  const path: (string | number)[] = [];
  let node: any = doc.contents;
  for (;;) {
    let next: any;
    if (isMap(node)) {
      for (const it of node.items as any[]) {
        const start = it.key?.range?.[0] ?? 0;
        const end = it.value?.range?.[2] ?? it.key?.range?.[2] ?? 0;
        if (offset >= start && offset <= end) {
          path.push(String(it.key?.value));
          next = it.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      (node.items as any[]).forEach((it, i) => {
        if (!next && it?.range && offset >= it.range[0] && offset <= it.range[2]) {
          path.push(i);
          next = it;
        }
      });
    }
    if (!next || isScalar(next)) break;
    node = next;
  }
  return { apiVersion: js.apiVersion, kind: js.kind, path };
}

/** Where a document of a manifest starts, found by scanning lines, without parsing YAML. */
export interface DocStart {
  /** 0-based line of the document's first content line (where its CodeLens goes). */
  line: number;
  isKubernetes: boolean;
}

/**
 * A line scan for CodeLenses: `---` separates documents, and a document is a
 * Kubernetes object when it has top-level `apiVersion:` and `kind:` keys.
 * Parsing a 1,000-document file takes about half a second; this takes a few
 * milliseconds, and CodeLenses are asked for after every edit. Apply parses
 * the document for real when clicked.
 */
export function scanDocStarts(text: string): DocStart[] {
  const out: DocStart[] = [];
  let start = -1;
  let api = false;
  let kind = false;
  const close = () => {
    if (start >= 0) out.push({ line: start, isKubernetes: api && kind });
    start = -1;
    api = kind = false;
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^(---|\.\.\.)(\s|$)/.test(l)) {
      close();
      const rest = l.slice(3).trim();
      if (rest && !rest.startsWith('#')) start = i;
      continue;
    }
    if (start < 0) {
      if (/^\s*(#.*)?$/.test(l) || l.startsWith('%')) continue;
      start = i;
    }
    if (l.startsWith('apiVersion:') && /^apiVersion:\s*\S/.test(l)) api = true;
    else if (l.startsWith('kind:') && /^kind:\s*\S/.test(l)) kind = true;
  }
  close();
  return out;
}

/** The parsed document that contains `line` (what a CodeLens at that line applies). */
export function docAtLine(docs: ManifestDoc[], line: number): ManifestDoc | undefined {
  return docs.find((d) => line >= d.startLine && line <= d.endLine) ?? docs.find((d) => d.startLine === line);
}
