import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { kubeTags } from '../../kube/src/kubeYaml';
import type { Cluster } from './cluster';
import { describe } from './model/describe';
import type { ObjRef } from './model/types';
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
export class KubeplayDocuments implements vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly cluster: Cluster) {}

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
        return stringify(shown, { customTags: kubeTags });
      }
      return describe(this.cluster.store, { ...obj, kind: obj.kind ?? ref.kind, apiVersion: obj.apiVersion ?? ref.apiVersion }, this.cluster.now());
    } catch (e: any) {
      return vscode.l10n.t('Could not read {0}/{1}: {2}', ref.kind, ref.name, e?.message ?? String(e));
    }
  }
}
