// Runs mocha (tdd) inside a VS Code extension host, for @vscode/test-electron and for the
// code-server harness alike. CommonJS, because the extension host `require`s the tests entry.
// When KUBEPLAY_TEST_REPORT names a file, a JSON report of every test is written there so a
// harness outside the extension host can print per-test results.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

async function loadMocha() {
  try {
    const m = require('mocha');
    return m.default || m;
  } catch (e) {
    const m = await import('mocha');
    return m.default || m;
  }
}

function findTests(dirs) {
  const files = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.test.js')) files.push(path.join(dir, f));
  }
  return files;
}

/** Resolves with nothing when every test passed; rejects (failing the run) otherwise. */
async function runMochaIn(dirs, options = {}) {
  const Mocha = await loadMocha();
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.KUBEPLAY_TEST_TIMEOUT || 20000),
    grep: process.env.KUBEPLAY_TEST_GREP || undefined,
    ...options,
  });
  const files = findTests(Array.isArray(dirs) ? dirs : [dirs]);
  if (files.length === 0) {
    const error = `no *.test.js files in ${[].concat(dirs).join(', ')}`;
    if (process.env.KUBEPLAY_TEST_REPORT) fs.writeFileSync(process.env.KUBEPLAY_TEST_REPORT, JSON.stringify({ files, tests: [], passes: 0, failures: 1, pending: 0, error }));
    throw new Error(error);
  }
  for (const f of files) mocha.addFile(f);
  if (typeof mocha.loadFilesAsync === 'function') await mocha.loadFilesAsync();
  const report = { files, tests: [], passes: 0, failures: 0, pending: 0, start: Date.now() };
  await new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => { report.passes++; report.tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }); });
    runner.on('fail', (t, err) => {
      report.failures++;
      report.tests.push({ title: t.fullTitle(), state: 'failed', error: String((err && (err.stack || err.message)) || err).slice(0, 2000) });
    });
    runner.on('pending', (t) => { report.pending++; report.tests.push({ title: t.fullTitle(), state: 'pending' }); });
  });
  report.end = Date.now();
  const out = process.env.KUBEPLAY_TEST_REPORT;
  if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(`${report.passes} passed, ${report.failures} failed${report.pending ? `, ${report.pending} skipped` : ''}`);
  if (report.failures > 0) throw new Error(`${report.failures} of ${report.passes + report.failures} extension-host tests failed`);
}

module.exports = { runMochaIn, findTests };
