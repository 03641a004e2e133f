/**
 * Figures read from the workbench. Activation time comes from the "Kubeplay" output channel,
 * which VS Code also writes to a file under the server's logs folder, so it can be read without
 * scraping the Output panel: the client logs `activated in <ms> ms`.
 */
import fs from 'node:fs';
import path from 'node:path';

function* walk(dir) {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name.endsWith('.log')) yield p;
  }
}

export function activationTimeFromLogs(userDataDir) {
  for (const f of walk(path.join(userDataDir, 'logs'))) {
    if (!/kubeplay/i.test(path.basename(f)) && !/exthost/i.test(f)) continue;
    const text = fs.readFileSync(f, 'utf8');
    const m = /activated in (\d+(?:\.\d+)?) ?ms/.exec(text);
    // The client also reports module load + activate, which includes loading its bundle.
    const withLoad = /module load \+ activate: (\d+(?:\.\d+)?) ?ms/.exec(text);
    if (m) return { ms: Number(m[1]), withLoadMs: withLoad ? Number(withLoad[1]) : undefined, file: f };
  }
  return undefined;
}

/** Waits (polling) for the activation line; undefined if it never appears. */
export async function waitActivationTime(userDataDir, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const r = activationTimeFromLogs(userDataDir);
    if (r) return r;
    await new Promise((res) => setTimeout(res, 250));
  }
  return undefined;
}
