/**
 * Shared by the extension-host suites: reach the running extension through
 * its exports (the same instance VS Code runs, not a second copy of the
 * modules) and wait on cluster state by polling, never by sleeping blindly.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { KubeplayApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'kubeplay.kubeplay';

export async function activate(): Promise<KubeplayApi> {
  const ext = vscode.extensions.getExtension<KubeplayApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Polls `check` until it returns a truthy value or `ms` pass; fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, ms = 60_000, every = 100): Promise<T> {
  const until = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e as T;
    }
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * Connects to the playground; when it cannot start here (no dist/cli.js, no playground yet),
 * the suite is skipped with the reason instead of failing every test after it.
 */
export async function playgroundOrSkip(ctx: Mocha.Context, api: KubeplayApi): Promise<void> {
  ctx.timeout(120_000);
  try {
    if (!api.cluster.isPlayground) await api.cluster.switchTarget('playground');
    await api.cluster.connect();
    await waitFor('the playground to report a node', () => api.cluster.store.list('nodes').length > 0, 60_000);
  } catch (e: any) {
    console.log(`SKIPPED (playground unavailable): ${e?.message ?? e}`);
    ctx.skip();
  }
}

export function readyPods(api: KubeplayApi, rsName: string, ns = 'default'): number {
  const rs = api.cluster.store.get('replicasets', ns, rsName);
  return api.cluster.store
    .owned('pods', rs?.metadata.uid)
    .filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && (p.status?.containerStatuses ?? []).every((c: any) => c.ready)).length;
}
