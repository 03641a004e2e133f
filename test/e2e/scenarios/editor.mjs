/**
 * Scenarios 1-4: the language server as a person meets it in the editor.
 * Each takes a context {page, shots, log} and throws on the first unmet expectation.
 */
import assert from 'node:assert/strict';
import { poll, runCommand, openFile, goTo, lineText, squiggleLines, wordPosition, problemRows, normalise, activeEditor } from '../ui.mjs';

/** Diagnostics the broken fixture must produce: line, and what the message must mention. */
const EXPECTED_PROBLEMS = [
  { line: 18, what: 'imagePullPolicy outside its enum', re: /Sometimes|Unsupported value|IfNotPresent/i },
  { line: 21, what: 'restartPolicy Never in a Deployment template', re: /restartPolicy|Always/i },
  { line: 22, what: 'unknown field nodeSelectr, did you mean nodeSelector', re: /nodeSelectr|nodeSelector/i },
];

export async function s1Diagnostics({ page, shots, log }) {
  await openFile(page, 'e2e/broken.yaml');
  await shots.take('broken-manifest-open');
  let rows = [];
  await poll(async () => {
    rows = (await problemRows(page)).filter((r) => /kubeplay/i.test(r.text + r.aria));
    return EXPECTED_PROBLEMS.every((p) => rows.some((r) => lineOf(r) === p.line && p.re.test(r.text + r.aria)));
  }, { timeout: 30_000, what: `Problems panel entries from source kubeplay on lines ${EXPECTED_PROBLEMS.map((p) => p.line).join(', ')}` }).catch((e) => {
    throw new Error(`${e.message}; panel shows: ${rows.map((r) => r.text).join(' || ') || 'no kubeplay problems'}`);
  });
  log(`problems: ${rows.map((r) => r.text).join(' || ')}`);
  await shots.take('problems-panel');
  // The editor paints the squiggles a moment after the Problems panel lists them: wait for them as a person's eye would.
  let lines = [];
  await poll(async () => {
    lines = [...new Set([...(await squiggleLines(page, 'error')), ...(await squiggleLines(page, 'warning'))])];
    return EXPECTED_PROBLEMS.every((p) => lines.includes(p.line));
  }, { timeout: 10_000, what: 'the squiggles of the listed problems' }).catch(() => {});
  log(`squiggle lines: ${lines.join(', ')}`);
  for (const p of EXPECTED_PROBLEMS) assert.ok(lines.includes(p.line), `no squiggle on line ${p.line} (${p.what}); squiggles on ${lines.join(', ') || 'no line'}`);
  for (const l of lines) assert.ok(rows.some((r) => lineOf(r) === l) || l > 23, `squiggle on line ${l} has no matching problem`);
  await runCommand(page, 'View: Hide Panel').catch(() => {}); // give the editor its room back
}

/** "[Ln 18, Col 28]" in the Problems row (or "line 18" in its aria label). */
function lineOf(row) {
  const m = /Ln (\d+)/.exec(row.text) || /line (\d+)/i.exec(row.aria);
  return m ? Number(m[1]) : undefined;
}

export async function s2Completion({ page, shots, log }) {
  await openFile(page, 'e2e/completion.yaml');
  await goTo(page, 17, 3);
  await page.keyboard.press('Control+Space');
  const widget = page.locator('.editor-widget.suggest-widget');
  let labels = [];
  await poll(async () => {
    if (!(await widget.isVisible())) return false;
    labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    return ['replicas', 'strategy', 'revisionHistoryLimit'].every((k) => labels.some((l) => l.trim().startsWith(k)));
  }, { timeout: 20_000, what: 'completion items replicas, strategy, revisionHistoryLimit under Deployment spec' }).catch((e) => {
    throw new Error(`${e.message}; widget shows: ${labels.join(', ') || 'nothing'}`);
  });
  log(`completion items: ${labels.join(', ')}`);
  assert.ok(!labels.some((l) => l.trim() === 'selector'), 'completion offers "selector", which this spec already has');
  await shots.take('completion-widget');
  await page.keyboard.type('repli');
  await poll(async () => normalise(await widget.locator('.monaco-list-row.focused .label-name').first().innerText().catch(() => '')).startsWith('replicas'), { timeout: 10_000, what: '"replicas" focused after typing "repli"' });
  await page.keyboard.press('Enter');
  let text;
  await poll(async () => /^ {2}replicas:/.test((text = await lineText(page, 17)) ?? ''), { timeout: 10_000, what: 'line 17 to read "  replicas:"' }).catch((e) => {
    throw new Error(`${e.message}; line 17 is ${JSON.stringify(text)}`);
  });
  await shots.take('completion-accepted');
  assert.match(text, /^ {2}replicas: ?\d*\s*$/, `accepted completion produced ${JSON.stringify(text)}`);
  await page.keyboard.press('Escape');
  await runCommand(page, 'File: Revert File'); // leave the fixture as it was
}

export async function s3Hover({ page, shots, log }) {
  await openFile(page, 'e2e/hover.yaml');
  // Two hover widgets exist (one kept hidden); read the visible one.
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  let text = '';
  let attempt = 0;
  await poll(async () => {
    // Where the word is now: CodeLenses arriving above line 1 shift every line down.
    const pos = await wordPosition(page, 6, 'replicas');
    if (!pos) return false;
    attempt += 1;
    if (attempt % 3 === 0) {
      // Some people use the keyboard: cursor on the word, Ctrl+K Ctrl+I (Show Hover).
      await goTo(page, 6, 5);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
    } else {
      await page.mouse.move(pos.x - 3, pos.y);
      await page.mouse.move(pos.x, pos.y, { steps: 2 });
    }
    text = normalise(await poll(async () => normalise(await hover.innerText({ timeout: 500 }).catch(() => '')), { timeout: 2500, what: 'hover' }).catch(() => ''));
    return /Number of desired pods/i.test(text);
  }, { timeout: 25_000, interval: 200, what: 'a hover with the upstream doc of spec.replicas ("Number of desired pods")' }).catch((e) => {
    throw new Error(`${e.message}; hover shows: ${JSON.stringify(text.slice(0, 300)) || 'nothing'}`);
  });
  log(`hover (attempt ${attempt}): ${text.slice(0, 300)}`);
  await shots.take('hover-replicas');
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
}

/** Opens the quick fix menu at the cursor (Ctrl+.) and answers the row whose text matches `re`. */
async function quickFix(page, log, re, what) {
  await page.keyboard.press('Control+.');
  let pressed = Date.now();
  const menu = page.locator('.action-widget');
  let items = [];
  const item = await poll(async () => {
    items = await menu.locator('.monaco-list-row').allInnerTexts().catch(() => []);
    // A Ctrl+. that came before the server's code actions opens nothing: ask again.
    if (!items.length && Date.now() - pressed > 4000) { await page.keyboard.press('Control+.'); pressed = Date.now(); }
    const i = items.findIndex((t) => re.test(t));
    return i >= 0 ? menu.locator('.monaco-list-row').nth(i) : false;
  }, { timeout: 15_000, what }).catch((e) => {
    throw new Error(`${e.message}; quick fix menu shows: ${items.map(normalise).join(' | ') || 'nothing'}`);
  });
  log(`quick fixes: ${items.map(normalise).join(' | ')}`);
  return item;
}

export async function s4QuickFix({ page, shots, log }) {
  await openFile(page, 'e2e/quickfix.yaml');
  assert.equal(await lineText(page, 2), 'apiVersion: extensions/v1beta1');
  await poll(async () => (await squiggleLines(page, 'error')).concat(await squiggleLines(page, 'warning')).includes(2), { timeout: 30_000, what: 'a squiggle on the removed apiVersion (line 2)' });
  log('squiggle on line 2');
  await goTo(page, 2, 14);
  await shots.take('removed-apiversion');
  const item = await quickFix(page, log, /apps\/v1/, 'a quick fix mentioning apps/v1');
  await shots.take('quick-fix-menu');
  await item.click();
  await poll(async () => (await lineText(page, 2)) === 'apiVersion: apps/v1', { timeout: 10_000, what: 'line 2 to read "apiVersion: apps/v1"' });
  await shots.take('quick-fix-applied');
  log('quick fix applied');
  // The selector apps/v1 requires is kept (it was there), and nothing else was mangled.
  const all = normalise(await activeEditor(page).locator('.view-lines').innerText());
  assert.match(all, /selector: matchLabels: app: mean/);
  await runCommand(page, 'File: Revert File');
}

/**
 * The editor's warning about `until nslookup NAME` in busybox 1.36 (a loop that never ends on a real cluster), and
 * its quick fix to the documentation's full name.
 */
export async function sNslookupLoop({ page, shots, log }) {
  await openFile(page, 'e2e/initwait.yaml');
  assert.match(await lineText(page, 10), /until nslookup myservice;/);
  await poll(async () => (await squiggleLines(page, 'warning')).includes(10), { timeout: 30_000, what: 'a warning squiggle on the init container\'s script (line 10)' });
  await goTo(page, 10, 40);
  await shots.take('nslookup-loop-warning');
  const item = await quickFix(page, log, /Ask the full name/, 'the quick fix "Ask the full name"');
  await shots.take('nslookup-quick-fix-menu');
  await item.click();
  const full = 'until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local;';
  await poll(async () => (await lineText(page, 10)).includes(full), { timeout: 10_000, what: 'line 10 to ask the full name' });
  await poll(async () => !(await squiggleLines(page, 'warning')).includes(10), { timeout: 15_000, what: 'the warning to go' });
  await shots.take('nslookup-quick-fix-applied');
  log('full name asked; warning gone');
  await runCommand(page, 'File: Revert File');
}


/**
 * The editor's warning that the official mysql image will not start without a root password (its entrypoint exits 1),
 * and the quick fix that takes the password from the workspace's Secret.
 */
export async function sDatabasePassword({ page, shots, log }) {
  await openFile(page, 'e2e/database.yaml');
  assert.match(await lineText(page, 24), /image: mysql:8\.4/);
  await poll(async () => (await squiggleLines(page, 'warning')).includes(24), { timeout: 30_000, what: 'a warning squiggle on the mysql image (line 24)' });
  await goTo(page, 24, 18);
  await shots.take('mysql-no-password-warning');
  const item = await quickFix(page, log, /Take MYSQL_ROOT_PASSWORD from Secret mysql-pass/, 'the quick fix "Take MYSQL_ROOT_PASSWORD from Secret mysql-pass (key password)"');
  await shots.take('mysql-password-quick-fix-menu');
  await item.click();
  await poll(async () => /- name: MYSQL_ROOT_PASSWORD/.test(await lineText(page, 28)) && /name: mysql-pass/.test(await lineText(page, 31)), { timeout: 10_000, what: 'lines 28-32 to take the password from the Secret' });
  await poll(async () => !(await squiggleLines(page, 'warning')).includes(24), { timeout: 15_000, what: 'the warning to go' });
  await shots.take('mysql-password-quick-fix-applied');
  log('password taken from the Secret; warning gone');
  await runCommand(page, 'File: Revert File');
}

/**
 * The editor's information about a shell that runs for ever as PID 1 without a trap (it ignores SIGTERM, so
 * deleting the pod waits out its grace period), and the quick fix that adds `trap 'exit 0' TERM`.
 */
export async function sPid1Term({ page, shots, log }) {
  await openFile(page, 'e2e/ticker.yaml');
  assert.match(await lineText(page, 10), /while true; do date; sleep 10; done/);
  await poll(async () => (await squiggleLines(page, 'info')).includes(10), { timeout: 30_000, what: 'an information squiggle on the script (line 10)' });
  await goTo(page, 10, 40);
  await shots.take('pid1-term-information');
  const item = await quickFix(page, log, /Add trap 'exit 0' TERM/, "the quick fix \"Add trap 'exit 0' TERM\"");
  await shots.take('pid1-term-quick-fix-menu');
  await item.click();
  await poll(async () => (await lineText(page, 10)).includes("'trap ''exit 0'' TERM; while true; do date; sleep 10; done'"), { timeout: 10_000, what: 'line 10 to trap TERM' });
  await poll(async () => !(await squiggleLines(page, 'info')).includes(10), { timeout: 15_000, what: 'the information to go' });
  await shots.take('pid1-term-quick-fix-applied');
  log('trap added; information gone');
  await runCommand(page, 'File: Revert File');
}

/**
 * The editor's warning about a preStop hook that sleeps the whole grace period (which counts the hook too), and the
 * quick fix that sets a longer terminationGracePeriodSeconds at the top of the pod spec.
 */
export async function sPreStopGrace({ page, shots, log }) {
  await openFile(page, 'e2e/prestop.yaml');
  assert.match(await lineText(page, 13), /command: \["sh", "-c", "sleep 30"\]/);
  await poll(async () => (await squiggleLines(page, 'warning')).includes(13), { timeout: 30_000, what: 'a warning squiggle on the hook\'s command (line 13)' });
  await goTo(page, 13, 30);
  await shots.take('prestop-grace-warning');
  const item = await quickFix(page, log, /Set terminationGracePeriodSeconds to 60/, 'the quick fix "Set terminationGracePeriodSeconds to 60"');
  await shots.take('prestop-grace-quick-fix-menu');
  await item.click();
  await poll(async () => (await lineText(page, 7)).includes('terminationGracePeriodSeconds: 60'), { timeout: 10_000, what: 'line 7 to set the grace period' });
  await poll(async () => !(await squiggleLines(page, 'warning')).includes(14), { timeout: 15_000, what: 'the warning to go' });
  await shots.take('prestop-grace-quick-fix-applied');
  log('grace period set; warning gone');
  await runCommand(page, 'File: Revert File');
}

/**
 * A pod anti-affinity term the apiserver refuses (an `In` without values, an empty topologyKey): the errors in the
 * Problems panel with upstream's words, and completion of well-known topology keys at the empty key.
 */
export async function sAffinity({ page, shots, log }) {
  await openFile(page, 'e2e/affinity.yaml');
  assert.match(await lineText(page, 19), /topologyKey: ""/);
  let rows = [];
  await poll(async () => {
    rows = (await problemRows(page)).filter((r) => /invalid-affinity-term/.test(r.text + r.aria));
    return rows.some((r) => lineOf(r) === 18 && /must be specified when/.test(r.text)) && rows.some((r) => lineOf(r) === 19 && /can not be empty/.test(r.text));
  }, { timeout: 30_000, what: 'the affinity errors on lines 18 and 19 in the Problems panel' }).catch((e) => {
    throw new Error(`${e.message}; panel shows: ${rows.map((r) => r.text).join(' || ') || 'no affinity problems'}`);
  });
  log(`problems: ${rows.map((r) => r.text).join(' || ')}`);
  await shots.take('affinity-problems');
  await goTo(page, 19, 26);
  await page.keyboard.press('Control+Space');
  const widget = page.locator('.editor-widget.suggest-widget');
  let labels = [];
  await poll(async () => {
    if (!(await widget.isVisible())) return false;
    labels = (await widget.locator('.monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
    return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].every((k) => labels.includes(k));
  }, { timeout: 20_000, what: 'topology keys offered at the empty topologyKey' }).catch((e) => {
    throw new Error(`${e.message}; widget shows: ${labels.join(', ') || 'nothing'}`);
  });
  log(`completion items: ${labels.join(', ')}`);
  await shots.take('topology-key-completion');
  await page.keyboard.press('Escape');
  await runCommand(page, 'File: Revert File');
}
