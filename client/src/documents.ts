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

/** Describe tabs' language: package.json wraps its lines (configurationDefaults), as a virtual document has no other way. */
export const DESCRIBE_LANGUAGE = 'kubeplay-describe';

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
  private readonly shown = new Map<string, { ref: ObjRef; view: string; text: string; deleted: boolean; version?: string; terminating?: boolean }>();
  /** Text a tick already drew for a tab (its ages moved on), handed to VS Code when it asks, without a second read. */
  private readonly drawn = new Map<string, string>();
  /**
   * kubectl describe computes its ages (`Age: 3m`, the Events' `15s`) when it prints; a visible tab is drawn again
   * every 5 s so that they stay true, when the text would change (simulated time paused: never).
   */
  private readonly ticker = setInterval(() => void this.tick(), 5000);
  private ticking = false;
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
              // Terminating (deletionTimestamp set): drawn at once, not after the coalescer, as the pod may be gone
              // within the second and the tab's last look should be the Terminating one.
              if (!s.terminating && store.get(s.ref.resource, s.ref.namespace, s.ref.name)?.metadata.deletionTimestamp) {
                s.terminating = true;
                this.stale.delete(key);
                this.emitter.fire(vscode.Uri.parse(key));
              } else {
                this.stale.add(key);
                this.redraw.poke();
              }
            }
          } else if (!this.asked.has(key)) {
            this.asked.add(key);
            this.emitter.fire(vscode.Uri.parse(key));
          }
        }
      }),
      // Also fired when a tab's language is set (Describe sets its own); the document is closed only when really so.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!d.isClosed) return;
        this.drawn.delete(d.uri.toString());
        this.shown.delete(d.uri.toString());
        this.asked.delete(d.uri.toString());
        this.stale.delete(d.uri.toString());
      }),
    ];
  }

  dispose(): void {
    clearInterval(this.ticker);
    for (const s of this.subs) s.dispose();
  }

  /** Draws each visible, live describe tab again and hands VS Code the text when it differs from what the tab shows. */
  private async tick(): Promise<void> {
    if (this.ticking || !this.cluster.target.connected) return;
    this.ticking = true;
    try {
      const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
      for (const [key, s] of this.shown) {
        if (s.view !== 'describe' || s.deleted || !visible.has(key) || this.stale.has(key)) continue;
        const text = await this.draw(vscode.Uri.parse(key)).catch(() => undefined);
        if (text === undefined || text === s.text || this.shown.get(key) !== s) continue;
        this.drawn.set(key, text);
        this.emitter.fire(vscode.Uri.parse(key));
      }
    } finally {
      this.ticking = false;
    }
  }

  /** The describe text of a tab's object now. */
  private async draw(uri: vscode.Uri): Promise<string> {
    const ref = refOfUri(uri);
    const conn = await this.cluster.connect();
    const obj = await conn.read(ref);
    // A node's Lease, as kubectl describe node reads it (kube-node-lease/<node>; none on a failure, as kubectl's nil).
    let lease: KObject | undefined;
    if ((obj.kind ?? ref.kind) === 'Node') {
      lease = await conn.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', resource: 'leases', namespace: 'kube-node-lease', name: ref.name }).catch(() => undefined);
    }
    return describe(this.cluster.store, { ...obj, kind: obj.kind ?? ref.kind, apiVersion: obj.apiVersion ?? ref.apiVersion }, this.cluster.now(), { lease });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const view = uri.path.split('/')[1];
    if (view === 'explain') {
      const q = new URLSearchParams(uri.query);
      const text = explain(q.get('apiVersion') || undefined, q.get('kind') ?? '', JSON.parse(q.get('path') ?? '[]'));
      return text ?? vscode.l10n.t('No schema entry for {0}.', uri.path.slice('/explain/'.length));
    }
    const ref = refOfUri(uri);
    const drawn = this.drawn.get(uri.toString());
    if (drawn !== undefined) {
      this.drawn.delete(uri.toString());
      return this.remember(uri, view, ref, drawn);
    }
    try {
      if (view === 'describe') return this.remember(uri, view, ref, await this.draw(uri));
      const conn = await this.cluster.connect();
      const obj = await conn.read(ref);
      const { managedFields, ...meta } = obj.metadata as any;
      void managedFields;
      const shown = obj.kind === 'Secret' ? { ...obj, metadata: meta, data: Object.fromEntries(Object.keys(obj.data ?? {}).map((k) => [k, '<hidden>'])) } : { ...obj, metadata: meta };
      // Quoted where kubectl would read a plain scalar as another type (`"yes"`, `"0644"`), so a copy applies as shown.
      return this.remember(uri, view, ref, stringify(shown, { customTags: kubeTags }));
    } catch (e: any) {
      const err = toApiError(e);
      const before = this.shown.get(uri.toString());
      // Deleted while its tab is open: what it last showed, under a line that says so. A describe tab
      // starts with what `kubectl describe` now prints, `Error from server (NotFound): nodes "x" not found`.
      if (before && isNotFound(err)) {
        // The banner is at line 1, likely scrolled away: a visible tab also says it where the user looks.
        if (!before.deleted && vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString())) {
          void vscode.window.showInformationMessage(vscode.l10n.t('{0} {1} was deleted', ref.kind, ref.name));
        }
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
    const terminating = this.shown.get(uri.toString())?.terminating;
    this.shown.set(uri.toString(), { ref, view, text, deleted: false, version, terminating });
    return text;
  }
}

/** `kubeplay:/describe/pods/default/web-1?apiVersion=v1&kind=Pod` → the object's ref. */
function refOfUri(uri: vscode.Uri): ObjRef {
  const q = new URLSearchParams(uri.query);
  const [, view, resource, ns, rawName] = uri.path.split('/');
  const name = view === 'yaml' ? rawName.replace(/\.yaml$/, '') : rawName;
  return { apiVersion: q.get('apiVersion') ?? 'v1', kind: q.get('kind') ?? '', resource, namespace: ns === '_' ? undefined : ns, name };
}
