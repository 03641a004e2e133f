/**
 * `npm run bench`: prints the machine, then runs every bench module found
 * next to this file (ls*, cluster*, http*), each exporting `run(): Promise<void>`.
 * Arguments filter modules by name prefix: `node out/bench/src/run.js ls`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PREFIXES = ['ls', 'cluster', 'http'];

function machine(): string {
  const cpus = os.cpus();
  return [
    `cpu: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node: ${process.version} on ${os.platform()} ${os.release()} (${os.arch()})`,
    `load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (other work on the machine slows wall-clock figures)`,
  ].join('\n');
}

/** Bench modules in this folder, in PREFIXES order: files like `ls.js`, `cluster-scale.js`. */
export function benchModules(dir = __dirname): string[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'run.js');
  const out: string[] = [];
  // `http.js` and `cluster-scale.js` are benches; `httpClient.js` or `lsInput.js` are their helpers
  // (a helper may be a worker script that must not be loaded here).
  const isBench = (f: string, p: string) => f === `${p}.js` || f.startsWith(`${p}-`);
  for (const p of PREFIXES) for (const f of files.sort()) if (isBench(f, p)) out.push(path.join(dir, f));
  return out;
}

async function main(argv: string[]): Promise<number> {
  console.log('# Kubeplay benchmarks\n');
  console.log(machine());
  let failed = 0;
  for (const file of benchModules()) {
    const name = path.basename(file, '.js');
    if (argv.length && !argv.some((a) => name.startsWith(a))) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') continue; // helpers (inputs, converters) export no run()
    try {
      await mod.run();
    } catch (e) {
      failed++;
      console.error(`\nbench ${name} failed: ${(e as Error).stack ?? e}`);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => (process.exitCode = c));
}
