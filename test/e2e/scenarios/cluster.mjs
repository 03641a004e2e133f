/**
 * Scenarios 5-8 and the 1,000-pod figure: the playground through the Kubeplay tree, CodeLens,
 * context menus and the integrated terminal, as a person uses them.
 */
import assert from 'node:assert/strict';
import { poll, openFile, runCommand, normalise, activeEditor, editorLines, dismissNotifications } from '../ui.mjs';
import { openKubeplayView, treeRows, rowText, expandRow, collapseRow, contextMenu, rowLocator, scrollRowIntoView, scrollTreeToTop } from '../tree.mjs';

const ALNUM = '[bcdfghjklmnpqrstvwxz2456789]';
const PREFIX = '(?:(?:Deployment|ReplicaSet|Pod|deployment|replicaset|pod)[ /])?';
export const DEPLOY_RE = new RegExp(`^${PREFIX}mean$`);
export const RS_RE = new RegExp(`^${PREFIX}mean-${ALNUM}{4,10}$`);
export const POD_RE = new RegExp(`^${PREFIX}mean-${ALNUM}{4,10}-${ALNUM}{5}$`);
/** Folders a person opens on the way to a Deployment. */
const ANCESTORS = [/^Namespaces?$/i, /^default$/, /^Workloads$/i, /^Deployments$/i];

async function clickCodeLens(page, title, timeout = 30_000) {
  // The lens sits above the document's first line: go to the top, as a person scrolls up to it.
  await page.keyboard.press('Control+Home');
  const lens = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: title }).first();
  let seen = [];
  await poll(async () => {
    seen = await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration').allInnerTexts().catch(() => []);
    return lens.isVisible();
  }, { timeout, what: `a CodeLens "${title}"` }).catch((e) => {
    throw new Error(`${e.message}; CodeLenses shown: ${seen.map(normalise).join(' | ') || 'none'}`);
  });
  await lens.click();
}

/** Opens collapsed ancestor folders (namespace, kind groups) until `re` is a visible row. */
async function revealRow(page, re, what, timeout, ancestors = ANCESTORS) {
  return poll(async () => {
    const rows = await treeRows(page);
    if (rows.some((r) => re.test(r.label))) return true;
    for (const a of ancestors) {
      const r = rows.find((x) => a.test(x.label) && x.expanded === 'false');
      if (r) await expandRow(page, a).catch(() => {});
    }
    return false;
  }, { timeout, interval: 250, what });
}

/** Pod rows by full name: under its ReplicaSet a row's label is the name's end (`…-4wtq9`); what a screen reader hears starts with the whole name. */
function distinctPods(rows) {
  const m = new Map();
  for (const r of rows) {
    const name = (r.aria || r.label).split(', ')[0].replace(/^.*[ /]/, '');
    if (POD_RE.test(name)) m.set(name, r);
  }
  return m;
}

const running = (r) => /\bRunning\b/.test(rowText(r)) && !/Terminating/.test(rowText(r));

/** Scenario 5: Apply the seed's Deployment; Deployment -> ReplicaSet -> 3 Pods Running. */
export async function s5Apply({ page, shots, log, metrics }) {
  await openKubeplayView(page);
  await shots.take('kubeplay-view');
  await openFile(page, 'e2e/seed-deployment-3.yaml');
  await shots.take('seed-deployment-open');
  await clickCodeLens(page, 'Apply to playground');
  const t0 = Date.now();
  await revealRow(page, DEPLOY_RE, 'the Deployment "mean" in the Kubeplay tree', 30_000);
  await expandRow(page, DEPLOY_RE);
  await shots.take('deployment-in-tree');
  await poll(async () => (await treeRows(page)).some((r) => RS_RE.test(r.label)), { timeout: 30_000, what: 'a ReplicaSet mean-<hash> under the Deployment' });
  await expandRow(page, RS_RE);
  let pods = new Map();
  await poll(async () => {
    pods = distinctPods(await treeRows(page));
    return pods.size === 3 && [...pods.values()].every(running);
  }, { timeout: 90_000, interval: 100, what: '3 pods mean-<hash>-<id> showing Running' }).catch((e) => {
    throw new Error(`${e.message}; tree shows pods: ${[...pods.values()].map(rowText).join(' | ') || 'none'}`);
  });
  metrics.applyToRunningMs = Date.now() - t0;
  log(`apply -> 3 pods Running in the tree: ${metrics.applyToRunningMs} ms; pods: ${[...pods.keys()].join(', ')}`);
  await shots.take('three-pods-running');
  const rs = (await treeRows(page)).find((r) => RS_RE.test(r.label));
  assert.match(rowText(rs), /3/, `ReplicaSet row does not show its 3 replicas: ${rowText(rs)}`);
}

/**
 * Scenario 6: Kill Pod from its context menu; a replacement pod appears (the killed one is gone)
 * and the ReplicaSet is back at 3.
 */
export async function s6KillPod({ page, shots, log }) {
  await openKubeplayView(page);
  const before = distinctPods(await treeRows(page));
  // A Running one: on a second attempt the first attempt's victim may still be listed, Terminating.
  const victim = [...before.entries()].find(([, r]) => running(r))?.[0];
  assert.ok(victim, `no Running pod of "mean" in the tree (scenario 5 must have applied it); it shows: ${[...before.values()].map(rowText).join(' | ') || 'none'}`);
  await contextMenu(page, new RegExp(`-${victim.split('-').pop()}$`), 'Kill Pod', { shots });
  // The right-clicked pod is the target; a picker asking which pod means the menu lost it.
  const picker = page.locator('.quick-input-widget .monaco-list-row', { hasText: victim }).first();
  const asked = await poll(() => picker.isVisible(), { timeout: 2000, what: 'picker' }).catch(() => false);
  if (asked) {
    await shots.take('kill-pod-asked-which-pod');
    await picker.click();
  }
  await shots.take('kill-pod-clicked');
  let now = new Map();
  let how = '';
  await poll(async () => {
    now = distinctPods(await treeRows(page));
    const live = [...now.entries()].filter(([, r]) => running(r));
    if (live.length !== 3) return false;
    if (live.some(([n]) => n === victim)) return false;
    const fresh = live.map(([n]) => n).filter((n) => !before.has(n));
    if (fresh.length) how = `replaced by new pod ${fresh.join(', ')}`;
    return how !== '';
  }, { timeout: 90_000, what: `${victim} to be gone and a new pod Running in its place, 3 pods Running again` }).catch((e) => {
    throw new Error(`${e.message}; tree shows: ${[...now.values()].map(rowText).join(' | ')}`);
  });
  log(`killed ${victim}: ${how}`);
  let rs;
  await poll(async () => /\b3\/3\b|\b3 ready|\b3 pods?\b/i.test(rowText((rs = (await treeRows(page)).find((r) => RS_RE.test(r.label))) ?? {})), { timeout: 30_000, what: 'the ReplicaSet row back at 3 (e.g. "3/3 ready")' }).catch((e) => {
    throw new Error(`${e.message}; ReplicaSet row: ${rs ? rowText(rs) : 'missing'}`);
  });
  await shots.take('healed-3-running');
  assert.ok(!asked, `"Kill Pod" in the context menu of ${victim} asked "which pod" in a picker instead of acting on the right-clicked pod (the healing itself worked: ${how})`);
}

/** Scenario 7: Describe a pod; a read-only document with its Events opens. Then a node's open describe follows a cordon. */
export async function s7Describe({ page, shots, log }) {
  await openKubeplayView(page);
  const pods = distinctPods(await treeRows(page));
  const name = [...pods.entries()].find(([, r]) => running(r))?.[0];
  assert.ok(name, 'no Running pod of "mean" in the tree to describe');
  await contextMenu(page, new RegExp(`-${name.split('-').pop()}$`), 'Describe', { shots });
  let text = '';
  await poll(async () => {
    text = (await editorLines(page).catch(() => [])).map((l) => l.text).join('\n');
    return /^Name:\s+/m.test(text) && text.includes(name);
  }, { timeout: 20_000, what: `a describe document for ${name} starting with "Name:"` }).catch((e) => {
    throw new Error(`${e.message}; active editor shows: ${JSON.stringify(text.slice(0, 300))}`);
  });
  await shots.take('describe-document');
  // The Events are below the fold; scroll there as a person would.
  await activeEditor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await poll(async () => {
    const end = (await editorLines(page)).map((l) => l.text).join('\n');
    return /^Events:/m.test(end) && /Scheduled/.test(end) && /Started/.test(end);
  }, { timeout: 10_000, what: 'an "Events:" section with Scheduled and Started events at the end of the describe output' });
  await shots.take('describe-events');
  log(`describe ${name}: ${text.split('\n').length}+ lines`);
  // Its own language, whose lines wrap at half width (the Events' Message column stays in view).
  const mode = await page.locator('.statusbar-item[id="status.editor.mode"]').first().innerText().catch(() => '');
  assert.match(mode, /Kubernetes Describe/, `the describe tab's language is ${JSON.stringify(mode)}`);
  // Ages stay true while the tab is open, with nothing else changing: kubectl describe computes them as it prints.
  const startedAge = (t) => /\bStarted\s+(\d+[smhd]\S*)\s+kubelet\b/.exec(t)?.[1];
  const lines = async () => (await editorLines(page)).map((l) => l.text).join('\n');
  const age0 = startedAge(await lines());
  assert.ok(age0, 'no age on the Started event of the describe output');
  let age1 = age0;
  await poll(async () => (age1 = startedAge(await lines()) ?? age1) !== age0, { timeout: 15_000, what: `the Started event's age (${age0}) to move on in the open tab` });
  log(`describe ${name}: Started event's age went ${age0} → ${age1} with the tab left open`);
  // Read-only: typing changes nothing (ages aside, which the tab may redraw meanwhile).
  const noAges = (t) => t.replace(/\b\d+[smhd](?:\d+[smh])?\b/g, '<age>');
  const first = noAges(await lines());
  await page.keyboard.type('zz');
  const after = noAges(await lines());
  assert.equal(after, first, 'the describe document accepted typing; it should be read-only');
  await describeFollowsCordon({ page, shots, log });
}

/**
 * With no editor open, Describe of a node takes the whole editor area (no empty group beside it);
 * cordoning the node then shows in the open tab without reopening it: `Unschedulable: true` and the
 * kubelet's NodeNotSchedulable event, as `kubectl describe node` would print them now.
 */
async function describeFollowsCordon({ page, shots, log }) {
  await runCommand(page, 'View: Close All Editors');
  await expandRow(page, /^Nodes$/);
  const worker = (await treeRows(page)).find((r) => /^kubeplay-worker\d*$/.test(r.label))?.label;
  assert.ok(worker, 'no kubeplay-worker row under Nodes to describe');
  const nodeRe = new RegExp(`^${worker}$`);
  // A second attempt may find the node still cordoned by the first: it starts from an uncordoned node again.
  const row = (await treeRows(page)).find((r) => r.label === worker);
  const cordoned = (r) => !!r && /SchedulingDisabled/.test(rowText(r));
  if (cordoned(row)) {
    await contextMenu(page, nodeRe, 'Uncordon');
    await poll(async () => !cordoned((await treeRows(page)).find((r) => r.label === worker)), { timeout: 15_000, what: `${worker} uncordoned before the scenario starts again` });
  }
  await contextMenu(page, nodeRe, 'Describe', { shots });
  const whole = async (key) => {
    await activeEditor(page).locator('.view-lines').click();
    await page.keyboard.press(key);
    return (await editorLines(page).catch(() => [])).map((l) => l.text).join('\n');
  };
  let text = '';
  await poll(async () => /^Name:\s+/m.test((text = await whole('Control+Home'))) && text.includes(worker), { timeout: 20_000, what: `a describe document for node ${worker}` });
  const groups = await page.locator('.editor-group-container').count();
  assert.equal(groups, 1, `Describe with no editor open left ${groups} editor groups; it should open in the one group there is`);
  assert.match(text, /^Unschedulable:\s+false$/m);
  await shots.take('describe-node');
  await contextMenu(page, nodeRe, 'Cordon', { shots });
  await poll(async () => /^Unschedulable:\s+true$/m.test((text = await whole('Control+Home'))), { timeout: 15_000, what: `"Unschedulable: true" in the open describe of ${worker} after Cordon` }).catch((e) => {
    throw new Error(`${e.message}; the tab shows: ${JSON.stringify(text.slice(0, 400))}`);
  });
  await poll(async () => /NodeNotSchedulable\s+\S+\s+kubelet\s+Node \S+ status is now: NodeNotSchedulable/.test((text = await whole('Control+End'))), { timeout: 15_000, what: `a NodeNotSchedulable event at the end of the open describe of ${worker}` }).catch((e) => {
    throw new Error(`${e.message}; its end shows: ${JSON.stringify(text.slice(-400))}`);
  });
  await shots.take('describe-node-cordoned');
  log(`describe ${worker} followed the cordon: Unschedulable true, NodeNotSchedulable event`);
  await contextMenu(page, nodeRe, 'Uncordon');
  await collapseRow(page, /^Nodes$/);
}

/** Scenario 8: Kubeplay: Open Terminal with kubectl; `kubectl get pods` lists the pods. */
export async function s8Terminal({ page, shots, log }) {
  await runCommand(page, 'Kubeplay: Open Terminal with kubectl');
  const term = page.locator('.terminal-wrapper.active .xterm, .terminal-wrapper .xterm').last();
  await term.waitFor({ state: 'visible', timeout: 20_000 });
  const rows = page.locator('.terminal-wrapper.active .xterm-rows, .terminal-wrapper .xterm-rows').last();
  await poll(async () => /[$#]\s*$/m.test(await rows.innerText().catch(() => '')), { timeout: 20_000, what: 'a shell prompt in the terminal' });
  await shots.take('terminal-open');
  await term.click();
  await page.keyboard.type('kubectl get pods', { delay: 15 });
  await page.keyboard.press('Enter');
  let out = '';
  await poll(async () => {
    out = (await rows.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
    return /NAME\s+READY\s+STATUS/.test(out) && (out.match(/mean-\S+\s+1\/1\s+Running/g) ?? []).length >= 3;
  }, { timeout: 30_000, what: '`kubectl get pods` listing 3 mean-* pods Running' }).catch((e) => {
    throw new Error(`${e.message}; terminal shows: ${JSON.stringify(out.trim().split('\n').slice(-8).join('\n'))}`);
  });
  log(`kubectl get pods:\n${out.trim()}`);
  await shots.take('kubectl-get-pods');
}

/**
 * Port Forward from a pod's context menu: the notification's "Open in Browser" opens a real browser
 * tab on the forwarded port, which shows what that pod's nginx answers: the seed mounts a hostPath
 * (/opt, empty) over nginx's html folder, so 403 Forbidden, as on a cluster. "Stop" closes the local
 * port. Then a NodePort Service's "Open in Browser" opens its localhost:<nodePort> page, where a
 * traefik/whoami pod answers with its name and the request it got.
 */
export async function sPortForward({ page, shots, log }) {
  await runCommand(page, 'View: Hide Panel').catch(() => {});
  await openKubeplayView(page);
  const pods = distinctPods(await treeRows(page));
  const name = [...pods.entries()].find(([, r]) => running(r))?.[0];
  assert.ok(name, 'no Running pod of "mean" in the tree to forward to');
  await contextMenu(page, new RegExp(`-${name.split('-').pop()}$`), 'Port Forward', { shots });
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  const offered = await input.inputValue();
  assert.equal(offered, '8080:80', `the input box offers ${JSON.stringify(offered)}, not the pod's port 80 on local 8080`);
  // Any free local port: the machine running the tests may have 8080 taken.
  await input.fill(':80');
  await shots.take('port-forward-input');
  await page.keyboard.press('Enter');
  const toast = page.locator('.notification-toast', { hasText: 'Forwarding http://127.0.0.1:' }).first();
  await poll(() => toast.isVisible(), { timeout: 20_000, what: 'a notification "Forwarding http://127.0.0.1:<port> to pod ..."' });
  const note = normalise(await toast.innerText());
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(note)?.[0];
  assert.ok(url, `no URL in the notification: ${note}`);
  assert.match(note, new RegExp(`to pod default/${name}:80`));
  await shots.take('port-forward-notification');
  // "Open in Browser" opens a new tab, as a person's click does; it shows what the pod answered.
  const opened = page.context().waitForEvent('page', { timeout: 15_000 });
  await toast.locator('.monaco-button', { hasText: 'Open in Browser' }).first().click();
  const tab = await opened;
  let body = '';
  await poll(async () => {
    body = await tab.locator('body').innerText().catch(() => '');
    return /403 Forbidden/.test(body);
  }, { timeout: 20_000, what: 'the browser tab to show nginx\'s answer' }).catch((e) => {
    throw new Error(`${e.message}; tab at ${tab.url()} shows ${JSON.stringify(body.slice(0, 300))}`);
  });
  await tab.screenshot({ path: shots.dir + '/port-forward-browser-tab.png' }).catch(() => {});
  log(`browser tab ${tab.url()} shows:\n${body.trim()}`);
  // nginx's own error page: its title and the server line under the rule (server_tokens on: the version the log names).
  assert.match(body, /^403 Forbidden\s*\nnginx\/1\.29\.4$/m, 'nginx answered with its 403 page (the seed\'s hostPath volume hides its html folder)');
  assert.equal(await tab.title(), '403 Forbidden');
  await tab.close();
  // Stop: the local port closes.
  await runCommand(page, 'Kubeplay: Stop Port Forwarding');
  const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: url }).first();
  await pick.waitFor({ state: 'visible', timeout: 10_000 });
  await pick.click();
  await poll(async () => {
    try { await fetch(url, { signal: AbortSignal.timeout(2000) }); return false; } catch { return true; }
  }, { timeout: 10_000, what: `${url} to refuse connections after Stop` });

  // A NodePort Service answers on localhost:<nodePort>, as on Docker Desktop: "Open in Browser" on its row.
  await openFile(page, 'e2e/nodeport.yaml');
  // The file holds a Deployment and its Service: apply both at once (a lens applies one document).
  await runCommand(page, 'Kubeplay: Apply File');
  // Its pods must answer before the Service has anything to open.
  const helloRe = new RegExp(`^${PREFIX}hello$`);
  await revealRow(page, helloRe, 'the Deployment "hello" in the tree', 30_000, ANCESTORS);
  let hello;
  await poll(async () => /(^|\s)2\/2 ready\b/.test(rowText((hello = (await treeRows(page)).find((r) => helloRe.test(r.label))) ?? {})), { timeout: 60_000, what: 'the Deployment "hello" at 2/2 ready' }).catch((e) => {
    throw new Error(`${e.message}; its row: ${hello ? rowText(hello) : 'missing'}`);
  });
  const svcRe = /^(?:Service[ /])?hello-np$/;
  // Services sit in their own folder under the namespace: open the folders down to it, as a person does.
  await revealRow(page, svcRe, 'the Service "hello-np" in the tree', 30_000, [/^Namespaces?$/i, /^default$/, /^Services$/i]);
  const openedNp = page.context().waitForEvent('page', { timeout: 15_000 });
  await contextMenu(page, svcRe, 'Open in Browser', { shots });
  const npTab = await openedNp;
  let npBody = '';
  await poll(async () => {
    npBody = await npTab.locator('body').innerText().catch(() => '');
    return /^Hostname: /m.test(npBody);
  }, { timeout: 20_000, what: 'the NodePort tab to show a pod\'s answer' }).catch((e) => {
    throw new Error(`${e.message}; tab at ${npTab.url()} shows ${JSON.stringify(npBody.slice(0, 300))}`);
  });
  log(`NodePort tab ${npTab.url()} shows:\n${npBody.trim()}`);
  assert.match(npBody, HELLO_BODY_RE, 'a pod of "hello" answered');
  assert.match(npBody, /^User-Agent: .*Chrome/m, 'the request came from the browser');
  assert.match(npBody, /^RemoteAddr: 172\.18\.0\.\d+$/m, 'through a node, as kube-proxy forwards a NodePort');
  await npTab.screenshot({ path: shots.dir + '/nodeport-browser-tab.png' }).catch(() => {});
  await npTab.close();
}

const HELLO_BODY_RE = new RegExp(`^Hostname: hello-${ALNUM}{4,10}-${ALNUM}{5}$`, 'm');

/**
 * Scenario ing (after pf, which applied e2e/nodeport.yaml with its Ingress "hello-ingress" for hello.localhost):
 * install the ingress-nginx add-on from the command palette, find the Ingress in the tree with its path
 * row, and open its host in a browser tab through the controller's NodePort.
 */
export async function sIngress({ page, shots, log }) {
  await runCommand(page, 'View: Hide Panel').catch(() => {});
  await runCommand(page, 'Kubeplay: Install the Ingress Controller (ingress-nginx)');
  // Applying the file again changes nothing after scenario pf; run alone, it makes the Deployment, Service and Ingress.
  await openFile(page, 'e2e/nodeport.yaml');
  await runCommand(page, 'Kubeplay: Apply File');
  await openKubeplayView(page);
  const ingRe = /^(?:Ingress[ /])?hello-ingress$/;
  await revealRow(page, ingRe, 'the Ingress "hello-ingress" in the tree', 30_000, [/^Namespaces?$/i, /^default$/, /^Ingresses$/i]);
  const row = (await treeRows(page)).find((r) => ingRe.test(r.label));
  assert.match(rowText(row), /nginx/, `the Ingress row names its class: ${rowText(row)}`);
  await expandRow(page, ingRe);
  let pathRow;
  await poll(async () => /2 endpoints/.test(rowText((pathRow = (await treeRows(page)).find((r) => /^hello\.localhost\//.test(r.label))) ?? {})), { timeout: 30_000, what: 'the path row "hello.localhost/ …" with 2 endpoints' }).catch((e) => {
    throw new Error(`${e.message}; its row: ${pathRow ? rowText(pathRow) : 'missing'}`);
  });
  await shots.take('ingress-in-tree');
  // The controller pod must be up before its NodePort answers: a person opens the tab again until it does.
  let tab;
  let body = '';
  await poll(async () => {
    if (!tab || tab.isClosed()) {
      const opened = page.context().waitForEvent('page', { timeout: 15_000 });
      await contextMenu(page, ingRe, 'Open Ingress Host in Browser', { shots });
      tab = await opened;
    } else await tab.reload().catch(() => {});
    body = await tab.locator('body').innerText().catch(() => '');
    return /^Hostname: /m.test(body);
  }, { timeout: 90_000, interval: 3000, what: 'the Ingress host to show a pod\'s answer' }).catch((e) => {
    throw new Error(`${e.message}; tab at ${tab?.url()} shows ${JSON.stringify(body.slice(0, 300))}`);
  });
  log(`Ingress tab ${tab.url()} shows:\n${body.trim()}`);
  assert.match(tab.url(), /^http:\/\/hello\.localhost:\d+\/$/);
  assert.match(body, HELLO_BODY_RE, 'a pod of "hello" answered');
  assert.match(body, /^X-Forwarded-Host: hello\.localhost:\d+$/m, 'through ingress-nginx, which names the host it was asked for');
  assert.match(body, /^X-Request-Id: [0-9a-f]{32}$/m);
  await tab.screenshot({ path: shots.dir + '/ingress-browser-tab.png' }).catch(() => {});
  await tab.close();
}

/** The tree at 1,000 pods: apply a 1,000-replica Deployment and time the tree's updates. */
export async function perfThousandPods({ page, shots, log, metrics }) {
  // Tidy up after the earlier scenarios (describe beside, terminal below) so the file has room.
  await runCommand(page, 'View: Close All Editor Groups').catch(() => {});
  // Should anything still be unsaved, a person answers the save prompt with "Don't Save".
  const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  if (await poll(() => dontSave.isVisible(), { timeout: 1500, what: 'save prompt' }).catch(() => false)) await dontSave.click();
  await runCommand(page, 'View: Hide Panel').catch(() => {});
  log('editors closed');
  await openKubeplayView(page);
  await openFile(page, 'e2e/bulk-1000.yaml');
  log('bulk-1000.yaml open');
  // The namespace row counts its pods ("default 3 pods"): the tree has all 1,000 new pods when
  // that count has grown by 1,000.
  const nsRe = /^default$/;
  await revealRow(page, nsRe, 'the namespace "default" in the tree', 20_000);
  log('the namespace "default" in sight');
  const podCount = async () => Number(/(\d+)\s*pods?/.exec(rowText((await treeRows(page)).find((r) => nsRe.test(r.label)) ?? {}))?.[1] ?? NaN);
  // A second attempt finds the Deployment applied and its pods counted by the first: what it measured stands, and
  // this attempt goes on from the tree.
  if (metrics.tree1000ReportMs === undefined) {
    const before = await podCount();
    assert.ok(Number.isFinite(before), 'the namespace row "default" does not show a pod count');
    await clickCodeLens(page, 'Apply to playground');
    const t0 = Date.now();
    let n = before;
    await poll(async () => (n = await podCount()) >= before + 1000, { timeout: 120_000, interval: 50, what: `the namespace row to count ${before + 1000} pods` }).catch((e) => {
      throw new Error(`${e.message}; it counts ${n}`);
    });
    metrics.tree1000ReportMs = Date.now() - t0;
    log(`1,000 pods: the tree counted them ${metrics.tree1000ReportMs} ms after the Apply click (${before} -> ${n})`);
  }
  const re = new RegExp(`^${PREFIX}bulk$`);
  // Apply reveals the Deployment wherever the tree was scrolled to (and a second attempt finds it as the first left
  // it): a person scrolls back up to find it, then scrolls it into the view's upper half to see its children.
  await scrollTreeToTop(page);
  await revealRow(page, re, 'the Deployment "bulk" in the tree', 30_000);
  await expandRow(page, re);
  await scrollRowIntoView(page, re);
  log('the Deployment "bulk" open in sight');
  const rsRe = new RegExp(`^${PREFIX}bulk-${ALNUM}{4,10}$`);
  await poll(async () => (await treeRows(page)).some((r) => rsRe.test(r.label)), { timeout: 30_000, what: 'the ReplicaSet of "bulk"' }).catch(async (e) => {
    const rows = (await treeRows(page).catch(() => [])).map((r) => `${r.expanded === 'true' ? 'v' : r.expanded === 'false' ? '>' : ' '} ${r.label}`);
    throw new Error(`${e.message}; rows on screen: ${rows.join(' | ')}`);
  });
  await scrollRowIntoView(page, rsRe);
  const t1 = Date.now();
  await rowLocator(page, rsRe).locator('.monaco-tl-twistie').click();
  await poll(async () => (await treeRows(page)).some((r) => /^(?:Pod[ /])?bulk-\S+-\S{5}$|^…-\S{5}$|\d+\s*[-–]\s*\d+/.test(r.label)), { timeout: 30_000, interval: 50, what: 'pods (or pod groups) under the 1,000-pod ReplicaSet' });
  metrics.tree1000ExpandMs = Date.now() - t1;
  log(`1,000 pods: expanding the ReplicaSet took ${metrics.tree1000ExpandMs} ms`);
  await shots.take('thousand-pods');
}

/** A team namespace's ResourceQuota in the tree: usage counted as the example's pods get the LimitRange's defaults, then Describe. */
export async function sQuota({ page, shots, log }) {
  await runCommand(page, 'View: Hide Panel').catch(() => {});
  await openFile(page, 'examples/11-quota.yaml');
  await runCommand(page, 'Kubeplay: Apply File');
  await openKubeplayView(page);
  const quotaRe = /^(?:ResourceQuota[ /])?compute$/;
  // After the earlier scenarios the tree is long and only the rows on screen exist: fold what is above team-a.
  for (const re of [/^Control plane$/, /^Nodes$/, /^default$/, /^ingress-nginx$/, /^Workloads$/]) await collapseRow(page, re);
  await revealRow(page, quotaRe, 'the ResourceQuota "compute" in the tree', 30_000, [/^Namespaces?$/i, /^team-a$/, /^ResourceQuotas/i]);
  let row;
  // Three pods with the LimitRange's defaults (150m/128Mi requested, 300m/256Mi limits) once admission has charged them.
  await poll(async () => /pods 3\/5/.test(rowText((row = (await treeRows(page)).find((r) => quotaRe.test(r.label))) ?? {})), { timeout: 30_000, what: 'the quota row to show pods 3/5' }).catch((e) => {
    throw new Error(`${e.message}; its row: ${row ? rowText(row) : 'missing'}`);
  });
  assert.match(rowText(row), /requests\.cpu 450m\/1/, `the row adds up the defaulted requests: ${rowText(row)}`);
  await expandRow(page, quotaRe);
  await shots.take('quota-in-tree');
  await contextMenu(page, quotaRe, 'Describe', { shots });
  let text = '';
  await poll(async () => {
    text = (await editorLines(page).catch(() => [])).map((l) => l.text).join('\n');
    return /^Resource\s+Used\s+Hard/m.test(text) && /^pods\s+3\s+5/m.test(text);
  }, { timeout: 20_000, what: 'a describe document of the quota with "pods 3 5"' }).catch((e) => {
    throw new Error(`${e.message}; active editor shows: ${JSON.stringify(text.slice(0, 300))}`);
  });
  await shots.take('quota-describe');
  log(`describe quota:\n${text}`);
}

/**
 * NetworkPolicies: the example's shop namespace applied from the editor; the tree lists its policies with the pods
 * each selects and its rules in words, and Describe prints kubectl's reading of one.
 */
export async function sNetpol({ page, shots, log }) {
  await runCommand(page, 'View: Hide Panel').catch(() => {});
  await openFile(page, 'examples/13-network-policy.yaml');
  await runCommand(page, 'Kubeplay: Apply File');
  await openKubeplayView(page);
  const policyRe = /^(?:NetworkPolicy[ /])?frontend-to-api$/;
  // Apply reveals the file's last object (expanding the rows down to it): wait for that before folding rows.
  await poll(() => rowLocator(page, /^(?:NetworkPolicy[ /])?api-from-frontend$/).isVisible(), { timeout: 30_000, what: 'Apply to reveal the NetworkPolicy api-from-frontend' });
  for (const re of [/^Control plane$/, /^Nodes$/, /^default$/, /^ingress-nginx$/, /^team-a$/, /^Workloads$/]) await collapseRow(page, re);
  await revealRow(page, policyRe, 'the NetworkPolicy "frontend-to-api" in the tree', 30_000, [/^Namespaces?$/i, /^shop$/, /^NetworkPolicies/i]);
  let row;
  await poll(async () => /1 pod/.test(rowText((row = (await treeRows(page)).find((r) => policyRe.test(r.label))) ?? {})), { timeout: 30_000, what: 'the policy row to count its one frontend pod' }).catch((e) => {
    throw new Error(`${e.message}; its row: ${row ? rowText(row) : 'missing'}`);
  });
  assert.match(rowText(row), /app=frontend · Egress · 1 pod/, `the row names the selector, the direction and the pods: ${rowText(row)}`);
  await expandRow(page, policyRe);
  let rule;
  await poll(async () => !!(rule = (await treeRows(page)).find((r) => /^Egress$/.test(r.label))), { timeout: 10_000, what: 'the policy\'s egress rule as a row under it' });
  assert.match(rowText(rule), /to pods app=api in this namespace · http\/TCP/, `the rule in words: ${rowText(rule)}`);
  await shots.take('netpol-in-tree');
  await contextMenu(page, policyRe, 'Describe', { shots });
  let text = '';
  await poll(async () => {
    text = (await editorLines(page).catch(() => [])).map((l) => l.text).join('\n');
    return /Allowing egress traffic:/.test(text) && /To Port: http\/TCP/.test(text);
  }, { timeout: 20_000, what: 'a describe document of the policy with its egress rule' }).catch((e) => {
    throw new Error(`${e.message}; active editor shows: ${JSON.stringify(text.slice(0, 300))}`);
  });
  assert.match(text, /Not affecting ingress traffic/);
  await shots.take('netpol-describe');
  log(`describe networkpolicy:\n${text}`);
  // Check Connection from the frontend pod: to the api it opens; to CoreDNS's metrics its policies drop it. The api's
  // pods may still be starting (simulated time runs at 1×): a person asks again until they are up.
  const check = async (target, expect) => {
    let note = '';
    await poll(async () => {
      await dismissNotifications(page);
      await runCommand(page, 'Kubeplay: Check Connection…');
      const input = page.locator('.quick-input-widget input').first();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('shop/frontend');
      await page.keyboard.press('Enter');
      await poll(async () => (await input.inputValue()) === 'api:8080', { timeout: 10_000, what: 'the input box to offer the namespace\'s Service, api:8080' });
      await input.fill(target);
      await page.keyboard.press('Enter');
      const toast = page.locator('.notification-toast', { hasText: `→ ${target}` }).last();
      await poll(() => toast.isVisible(), { timeout: 15_000, what: `a notification about ${target}` });
      note = normalise(await toast.innerText());
      return expect.test(note);
    }, { timeout: 60_000, interval: 2000, what: `Check Connection to ${target} to say ${expect}` }).catch((e) => {
      throw new Error(`${e.message}; last said: ${note}`);
    });
    log(`check connection: ${note}`);
  };
  await check('api:8080', /^shop\/frontend-\S+ → api:8080 \(10\.\d+\.\d+\.\d+ → pod shop\/api-\S+ 10\.244\.\d+\.\d+:8080\): the connection opens\./);
  // CoreDNS's metrics port: allow-dns lets the frontend reach those pods on port 53 only.
  await check('kube-dns.kube-system:9153', /dropped by NetworkPolicy\. The egress of shop\/frontend-\S+ is isolated by allow-dns, default-deny-all, frontend-to-api, and none of them allows this connection/);
  // The apiserver behind the kubernetes Service is policed like any address: shop's policies let no pod reach it.
  await check('kubernetes.default:443', /^shop\/frontend-\S+ → kubernetes\.default:443 \(10\.96\.0\.1 → 172\.18\.0\.2:6443\): dropped by NetworkPolicy\. The egress of shop\/frontend-\S+ is isolated by/);
  await shots.take('netpol-check-connection');
}
