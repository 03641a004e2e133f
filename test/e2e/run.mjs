#!/usr/bin/env node
/**
 * `npm run test:e2e`: install what is missing, package and install the VSIX, run the
 * extension-host suite and the UI scenarios in a real VS Code workbench (code-server + Chromium),
 * save screenshots and logs in test-results/e2e/, stop everything, print a summary.
 * Exits non-zero if any suite or scenario fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, RESULTS } from './paths.mjs';
import { ensureAll } from './install.mjs';
import { buildVsix } from './vsix.mjs';
import { killAll } from './codeserver.mjs';
import { runExtensionHostSuite, describeSuiteResult } from './exthost.mjs';
import { startSession } from './session.mjs';
import { makeWorkspace } from './workspace.mjs';
import { zhCnLanguagePack, registerLanguagePack } from './langpack.mjs';
import { Shots } from './ui.mjs';
import { waitActivationTime } from './metrics.mjs';
import { s1Diagnostics, s2Completion, s3Hover, s4QuickFix, sNslookupLoop, sPid1Term, sPreStopGrace, sAffinity, sDatabasePassword } from './scenarios/editor.mjs';
import { s5Apply, s6KillPod, s7Describe, s8Terminal, sPortForward, sIngress, sQuota, sNetpol, perfThousandPods } from './scenarios/cluster.mjs';
import { s9Locale } from './scenarios/locale.mjs';

const BUDGET_MS = Number(process.env.KUBEPLAY_E2E_BUDGET_MS || 9.5 * 60_000);
const SCENARIO_MS = 150_000;
const only = process.env.KUBEPLAY_E2E_ONLY ? new Set(process.env.KUBEPLAY_E2E_ONLY.split(',')) : undefined;
const started = Date.now();
const results = [];
const metrics = {};

function record(name, ok, ms, detail = '') {
  results.push({ name, ok, ms, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)${detail ? `\n     ${detail.split('\n').join('\n     ')}` : ''}`);
}

async function step(name, fn) {
  const t0 = Date.now();
  try {
    const v = await fn();
    record(name, true, Date.now() - t0);
    return v;
  } catch (e) {
    record(name, false, Date.now() - t0, e.message);
    return undefined;
  }
}

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`${what} did not finish within ${ms / 1000} s`)), ms); })]).finally(() => clearTimeout(t));
}

async function scenario(session, id, title, fn) {
  const name = `${id} ${title}`;
  if (only && !only.has(id)) return;
  const dir = path.join(RESULTS, id);
  fs.rmSync(dir, { recursive: true, force: true });
  const shots = new Shots(session.page, dir);
  const logLines = [];
  const t0 = Date.now();
  const log = (s) => { logLines.push(s); fs.appendFileSync(session.logFile, `[${id} +${Date.now() - t0} ms] ${s}\n`); };
  // A scenario gets one more attempt: the workbench is a live UI (a refresh can land between
  // a right-click and the menu). A pass on the second attempt says so in the summary.
  let first;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await withTimeout(fn({ page: session.page, shots, log, metrics, session }), SCENARIO_MS, name);
      record(name, true, Date.now() - t0, first ? `passed on the second attempt; the first failed: ${first}` : '');
      return;
    } catch (e) {
      await shots.take(attempt === 1 ? 'failure-attempt-1' : 'failure');
      if (attempt === 2 || Date.now() - t0 > SCENARIO_MS) {
        record(name, false, Date.now() - t0, `${e.message}${first ? `\n(first attempt: ${first})` : ''}\n(screenshots: ${path.relative(REPO, dir)}/)`);
        return;
      }
      first = e.message.split('\n')[0];
      log(`attempt 1 failed: ${e.message}`);
    } finally {
      await session.page.keyboard.press('Escape').catch(() => {});
    }
  }
}

function summary() {
  const w = Math.max(...results.map((r) => r.name.length), 10);
  const lines = ['', '=== Kubeplay end-to-end summary ==='];
  lines.push(`${'check'.padEnd(w)}  result  time`);
  for (const r of results) lines.push(`${r.name.padEnd(w)}  ${r.ok ? 'pass  ' : 'FAIL  '}  ${(r.ms / 1000).toFixed(1).padStart(5)} s`);
  lines.push('');
  lines.push('figures (measured in the workbench):');
  const fig = (k, label) => lines.push(`  ${label.padEnd(52)} ${metrics[k] === undefined ? 'not measured' : `${metrics[k]} ms`}`);
  fig('activationMs', 'extension activation time (activate())');
  fig('activationWithLoadMs', 'extension activation incl. loading its bundle');
  fig('applyToRunningMs', 'Apply click -> 3 pods Running in the tree');
  fig('tree1000ReportMs', 'Apply 1,000 replicas -> tree counts 1,000 new pods');
  fig('tree1000ExpandMs', 'expand the 1,000-pod ReplicaSet in the tree');
  const passed = results.filter((r) => r.ok).length;
  lines.push('');
  lines.push(`total time ${((Date.now() - started) / 1000).toFixed(0)} s; results in ${path.relative(REPO, RESULTS)}/`);
  lines.push(`e2e: ${passed} passed, ${results.length - passed} failed`);
  console.log(lines.join('\n'));
  fs.writeFileSync(path.join(RESULTS, 'summary.json'), JSON.stringify({ results, metrics }, null, 2));
}

async function main() {
  fs.mkdirSync(RESULTS, { recursive: true });
  const tools = await step('install (apt, Node 24, code-server, kubectl, playwright-core)', () => ensureAll());
  if (!tools) return;
  armWatchdog();
  const vsix = await step('package the VSIX', () => {
    const v = buildVsix(RESULTS);
    console.log(`     ${v.how}: ${path.relative(REPO, v.file) || v.file}`);
    return v.file;
  });
  const ws = makeWorkspace(path.join(os.tmpdir(), 'kubeplay-e2e-workspace'));

  // The harness proves it can tell a passing suite from a failing one before trusting it.
  if (!only || only.has('exthost')) {
    const selftest = path.join(REPO, 'test', 'e2e', 'selftest');
    for (const [kind, wantCode] of [['pass', 0], ['fail', 1]]) {
      const t0 = Date.now();
      const r = await runExtensionHostSuite(tools, { name: `selftest-${kind}`, devExtension: selftest, testsPath: path.join(selftest, kind), folder: selftest, resultsDir: RESULTS, timeoutMs: 90_000 });
      record(`exthost self-test: ${kind}ing suite exits ${wantCode}`, r.exitCode === wantCode, Date.now() - t0, r.exitCode === wantCode ? '' : `exit ${r.exitCode}${r.error ? `: ${r.error}` : ''}`);
    }
    const t0 = Date.now();
    const r = await runExtensionHostSuite(tools, {
      name: 'exthost-suite', devExtension: REPO, testsPath: path.join(REPO, 'test', 'electron', 'suite'),
      folder: ws, vsix, resultsDir: RESULTS, timeoutMs: 240_000, extraPath: tools.kubectlDir ? [tools.kubectlDir] : [],
    });
    record('exthost suite (test/electron/suite) in the workbench', r.ok, Date.now() - t0, describeSuiteResult(r) || `exit ${r.exitCode}`);
  }

  const ui = !only || [...only].some((x) => /^\d|perf|pf|ing|quota|netpol|dns|pid1|prestop|aff|db/.test(x));
  const main1to8 = !only || [...only].some((x) => /^[1-8]$|perf|pf|ing|quota|netpol|dns|pid1|prestop|aff|db/.test(x));
  if (ui) {
    const session = main1to8 && await step('start workbench (code-server + Chromium) with the VSIX', () => startSession(tools, { name: 'workbench', vsix, folder: ws, resultsDir: RESULTS }));
    if (session) {
      try {
        await new Shots(session.page, path.join(RESULTS, '00-workbench')).take('workbench-ready');
        await scenario(session, '1', 'diagnostics in Problems and squiggles', s1Diagnostics);
        const act = await waitActivationTime(session.profile.userData, 5000);
        if (act) { metrics.activationMs = act.ms; metrics.activationWithLoadMs = act.withLoadMs; }
        await scenario(session, '2', 'completion', s2Completion);
        await scenario(session, '3', 'hover docs', s3Hover);
        await scenario(session, '4', 'quick fix', s4QuickFix);
        await scenario(session, 'dns', 'the editor\'s warning about a nslookup loop, and its fix', sNslookupLoop);
        await scenario(session, 'pid1', 'the editor\'s information about a PID-1 shell without a trap, and its fix', sPid1Term);
        await scenario(session, 'prestop', 'the editor\'s warning about a preStop hook as long as the grace period, and its fix', sPreStopGrace);
        await scenario(session, 'aff', 'an affinity term the apiserver refuses, and topology keys offered', sAffinity);
        await scenario(session, 'db', 'the editor\'s warning about a mysql image with no root password, and its fix from a Secret', sDatabasePassword);
        await scenario(session, '5', 'Apply to playground -> 3 pods Running', s5Apply);
        await scenario(session, '6', 'Kill Pod -> replacement, RS back at 3', s6KillPod);
        await scenario(session, '7', 'Describe pod -> read-only doc with Events; Describe node follows a cordon', s7Describe);
        await scenario(session, '8', 'terminal with kubectl get pods', s8Terminal);
        await scenario(session, 'pf', 'Port Forward -> the pod\'s answer in a browser tab', sPortForward);
        await scenario(session, 'ing', 'Ingress -> the host in a browser tab through ingress-nginx', sIngress);
        await scenario(session, 'quota', 'ResourceQuota usage in the tree, and Describe', sQuota);
        await scenario(session, 'netpol', 'NetworkPolicies in the tree, and Describe', sNetpol);
        await scenario(session, 'perf', 'tree at 1,000 pods', perfThousandPods);
        if (metrics.activationMs === undefined) {
          const a = await waitActivationTime(session.profile.userData, 1000);
          if (a) { metrics.activationMs = a.ms; metrics.activationWithLoadMs = a.withLoadMs; }
        }
      } finally {
        await session.close();
      }
    }
    if (!only || only.has('9')) {
      const zh = await step('start workbench with --locale zh-cn', () => startSession(tools, { name: 'workbench-zh-cn', vsix, extraVsix: [zhCnLanguagePack()], beforeStart: registerLanguagePack, folder: ws, resultsDir: RESULTS, locale: 'zh-cn' }));
      if (zh) {
        try {
          await scenario(zh, '9', 'zh-cn localization of the extension', s9Locale);
        } finally {
          await zh.close();
        }
      } else record('9 zh-cn localization of the extension', false, 0, 'workbench did not start');
    }
  }
}

// The budget is for a warm cache: it starts once the tools are installed (a cold install of
// code-server alone takes ~3 minutes and is not what the budget measures).
let watchdog;
function armWatchdog() {
  watchdog = setTimeout(() => {
    record('whole run within budget', false, Date.now() - started, `exceeded ${BUDGET_MS / 1000} s after install; stopping everything`);
    killAll();
    summary();
    process.exit(1);
  }, BUDGET_MS);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

try {
  await main();
} catch (e) {
  record('harness', false, 0, e.stack ?? String(e));
} finally {
  clearTimeout(watchdog);
  killAll();
}
summary();
process.exit(results.length > 0 && results.every((r) => r.ok) ? 0 : 1);
