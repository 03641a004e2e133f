import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { kubeTags } from '../../kube/src/kubeYaml';
import type { Cluster } from './cluster';
import { describe, describedVersion } from './model/describe';
import { Coalescer } from './model/store';
import type { KObject, ObjRef } from './model/types';
import { typeByResource } from './model/types';
import { isNotFound, kubectlErrorMessage } from './model/errors';
import { toApiError } from './kube/api';
import { explain } from './explain';

export const SCHEME = 'kubeplay';

/** `kubeplay:/describe/pods/default/web-1` → the ref; the same shape for `yaml` (with a `.yaml` suffix). */
export function docUri(view: 'describe' | 'yaml', ref: ObjRef): vscode.Uri {
  const q = new URLSearchParams({ apiVersion: ref.apiVersion, kind: ref.kind, t: String(Date.now()) }).toString();
  const name = view === 'yaml' ? `${ref.name}.yaml` : ref.name;
  return vscode.Uri.from({ scheme: SCHEME, path: `/${view}/${ref.resource}/${ref.namespace ?? '_'}/${name}`, query: q });
}

export function explainUri(apiVersion: string | undefined, kind: string, path: (string | number)[]): vscode.Uri {
  const q = new URLSearchParams({ apiVersion: apiVersion ?? '', kind, path: JSON.stringify(path) }).toString();
  return vscode.Uri.from({ scheme: SCHEME, path: `/explain/${kind}${path.length ? '.' + path.filter((p) => typeof p === 'string').join('.') : ''}`, query: q });
}

/**
 * Read-only documents: Describe (kubectl describe format), live YAML (with
 * status) and Explain. Being provider documents, VS Code never lets them be
 * edited or saved over the cluster.
 */
export class KubeplayDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  /**
   * What each open describe/YAML tab last showed, kept to mark it once its object is deleted;
   * for a describe tab also what the watch had of the object and its Events then (describedVersion).
   */
  private readonly shown = new Map<string, { ref: ObjRef; view: string; text: string; deleted: boolean; version?: string }>();
  /** Tabs already asked to read again because the watch lost their object (one read each, not one per refresh). */
  private readonly asked = new Set<string>();
  /** Describe tabs whose object or Events changed, redrawn together at most once a second. */
  private readonly stale = new Set<string>();
  private readonly redraw = new Coalescer(1000, () => {
    for (const key of this.stale) this.emitter.fire(vscode.Uri.parse(key));
    this.stale.clear();
  });
  private readonly subs: vscode.Disposable[];

  constructor(private readonly cluster: Cluster) {
    this.subs = [
      this.emitter,
      // A tab whose object the watch no longer has is read again, which marks it deleted; a describe tab whose
      // object or Events changed is drawn again (kubectl describe is a snapshot; the tab follows the watch).
      // A handful of open tabs, looked up by key.
      cluster.onDidChange(() => {
        const store = this.cluster.store;
        for (const [key, s] of this.shown) {
          if (s.deleted || !typeByResource.has(s.ref.resource) || !this.cluster.target.connected) continue;
          const version = s.view === 'describe' ? describedVersion(store, s.ref.resource, s.ref.namespace, s.ref.name) : undefined;
          const present = s.view === 'describe' ? version !== undefined : !!store.get(s.ref.resource, s.ref.namespace, s.ref.name);
          if (present) {
            this.asked.delete(key);
            if (s.view === 'describe' && version !== s.version) {
              s.version = version;
              this.stale.add(key);
              this.redraw.poke();
            }
          } else if (!this.asked.has(key)) {
            this.asked.add(key);
            this.emitter.fire(vscode.Uri.parse(key));
          }
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.shown.delete(d.uri.toString());
        this.asked.delete(d.uri.toString());
        this.stale.delete(d.uri.toString());
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const [, view, resource, ns, rawName] = uri.path.split('/');
    if (view === 'explain') {
      const text = explain(q.get('apiVersion') || undefined, q.get('kind') ?? '', JSON.parse(q.get('path') ?? '[]'));
      return text ?? vscode.l10n.t('No schema entry for {0}.', uri.path.slice('/explain/'.length));
    }
    const name = view === 'yaml' ? rawName.replace(/\.yaml$/, '') : rawName;
    const ref: ObjRef = { apiVersion: q.get('apiVersion') ?? 'v1', kind: q.get('kind') ?? '', resource, namespace: ns === '_' ? undefined : ns, name };
    const conn = await this.cluster.connect();
    try {
      const obj = await conn.read(ref);
      if (view === 'yaml') {
        const { managedFields, ...meta } = obj.metadata as any;
        void managedFields;
        const shown = obj.kind === 'Secret' ? { ...obj, metadata: meta, data: Object.fromEntries(Object.keys(obj.data ?? {}).map((k) => [k, '<hidden>'])) } : { ...obj, metadata: meta };
        // Quoted where kubectl would read a plain scalar as another type (`"yes"`, `"0644"`), so a copy applies as shown.
        return this.remember(uri, view, ref, stringify(shown, { customTags: kubeTags }));
      }
      // A node's Lease, as kubectl describe node reads it (kube-node-lease/<node>; none on a failure, as kubectl's nil).
      let lease: KObject | undefined;
      if ((obj.kind ?? ref.kind) === 'Node') {
        lease = await conn.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', resource: 'leases', namespace: 'kube-node-lease', name: ref.name }).catch(() => undefined);
      }
      return this.remember(uri, view, ref, describe(this.cluster.store, { ...obj, kind: obj.kind ?? ref.kind, apiVersion: obj.apiVersion ?? ref.apiVersion }, this.cluster.now(), { lease }));
    } catch (e: any) {
      const err = toApiError(e);
      const before = this.shown.get(uri.toString());
      // Deleted while its tab is open: what it last showed, under a line that says so. A describe tab
      // starts with what `kubectl describe` now prints, `Error from server (NotFound): nodes "x" not found`.
      if (before && isNotFound(err)) {
        before.deleted = true;
        const note = vscode.l10n.t('{0} {1} was deleted; this is what it last was.', ref.kind, ref.name);
        const banner = view === 'yaml' ? `# ${note}` : `${kubectlErrorMessage(err)}\n${note}`;
        return `${banner}\n\n${before.text}`;
      }
      return kubectlErrorMessage(err);
    }
  }

  private remember(uri: vscode.Uri, view: string, ref: ObjRef, text: string): string {
    const version = view === 'describe' ? describedVersion(this.cluster.store, ref.resource, ref.namespace, ref.name) : undefined;
    this.shown.set(uri.toString(), { ref, view, text, deleted: false, version });
    return text;
  }
}
