import * as vscode from 'vscode';
import type { Cluster } from '../cluster';
import { docUri, explainUri, DESCRIBE_LANGUAGE } from '../documents';
import { pathAtOffset } from '../model/yamlDocs';
import { resourcePath, toApiError } from '../kube/api';
import { kubectlErrorMessage } from '../model/errors';
import type { ObjRef } from '../model/types';
import { act, targetRef } from './pick';
import { connectionMessage, parseTarget, type ConnectionTrace } from '../model/connection';

const SCALABLE = ['deployments', 'statefulsets', 'replicasets', 'replicationcontrollers'];
const ROLLABLE = ['deployments', 'statefulsets', 'daemonsets'];
const WITH_TEMPLATE = ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'replicationcontrollers', 'jobs'];
const ALL = ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs', 'replicationcontrollers', 'pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'persistentvolumes', 'nodes', 'namespaces', 'ingresses', 'networkpolicies', 'horizontalpodautoscalers', 'resourcequotas', 'limitranges'];

/**
 * Reads the object before a Describe or YAML tab opens for it: one that is
 * gone (a pod clicked just after it was deleted) gets kubectl's error in a
 * notification, `Error from server (NotFound): pods "web-1" not found`, and no tab.
 */
async function exists(cluster: Cluster, ref: ObjRef): Promise<boolean> {
  try {
    const conn = await cluster.connect();
    await conn.read(ref);
    return true;
  } catch (e) {
    void vscode.window.showErrorMessage(kubectlErrorMessage(toApiError(e)));
    return false;
  }
}

/**
 * Where a describe, YAML or explain tab opens: beside the file being edited,
 * else in the active group. Beside with no editor open would leave an empty
 * group on the left and halve the width kubectl's wide columns get.
 */
function viewColumn(): vscode.ViewColumn {
  return vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
}

/** Commands that change or inspect one object, as kubectl does them, through the Kubernetes API. */
export function objectCommands(cluster: Cluster): Record<string, (...args: any[]) => unknown> {
  const t = vscode.l10n.t;
  return {
    'kubeplay.delete': async (arg) => {
      const ref = await targetRef(cluster, arg, ALL, t('Object to delete'));
      if (!ref) return;
      const yes = t('Delete');
      if ((await vscode.window.showWarningMessage(t('Delete {0} {1}?', ref.kind, ref.name), { modal: true }, yes)) !== yes) return;
      const conn = await cluster.connect();
      await act(t('Deleted {0}/{1}', ref.kind, ref.name), () => conn.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } }));
    },
    'kubeplay.scale': async (arg, replicas?: number) => {
      const ref = await targetRef(cluster, arg, SCALABLE, t('Workload to scale'));
      if (!ref) return;
      const current = cluster.store.get(ref.resource, ref.namespace, ref.name)?.spec?.replicas ?? 1;
      let n = replicas;
      if (n === undefined) {
        const input = await vscode.window.showInputBox({
          prompt: t('Replicas for {0} {1}', ref.kind, ref.name),
          value: String(current),
          validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : t('A whole number of replicas, 0 or more')),
        });
        if (input === undefined) return;
        n = Number(input.trim());
      }
      const conn = await cluster.connect();
      await act(t('Scaled {0} to {1}', ref.name, n), () => conn.request('PATCH', resourcePath(ref, 'scale'), { spec: { replicas: n } }, 'application/merge-patch+json'));
    },
    'kubeplay.rolloutRestart': async (arg) => {
      const ref = await targetRef(cluster, arg, ROLLABLE, t('Workload to restart'));
      if (!ref) return;
      const conn = await cluster.connect();
      const at = new Date(cluster.now()).toISOString();
      await act(t('Restarted {0}', ref.name), () => conn.patch(ref, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } }, 'merge'));
    },
    'kubeplay.rolloutUndo': async (arg) => {
      const ref = await targetRef(cluster, arg, ['deployments'], t('Deployment to roll back'));
      if (!ref) return;
      const d = cluster.store.get('deployments', ref.namespace, ref.name);
      const rev = (o: any) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
      const rss = cluster.store.owned('replicasets', d?.metadata.uid).sort((a, b) => rev(b) - rev(a));
      const previous = rss[1];
      if (!previous) {
        void vscode.window.showWarningMessage(t('{0} has no previous revision to roll back to.', ref.name));
        return;
      }
      // As kubectl rollout undo: copy the previous ReplicaSet's template, minus its pod-template-hash label.
      const template = JSON.parse(JSON.stringify(previous.spec.template));
      delete template.metadata?.labels?.['pod-template-hash'];
      const conn = await cluster.connect();
      await act(t('Rolled {0} back to revision {1}', ref.name, rev(previous)), () => conn.patch(ref, [{ op: 'replace', path: '/spec/template', value: template }], 'json'));
    },
    'kubeplay.setImage': async (arg) => {
      const ref = await targetRef(cluster, arg, WITH_TEMPLATE, t('Workload whose image to set'));
      if (!ref) return;
      const obj = cluster.store.get(ref.resource, ref.namespace, ref.name) ?? (await (await cluster.connect()).read(ref));
      const containers: any[] = obj.spec?.template?.spec?.containers ?? [];
      if (!containers.length) return;
      const pick = containers.length === 1 ? containers[0] : (await vscode.window.showQuickPick(containers.map((c) => ({ label: c.name, description: c.image, c })), { placeHolder: t('Container') }))?.c;
      if (!pick) return;
      const image = await vscode.window.showInputBox({ prompt: t('New image for container {0}', pick.name), value: pick.image });
      if (!image || image === pick.image) return;
      const i = containers.indexOf(pick);
      const conn = await cluster.connect();
      await act(t('Set image of {0} to {1}', pick.name, image), () => conn.patch(ref, [{ op: 'replace', path: `/spec/template/spec/containers/${i}/image`, value: image }], 'json'));
    },
    // As `kubectl delete pod`: the pod terminates and its ReplicaSet (or other controller) creates a replacement.
    'kubeplay.killPod': async (arg) => {
      const ref = await targetRef(cluster, arg, ['pods'], t('Pod to kill'));
      if (!ref) return;
      if (!cluster.isPlayground) {
        const yes = t('Delete pod');
        if ((await vscode.window.showWarningMessage(t('On a real cluster a pod is killed by deleting it. Delete {0}?', ref.name), { modal: true }, yes)) !== yes) return;
      }
      const conn = await cluster.connect();
      await act(t('Killed {0}', ref.name), () => conn.delete({ apiVersion: 'v1', kind: 'Pod', metadata: { name: ref.name, namespace: ref.namespace } }));
    },
    // Playground only: the containers die as if they crashed; the kubelet restarts them (restart count, back-off).
    'kubeplay.crashPod': async (arg) => {
      const ref = await targetRef(cluster, arg, ['pods'], t('Pod whose containers to crash'));
      if (!ref) return;
      await act(t('Crashed the containers of {0}', ref.name), () => cluster.extras('POST', `/namespaces/${ref.namespace}/pods/${ref.name}/kill`));
    },
    // Playground only: where a connection from the pod goes, and which NetworkPolicy drops it if one does.
    'kubeplay.checkConnection': async (arg, given?: string) => {
      const ref = await targetRef(cluster, arg, ['pods'], t('Pod to connect from'));
      if (!ref) return;
      // The namespace's first Service as a suggestion (not the apiserver's own `kubernetes`).
      const svc = cluster.store.list('services', ref.namespace).find((s) => s.spec?.ports?.length && s.spec?.clusterIP !== 'None' && !(s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'));
      const input = given ?? await vscode.window.showInputBox({
        prompt: t('Connect from {0} to host:port, as the pod would dial it (a Service name, name.namespace, or an IP)', ref.name),
        value: svc ? `${svc.metadata.name}:${svc.spec.ports[0].port}` : '',
        validateInput: (v) => (parseTarget(v) ? undefined : t('host:port, such as web:80')),
      });
      const target = input === undefined ? undefined : parseTarget(input);
      if (!target) return;
      try {
        const trace = await cluster.extras('GET', `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}/pods/${encodeURIComponent(ref.name)}/connect?host=${encodeURIComponent(target.host)}&port=${target.port}`);
        const m = connectionMessage(t, trace as ConnectionTrace);
        if (m.ok) void vscode.window.showInformationMessage(m.text);
        else void vscode.window.showWarningMessage(m.text);
        return trace;
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
        return undefined;
      }
    },
    'kubeplay.describe': async (arg) => {
      const ref = await targetRef(cluster, arg, ALL, t('Object to describe'));
      if (!ref || !(await exists(cluster, ref))) return;
      // Its own language, whose configurationDefaults wrap lines: at half width the Events' Message column stays in view.
      const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(docUri('describe', ref)), DESCRIBE_LANGUAGE);
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: viewColumn() });
      return doc;
    },
    'kubeplay.showYaml': async (arg) => {
      const ref = await targetRef(cluster, arg, ALL, t('Object to show'));
      if (!ref || !(await exists(cluster, ref))) return;
      const doc = await vscode.workspace.openTextDocument(docUri('yaml', ref));
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: viewColumn() });
      return doc;
    },
    'kubeplay.showLogs': async (arg) => {
      const ref = await targetRef(cluster, arg, ['pods'], t('Pod whose logs to follow'));
      if (!ref) return;
      const pod = cluster.store.get('pods', ref.namespace, ref.name);
      const containers: string[] = (pod?.spec?.containers ?? []).map((c: any) => c.name);
      const container = containers.length > 1 ? await vscode.window.showQuickPick(containers, { placeHolder: t('Container') }) : containers[0];
      const conn = await cluster.connect();
      const channel = vscode.window.createOutputChannel(t('Kubeplay Logs: {0}', ref.name));
      channel.show(true);
      const { Writable } = await import('stream');
      const sink = new Writable({
        write(chunk, _enc, cb) {
          channel.append(chunk.toString());
          cb();
        },
      });
      try {
        await new conn.lib.Log(conn.kc).log(ref.namespace ?? 'default', ref.name, container ?? '', sink, { follow: true, tailLines: 1000 });
      } catch (e: any) {
        channel.appendLine(t('Could not follow logs: {0}', e?.message ?? String(e)));
      }
      return channel;
    },
    'kubeplay.explain': async (arg?: string) => {
      let target: { apiVersion?: string; kind: string; path: (string | number)[] } | undefined;
      const editor = vscode.window.activeTextEditor;
      if (typeof arg === 'string') {
        const [kind, ...rest] = arg.split('.');
        target = { kind, path: rest };
      } else if (editor && editor.document.languageId === 'yaml') {
        const at = pathAtOffset(editor.document.getText(), editor.document.offsetAt(editor.selection.active));
        if (at?.kind) target = { apiVersion: at.apiVersion, kind: at.kind, path: at.path };
      }
      if (!target) {
        const input = await vscode.window.showInputBox({ prompt: t('Field to explain, as kubectl explain takes it'), placeHolder: 'deployment.spec.strategy' });
        if (!input) return;
        const [kind, ...rest] = input.split('.');
        target = { kind, path: rest };
      }
      const doc = await vscode.workspace.openTextDocument(explainUri(target.apiVersion, target.kind, target.path));
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: viewColumn() });
      return doc;
    },
  };
}
