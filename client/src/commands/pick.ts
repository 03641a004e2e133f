import * as vscode from 'vscode';
import type { Cluster } from '../cluster';
import type { TreeNode } from '../model/node';
import { ObjRef, refOf } from '../model/types';

/**
 * The object a command acts on: the tree row it was invoked on, or, from the
 * command palette, one picked from what the cluster holds.
 */
export async function targetRef(cluster: Cluster, arg: unknown, resources: string[], placeHolder: string): Promise<ObjRef | undefined> {
  const node = arg as TreeNode | undefined;
  if (node?.ref && (resources.length === 0 || resources.includes(node.ref.resource))) return node.ref;
  if ((arg as ObjRef)?.kind && (arg as ObjRef)?.name) return arg as ObjRef;
  try {
    await cluster.connect();
  } catch (e: any) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not connect: {0}', e?.message ?? String(e)));
    return undefined;
  }
  const items = resources.flatMap((r) =>
    cluster.store.list(r).map((o) => ({
      label: o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name ?? '',
      description: o.kind,
      ref: refOf(o, r),
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to act on yet: the cluster has no {0}.', resources.join(', ')));
    return undefined;
  }
  items.sort((a, b) => (a.label < b.label ? -1 : 1));
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.ref;
}

/** Runs an action with the server's message shown on failure and a short confirmation on success. */
export async function act(what: string | ((done: boolean) => string), fn: () => Promise<unknown>): Promise<boolean> {
  // `what` may be worded from what the action answered (a name the server chose): it is asked after the action.
  const say = (done: boolean) => (typeof what === 'string' ? what : what(done));
  try {
    await fn();
    vscode.window.setStatusBarMessage(`$(check) ${say(true)}`, 4000);
    return true;
  } catch (e: any) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} failed: {1}', say(false), e?.message ?? String(e)));
    return false;
  }
}
