/**
 * `npm run bench:ab -- <git revision> [runs] [case]`: the control-plane case of cluster.ts on two builds, this
 * working tree (B) and another revision (A), run alternately in the same minutes. On a shared virtual machine one
 * run of a case varies by ±15%, so a change of a few percent shows only as the ratio of medians taken side by side.
 *
 * A is built in a git worktree under the system's temporary folder (kept between calls, rebuilt when its revision
 * changes), with this tree's node_modules and generated schema. The case is cluster.ts's `custom` one: by default
 * 30,000 pods on 1,000 nodes (a fifth of the 150k case, which takes a minute a run); KUBEPLAY_BENCH_CASE
 * or the third argument (JSON) picks another.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const DEFAULT_CASE = { name: '30k pods / 1,000 nodes', nodes: 1000, namespaces: 10, deploymentsPerNamespace: 30, replicas: 100 };

interface Run {
  wall: number;
  cpu: number;
  rss: number;
}

function git(args: string[], cwd = ROOT): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** A worktree of `rev`, built; answers its root. */
function buildOther(rev: string): string {
  const sha = git(['rev-parse', '--verify', `${rev}^{commit}`]);
  const dir = path.join(os.tmpdir(), `kubeplay-ab-${sha.slice(0, 12)}`);
  const stamp = path.join(dir, '.ab-built');
  if (fs.existsSync(stamp)) return dir;
  if (!fs.existsSync(dir)) git(['worktree', 'add', '--detach', '-f', dir, sha]);
  if (!fs.existsSync(path.join(dir, 'node_modules'))) fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const schema = path.join('kube', 'generated', 'schema.json');
  fs.mkdirSync(path.join(dir, 'kube', 'generated'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, schema), path.join(dir, schema));
  process.stdout.write(`building ${sha.slice(0, 12)} in ${dir} …\n`);
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: dir, stdio: 'inherit' });
  fs.writeFileSync(stamp, sha + '\n');
  return dir;
}

function runOnce(root: string, spec: object): Run | undefined {
  const script = path.join(root, 'out', 'bench', 'src', 'cluster.js');
  const p = spawnSync(process.execPath, ['--max-old-space-size=1900', '--max-semi-space-size=64', script, '--cluster-bench-child', 'custom'], {
    encoding: 'utf8',
    env: { ...process.env, KUBEPLAY_BENCH_CASE: JSON.stringify(spec), KUBEPLAY_BENCH_VERBOSE: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    process.stdout.write(`  run failed in ${root} (exit ${p.status}): ${(p.stderr ?? '').split('\n').slice(-8).join('\n')}\n`);
    return undefined;
  }
  const r = JSON.parse(line.slice(7));
  if (!r.ok) process.stdout.write(`  a run in ${root} did not converge\n`);
  return { wall: r.wallSeconds, cpu: r.cpuSeconds, rss: r.peakRssMB };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function main(argv: string[]): number {
  const [rev, runsArg, caseArg] = argv;
  if (!rev) {
    process.stderr.write('usage: npm run bench:ab -- <git revision> [runs per build, default 5] [case as JSON]\n');
    return 2;
  }
  const runs = Number(runsArg ?? 5);
  const spec = JSON.parse(caseArg ?? process.env.KUBEPLAY_BENCH_CASE ?? JSON.stringify(DEFAULT_CASE));
  const other = buildOther(rev);
  const cpus = os.cpus();
  process.stdout.write(`# A/B: ${spec.name ?? 'custom case'}, ${runs} runs each, alternating\n`);
  process.stdout.write(`machine: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${os.loadavg()[0].toFixed(2)}\n`);
  process.stdout.write(`A: ${rev} (${other})\nB: this tree (${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--untracked-files=no']) ? ', with changes' : ''})\n`);
  const a: Run[] = [];
  const b: Run[] = [];
  for (let i = 0; i < runs; i++) {
    // A first on even rounds, B first on odd ones: neither build always runs in the warmer (or busier) slot.
    const order: [string, Run[], string][] = i % 2 === 0 ? [['A', a, other], ['B', b, ROOT]] : [['B', b, ROOT], ['A', a, other]];
    for (const [label, into, root] of order) {
      const r = runOnce(root, spec);
      if (!r) continue;
      into.push(r);
      process.stdout.write(`  ${label} run ${into.length}: ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(1)} s CPU, ${r.rss} MB\n`);
    }
  }
  if (!a.length || !b.length) return 1;
  const line = (label: string, rs: Run[]) =>
    `${label}: median ${median(rs.map((r) => r.wall)).toFixed(2)} s wall, ${median(rs.map((r) => r.cpu)).toFixed(1)} s CPU, ${median(rs.map((r) => r.rss))} MB`;
  process.stdout.write(`${line('A', a)}\n${line('B', b)}\n`);
  const ratio = (f: (r: Run) => number) => (median(b.map(f)) / median(a.map(f))).toFixed(3);
  process.stdout.write(`B/A: wall ${ratio((r) => r.wall)}, CPU ${ratio((r) => r.cpu)}, RSS ${ratio((r) => r.rss)} (below 1: B is faster or smaller)\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
