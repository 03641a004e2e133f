/**
 * The editor's checks across objects (kube/src/cross) over every file
 * `kubeplay validate` is given, as the language server runs them over a
 * workspace: a Service selector no pod template matches, a Secret a pod
 * names that nothing defines, a quota a container does not state requests
 * for… Same codes, severities and messages.
 *
 * Results wait until the last file is read (what a Service selects may come
 * later), but the parsed values do not: each object is read once, as it
 * comes, into its index entry (name, namespace, pod template labels) and the
 * facts its own checks need (a selector, the names it refers to, what it
 * says on its own), and the value is dropped. At the end one CrossEnv is
 * built and each check is a few map lookups, so 100,000 resources stay
 * linear, in time and in what is kept. The rare check that needs a whole
 * pod spec again (a quota or a Pod Security namespace governs the object)
 * reads its document again.
 */
import { CrossEnv } from '../../kube/src/cross/env';
import { crossFactChecks, crossFacts, type CrossFacts } from '../../kube/src/cross/checks';
import { get, indexObject, type IndexedObject } from '../../kube/src/cross/objects';
import type { SchemaLike } from '../../kube/src/rules/context';
import type { FieldPath, Finding } from '../../kube/src/rules/types';
import { isFailing, locate, reparse, type CheckedDocument, type LocatedFinding, type ResourceResult } from './validateCheck';
import { fastLocate } from './validateLocate';

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** An object of a resource that cross-object checks look at: its facts and where it is. */
interface Subject {
  facts: CrossFacts;
  kind: string;
  name?: string;
  namespace?: string;
  path: FieldPath;
  uri: string;
}

/**
 * A resource whose object some check across objects looks at: where its document is, and the facts of that
 * object (of the first, in a List: `more` holds the others).
 */
interface Pending extends Subject {
  result: ResourceResult;
  lines: string[];
  start: number;
  end: number;
  more?: Subject[];
}

const isPending = (h: ResourceResult | Pending): h is Pending => 'facts' in h;

const TOP: FieldPath = Object.freeze([]) as unknown as FieldPath;

export class CrossPass {
  /** Every resource in the order it came; those with something to check across objects wrapped with their facts. */
  private readonly held: (ResourceResult | Pending)[] = [];
  /** Index entries per file, in order (one CrossEnv list per file, as the language server keeps one per URI). */
  private readonly lists = new Map<string, IndexedObject[]>();

  /**
   * `emit` gets every resource, with what the checks found, in the order they came; those `countsOnly` says
   * only count (valid, nothing found, nothing to check across objects) go at once instead of waiting.
   */
  constructor(private readonly schema: SchemaLike, private readonly emit: (r: ResourceResult) => void, private readonly countsOnly: (r: ResourceResult) => boolean = () => false) {}

  /** A resource as checkStream emits it; resources it validated (or skipped) are indexed. */
  add(result: ResourceResult, doc?: CheckedDocument): void {
    if (!doc || result.status === 'error') {
      if (this.countsOnly(result)) this.emit(result);
      else this.held.push(result);
      return;
    }
    let list = this.lists.get(result.file);
    if (!list) this.lists.set(result.file, (list = []));
    this.first = undefined;
    // A List's items are objects of their own, as the editor's model reads them.
    const root = doc.value;
    if (root.kind === 'List' && Array.isArray(root.items)) {
      const items = root.items;
      for (let i = 0; i < items.length; i++) {
        const item = rec(items[i]);
        if (item) this.one(result, doc, list, ['items', i], item);
      }
    } else this.one(result, doc, list, TOP, root);
    const first = this.first;
    this.first = undefined;
    if (first) this.held.push(first);
    else if (this.countsOnly(result)) this.emit(result);
    else this.held.push(result);
  }

  /** The resource being added: its first object that some check across objects looks at. */
  private first: Pending | undefined;

  /** Indexes one object of a resource, and keeps the facts its checks need. */
  private one(result: ResourceResult, doc: CheckedDocument, list: IndexedObject[], path: FieldPath, value: Obj): void {
    const kind = str(value.kind);
    if (!kind) return;
    list.push(indexObject(result.file, doc.start, path, kind, value, false, true));
    const apiVersion = str(value.apiVersion);
    // Checked where the editor checks: kinds the schema knows, in resources validated (not skipped).
    if (result.status === 'skipped' || !apiVersion || !this.schema.kind(apiVersion, kind)) return;
    const facts = crossFacts(kind, value);
    if (!facts) return;
    const meta = rec(value.metadata);
    const name = str(meta?.name);
    const namespace = str(meta?.namespace);
    // A literal (not a class instance): V8 allocates where it is written, and learns these all live until the end.
    if (!this.first) this.first = { result, lines: doc.lines, start: doc.start, end: doc.end, facts, kind, name, namespace, path, uri: result.file, more: undefined };
    else (this.first.more ??= []).push({ facts, kind, name, namespace, path, uri: result.file });
  }

  /** Runs the checks and hands every resource on, in the order they came, with what the checks found. */
  finish(strict: boolean): void {
    const emit = this.emit;
    const env = new CrossEnv();
    for (const list of this.lists.values()) for (const o of list) env.index(o);
    this.lists.clear();
    // The value of an object of the resource being checked, read again (once per resource) when a check asks.
    let current: Pending | undefined;
    let parsed: unknown;
    const value = (s: { path: FieldPath }) => rec(get((parsed ??= reparse(current!.lines, current!.start, current!.end, strict)), s.path));
    const held = this.held;
    for (let i = 0; i < held.length; i++) {
      const h = held[i];
      held[i] = undefined!; // let what was emitted go
      if (!isPending(h)) { emit(h); continue; }
      let found: Finding[] | undefined;
      current = h;
      parsed = undefined;
      for (let k = -1; k < (h.more?.length ?? 0); k++) {
        const s = k < 0 ? h : h.more![k];
        found = crossFactChecks(s.facts, s, env, value, found);
      }
      emit(found ? merge(h.result, h, found, strict) : h.result);
    }
    held.length = 0;
  }
}

const byPosition = (a: LocatedFinding, b: LocatedFinding) => a.line - b.line || a.column - b.column;

/** The resource's result with what the checks across objects found (findings of their own, placed in its document). */
function merge(r: ResourceResult, doc: Pending, found: Finding[], strict: boolean): ResourceResult {
  let located: LocatedFinding[] | undefined;
  let slow: Finding[] | undefined;
  for (const f of found) {
    const at = fastLocate(doc.lines, doc.start, doc.end, f.path, f.target ?? 'value');
    if (!at) { (slow ??= []).push(f); continue; }
    const l = f as LocatedFinding;
    l.line = at.line;
    l.column = at.column;
    if (located) located.push(l);
    else located = [l];
  }
  located ??= [];
  if (slow) for (const f of locate(doc.lines, doc.start, doc.end, slow)) located.push(f);
  const findings = r.findings.length ? r.findings.concat(located) : located;
  if (findings.length > 1) findings.sort(byPosition);
  let invalid = r.status === 'invalid';
  if (!invalid) for (const f of located) if (isFailing(f.severity, strict)) { invalid = true; break; }
  return { ...r, status: invalid ? 'invalid' : r.status, findings };
}
