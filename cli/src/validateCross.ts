/**
 * The editor's checks across objects (kube/src/cross) over every file
 * `kubeplay validate` is given, as the language server runs them over a
 * workspace: a Service selector no pod template matches, a Secret a pod
 * names that nothing defines, a quota a container does not state requests
 * for… Same codes, severities and messages.
 *
 * The resources are held until the last file is read (what a Service
 * selects may come later), then indexed once: each check is a few map
 * lookups (names, `key=value` labels, namespaces), so 100,000 resources stay
 * linear.
 */
import { CrossEnv } from '../../kube/src/cross/env';
import { crossObjectChecks, type CrossSubject } from '../../kube/src/cross/checks';
import { indexObject, type IndexedObject } from '../../kube/src/cross/objects';
import type { SchemaLike } from '../../kube/src/rules/context';
import type { Finding } from '../../kube/src/rules/types';
import { isFailing, locate, type CheckedDocument, type LocatedFinding, type ResourceResult } from './validateCheck';
import { fastLocate } from './validateLocate';

interface Held {
  result: ResourceResult;
  doc?: CheckedDocument;
  subjects: CrossSubject[];
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class CrossPass {
  private readonly held: Held[] = [];
  /** Index entries per file, in order (one CrossEnv list per file, as the language server keeps one per URI). */
  private readonly lists = new Map<string, IndexedObject[]>();

  constructor(private readonly schema: SchemaLike) {}

  /** A resource as checkStream emits it; resources it validated (or skipped) are indexed. */
  add(result: ResourceResult, doc?: CheckedDocument): void {
    const subjects: CrossSubject[] = [];
    if (doc && result.status !== 'error') {
      let list = this.lists.get(result.file);
      if (!list) this.lists.set(result.file, (list = []));
      // A List's items are objects of their own, as the editor's model reads them.
      const root = doc.value;
      const objects: { path: (string | number)[]; value: Obj }[] = root.kind === 'List' && Array.isArray(root.items)
        ? root.items.flatMap((it, i) => (rec(it) ? [{ path: ['items', i], value: rec(it)! }] : []))
        : [{ path: [], value: root }];
      for (const o of objects) {
        const kind = str(o.value.kind);
        if (!kind) continue;
        list.push(indexObject(result.file, doc.start, o.path, kind, o.value, false));
        const apiVersion = str(o.value.apiVersion);
        // Checked where the editor checks: kinds the schema knows, in resources validated (not skipped).
        if (result.status === 'skipped' || !apiVersion || !this.schema.kind(apiVersion, kind)) continue;
        const meta = rec(o.value.metadata);
        subjects.push({ kind, value: o.value, name: str(meta?.name), namespace: str(meta?.namespace), path: o.path, uri: result.file });
      }
    }
    this.held.push({ result, doc: subjects.length ? doc : undefined, subjects });
  }

  /** Runs the checks and hands every resource on, in the order they came, with what the checks found. */
  finish(strict: boolean, emit: (r: ResourceResult) => void): void {
    const env = new CrossEnv();
    env.update([...this.lists.values()]);
    for (const h of this.held) {
      let found: Finding[] = [];
      for (const s of h.subjects) found = found.concat(crossObjectChecks(s, env));
      emit(found.length ? merge(h.result, h.doc!, found, strict) : h.result);
    }
  }
}

function merge(r: ResourceResult, doc: CheckedDocument, found: Finding[], strict: boolean): ResourceResult {
  const fast: LocatedFinding[] = [];
  const slow: Finding[] = [];
  for (const f of found) {
    const at = fastLocate(doc.lines, doc.start, doc.end, f.path, f.target ?? 'value');
    if (at) fast.push({ ...f, ...at });
    else slow.push(f);
  }
  const located = fast.concat(slow.length ? locate(doc.lines, doc.start, doc.end, slow) : []);
  const findings = r.findings.concat(located).sort((a, b) => a.line - b.line || a.column - b.column);
  const invalid = r.status === 'invalid' || located.some((f) => isFailing(f.severity, strict));
  return { ...r, status: invalid ? 'invalid' : r.status, findings };
}
