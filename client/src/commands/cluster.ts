import * as vscode from 'vscode';
import type { Cluster } from '../cluster';
import { act, targetRef } from './pick';
import { loadClient } from '../kube/api';
import { drainNode } from '../model/drain';
import { nodeReady } from '../model/status';

/** Node, time, target and terminal commands. */
export function clusterCommands(cluster: Cluster, output?: vscode.OutputChannel): Record<string, (...args: any[]) => unknown> {
  const t = vscode.l10n.t;
  const node = (arg: unknown, placeHolder: string) => targetRef(cluster, arg, ['nodes'], placeHolder);
  const time = (body: object, what: string) => act(what, async () => {
    cluster.stats = { ...(cluster.stats as any), ...(await cluster.extras('POST', '/time', body)) };
    cluster.poke();
  });
  return {
    'kubeplay.installIngress': async () => {
      await act(t('Installed ingress-nginx: Ingresses of class nginx now route (an address shows within a minute)'), () => cluster.extras('POST', '/addons/ingress-nginx'));
    },
    'kubeplay.addNode': async (name?: string) => {
      const n = typeof name === 'string' ? name : await vscode.window.showInputBox({ prompt: t('Name of the new node (empty for a generated one)') });
      if (n === undefined) return;
      // The status bar names the node (the playground names it when the user left the name empty), in a few words;
      // why it shows NotReady at first (as on kind, it waits for kindnet's pod to give it a pod network) is said in a
      // progress notification that lasts as long as that wait.
      let added = n;
      const ok = await act(
        (done) => (done ? t('Added node {0}', added) : t('Adding a node')),
        async () => { added = (await cluster.extras('POST', '/nodes', n ? { name: n } : {}))?.metadata?.name ?? n; },
      );
      if (ok && added) void untilReady(cluster, added);
    },
    'kubeplay.failNode': async (arg) => {
      const ref = await node(arg, t('Node to fail'));
      if (ref) await act(t('Node {0} stopped heart-beating', ref.name), () => cluster.extras('POST', `/nodes/${ref.name}/fail`));
    },
    'kubeplay.recoverNode': async (arg) => {
      const ref = await node(arg, t('Node to recover'));
      if (ref) await act(t('Node {0} recovered', ref.name), () => cluster.extras('POST', `/nodes/${ref.name}/recover`));
    },
    'kubeplay.cordon': async (arg) => {
      const ref = await node(arg, t('Node to cordon'));
      if (ref) await act(t('Cordoned {0}', ref.name), async () => (await cluster.connect()).patch(ref, { spec: { unschedulable: true } }, 'merge'));
    },
    'kubeplay.uncordon': async (arg) => {
      const ref = await node(arg, t('Node to uncordon'));
      if (ref) await act(t('Uncordoned {0}', ref.name), async () => (await cluster.connect()).patch(ref, { spec: { unschedulable: null } }, 'merge'));
    },
    'kubeplay.drain': async (arg) => {
      const ref = await node(arg, t('Node to drain'));
      if (ref) await drain(cluster, ref.name, output);
    },
    'kubeplay.reset': async () => {
      const yes = t('Reset');
      if ((await vscode.window.showWarningMessage(t('Reset the playground to a fresh cluster? Everything applied is lost.'), { modal: true }, yes)) !== yes) return;
      await act(t('The playground was reset'), () => cluster.extras('POST', '/reset'));
    },
    'kubeplay.pause': () => time({ paused: true }, t('Simulated time paused')),
    'kubeplay.resume': () => time({ paused: false }, t('Simulated time running')),
    'kubeplay.speed': async (speed?: number) => {
      let s = typeof speed === 'number' ? speed : undefined;
      if (s === undefined) {
        const pick = await vscode.window.showQuickPick(['0.5', '1', '2', '5', '10', '60'].map((x) => ({ label: `${x}×`, value: Number(x) })), { placeHolder: t('Speed of simulated time') });
        if (!pick) return;
        s = pick.value;
      }
      await time({ speed: s }, t('Simulated time at {0}×', s));
    },
    'kubeplay.switchTarget': async (choice?: string) => {
      let target = choice;
      if (!target) {
        const items: (vscode.QuickPickItem & { value: string })[] = [{ label: t('Playground'), description: t('the simulated cluster on this machine'), value: 'playground' }];
        try {
          const lib = await loadClient();
          const kc = new lib.KubeConfig();
          kc.loadFromDefault();
          for (const c of kc.getContexts()) items.push({ label: c.name, description: t('kubeconfig context · cluster {0}', c.cluster), value: c.name });
        } catch {
          /* no kubeconfig: only the playground */
        }
        target = (await vscode.window.showQuickPick(items, { placeHolder: t('Where should the tree and Apply point?') }))?.value;
      }
      if (!target) return;
      // Switch first, then remember it: the settings listener sees the target already current and does nothing.
      const switching = act(t('Target: {0}', target), () => cluster.switchTarget(target!));
      await vscode.workspace.getConfiguration('kubeplay').update('target', target, vscode.ConfigurationTarget.Workspace).then(undefined, () =>
        vscode.workspace.getConfiguration('kubeplay').update('target', target, vscode.ConfigurationTarget.Global),
      );
      await switching;
    },
    'kubeplay.openTerminal': async () => {
      try {
        await cluster.connect();
      } catch {
        return;
      }
      const kubeconfig = cluster.kubeconfigPath();
      const env: Record<string, string> = {};
      if (kubeconfig) env.KUBECONFIG = kubeconfig;
      const terminal = vscode.window.createTerminal({ name: t('Kubeplay kubectl'), env });
      terminal.show();
      return terminal;
    },
    // Reconnects when the connection is down (e.g. the playground stopped); otherwise redraws.
    'kubeplay.refresh': () => (cluster.connection ? cluster.poke() : cluster.connect().catch(() => undefined)),
  };
}

/**
 * A progress notification while a new node is NotReady: it closes when the node's Ready condition turns True (or the
 * node goes, or the tree loses the cluster), or when the user closes it.
 */
function untilReady(cluster: Cluster, name: string): Thenable<void> {
  const t = vscode.l10n.t;
  // The watch may bring the new node a moment after the POST answered: until then it is waiting, not gone.
  let seen = false;
  const ready = () => {
    const n = cluster.store.get('nodes', undefined, name);
    seen ||= !!n;
    return !cluster.target.connected || (seen && (!n || nodeReady(n) === 'True'));
  };
  if (ready()) return Promise.resolve();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('{0} is NotReady until kindnet has set up its pod network (about 10 s)', name), cancellable: true },
    (_progress, token) => new Promise<void>((resolve) => {
      const done = () => { sub.dispose(); cancel.dispose(); resolve(); };
      const sub = cluster.onDidChange(() => { if (ready()) done(); });
      const cancel = token.onCancellationRequested(done);
    }),
  );
}

/**
 * As `kubectl drain --ignore-daemonsets --delete-emptydir-data --force` (model/drain.ts): kubectl's lines go to the
 * Kubeplay output and, the latest, to a progress notification that Cancel stops (evictions a budget refuses are
 * retried every 5 s until then, as kubectl retries until its --timeout, which is none by default).
 */
async function drain(cluster: Cluster, name: string, output?: vscode.OutputChannel): Promise<void> {
  const t = vscode.l10n.t;
  try {
    const conn = await cluster.connect();
    output?.appendLine(`$ kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data --force`);
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Draining {0}', name), cancellable: true }, (progress, token) =>
      drainNode(conn, name, {
        report: (line) => { output?.appendLine(line); progress.report({ message: line }); },
        cancelled: () => token.isCancellationRequested,
      }));
    cluster.poke();
    // The node stays cordoned whatever the end: each message offers to uncordon it.
    const uncordon = t('Uncordon');
    let shown: Thenable<string | undefined>;
    if (r.cancelled) {
      output?.appendLine(t('Drain of {0} cancelled: the node stays cordoned, {1} pod(s) evicted', name, r.evicted.length));
      shown = vscode.window.showWarningMessage(t('Drain of {0} cancelled: the node stays cordoned, {1} pod(s) evicted', name, r.evicted.length), uncordon);
    } else if (r.errors.length) {
      shown = vscode.window.showErrorMessage(t('Drain of {0} failed: {1}', name, r.errors.join('; ')), uncordon);
    } else {
      shown = vscode.window.showInformationMessage(t('Drained {0}: it stays cordoned until you uncordon it', name), uncordon);
    }
    if ((await shown) === uncordon) await vscode.commands.executeCommand('kubeplay.uncordon', { apiVersion: 'v1', kind: 'Node', resource: 'nodes', name });
  } catch (e: any) {
    void vscode.window.showErrorMessage(t('{0} failed: {1}', t('Drain of {0}', name), e?.message ?? String(e)));
  }
}
