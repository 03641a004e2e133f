/**
 * Language-service benchmark: kubeplay against yaml-language-server (fed the
 * same generated schema as JSON Schema) and the `yaml` package's parse as the
 * floor, all in one run so the ratios compare like with like.
 *
 * Bars (issue 2): on the 60k-line file, diagnostics after an edit ≤ 30 ms and
 * completion/hover p99 ≤ 10 ms, each ≥ 10× faster than yaml-language-server;
 * `kubeplay validate` of 100,000 resources < 5 s on one core.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { getSchema } from '../../kube/src/schema/index';
import { doComplete } from '../../server/src/service/completion';
import type { ServiceContext } from '../../server/src/service/context';
import { computeDiagnostics } from '../../server/src/service/diagnostics';
import { doHover } from '../../server/src/service/hover';
import { buildModel, ModelStore, type Model, type Position } from '../../server/src/service/model';
import { from } from '../../server/src/service/settings';
import { indexModel, Workspace } from '../../server/src/service/workspace';
import { bigManifest, largeStream } from './lsInput';
import { toJsonSchema } from './lsJsonSchema';

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Process CPU time in ms: less inflated than wall time when other work shares the machine. */
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let lastCpu = 0;

/** Wall time of `fn`; its CPU time is left in `lastCpu`. */
function time<T>(fn: () => T): [T, number] {
  const c = cpuNow();
  const t = now();
  const v = fn();
  const ms = now() - t;
  lastCpu = cpuNow() - c;
  return [v, ms];
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = now();
  const v = await fn();
  return [v, now() - t];
}

function stats(xs: number[]): { median: number; p99: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], p99: s[Math.max(0, Math.ceil(0.99 * s.length) - 1)], n: s.length };
}

/** A seeded generator so both servers are asked at the same positions every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Cursor positions on keys of `key: value` lines: at the end of the key (completion) and inside it (hover). */
function samplePositions(text: string, n: number): { complete: Position[]; hover: Position[] } {
  const lines = text.split('\n');
  const rand = rng(42);
  const complete: Position[] = [];
  const hover: Position[] = [];
  while (complete.length < n) {
    const line = Math.floor(rand() * lines.length);
    const m = /^(\s*(?:- )?)([A-Za-z][\w.-]*):( |$)/.exec(lines[line]);
    if (!m || m[1].length === 0) continue;
    complete.push({ line, character: m[1].length + m[2].length });
    hover.push({ line, character: m[1].length + Math.floor(m[2].length / 2) });
  }
  return { complete, hover };
}

/**
 * One-character edits in documents spread over the file, on the digits of
 * `replicas:` and `port:` values, in a cycle of three: replace a digit, type
 * one more digit after a value (the text grows by one and everything after it
 * shifts), delete that digit again (it shrinks back).
 */
interface Edit {
  at: number;
  remove: number;
  insert: string;
}
let lastInsert = -1;
function editOffset(text: string, k: number): Edit {
  if (k % 3 === 0 && lastInsert >= 0) {
    const at = lastInsert;
    lastInsert = -1;
    return { at, remove: 1, insert: '' };
  }
  const re = /(replicas|port): (\d+)/g;
  const hits: number[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) hits.push(m.index + m[0].length - 1);
  const at = hits[Math.floor((hits.length * (k * 37 % 100)) / 100)];
  if (k % 3 === 2) {
    lastInsert = at + 1;
    return { at: at + 1, remove: 0, insert: '7' };
  }
  const c = text[at];
  return { at, remove: 1, insert: c === '9' ? '8' : String(Number(c) + 1) };
}

function editAt(text: string, k: number): string {
  const { at, remove, insert } = editOffset(text, k);
  return text.slice(0, at) + insert + text.slice(at + remove);
}

interface Row {
  what: string;
  kubeplay: number;
  other?: number;
  floor?: number;
  bar?: string;
  ok?: boolean;
}

/**
 * kubeplay's side, on the path the LSP server takes for `didChange`: the
 * incremental change is applied to a `TextDocument` (vscode-languageserver's
 * text sync), the model store updates from its full text, the workspace index
 * takes the model's objects, and the whole file's diagnostics are computed —
 * the list the server publishes. Each timed edit covers all four steps.
 */
async function kubeplaySide(text: string, edits: number, samples: { complete: Position[]; hover: Position[] }) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TextDocument } = require('vscode-languageserver-textdocument') as typeof import('vscode-languageserver-textdocument');
  const schema = getSchema();
  const kinds = (a: string, k: string) => schema.kind(a, k);
  const workspace = new Workspace();
  const store = new ModelStore(kinds);
  const ctx: ServiceContext = { schema, workspace, settings: from({}, schema.data.kubernetesVersion), locale: 'en' };
  const uri = 'file:///bench/big.yaml';
  const doc = TextDocument.create(uri, 'yaml', 1, text);
  lastInsert = -1;
  const [first, firstMs] = time(() => {
    const model = store.update(uri, doc.version, doc.getText());
    workspace.setOpen(uri, indexModel(model));
    return { model, diags: computeDiagnostics(model, ctx) };
  });
  let model: Model = first.model;
  let diags = first.diags;
  const editMs: number[] = [];
  const editCpu: number[] = [];
  const syncMs: number[] = [];
  const updateMs: number[] = [];
  const diagMs: number[] = [];
  const hoverAfterMs: number[] = [];
  const hoverAfterCpu: number[] = [];
  for (let k = 1; k <= edits; k++) {
    const { at, remove, insert } = editOffset(doc.getText(), k);
    const range = { start: doc.positionAt(at), end: doc.positionAt(at + remove) };
    const c0 = cpuNow();
    const [, sync] = time(() => TextDocument.update(doc, [{ range, text: insert }], doc.version + 1));
    const [, upd] = time(() => {
      model = store.update(uri, doc.version, doc.getText());
      workspace.setOpen(uri, indexModel(model));
    });
    const [d, dms] = time(() => computeDiagnostics(model, ctx));
    editCpu.push(cpuNow() - c0);
    diags = d;
    syncMs.push(sync);
    updateMs.push(upd);
    diagMs.push(dms);
    editMs.push(sync + upd + dms);
    // A hover right after the edit: what a user gets when the pointer rests on the text they just changed.
    const [, hms] = time(() => doHover(model, samples.hover[k % samples.hover.length], ctx));
    hoverAfterMs.push(hms);
    hoverAfterCpu.push(lastCpu);
  }
  // The incremental result must be what a cold build of the final text gives.
  const cold = buildModel(uri, doc.version, doc.getText(), kinds);
  const coldWs = new Workspace();
  coldWs.setOpen(uri, indexModel(cold));
  const coldDiags = computeDiagnostics(cold, { ...ctx, workspace: coldWs });
  const fresh = JSON.stringify(diags) === JSON.stringify(coldDiags);
  if (!fresh) throw new Error(`diagnostics after ${edits} edits differ from a cold build: ${diags.length} vs ${coldDiags.length}`);
  const completeMs: number[] = [];
  const completeCpu: number[] = [];
  let items = 0;
  for (const p of samples.complete) {
    const [list, ms] = time(() => doComplete(model, p, ctx));
    items += list.items.length;
    completeMs.push(ms);
    completeCpu.push(lastCpu);
  }
  const hoverMs: number[] = [];
  const hoverCpu: number[] = [];
  let hovers = 0;
  for (const p of samples.hover) {
    const [h, ms] = time(() => doHover(model, p, ctx));
    if (h) hovers++;
    hoverMs.push(ms);
    hoverCpu.push(lastCpu);
  }
  return { firstMs, firstCount: first.diags.length, finalCount: diags.length, editMs, editCpu, syncMs, updateMs, diagMs, completeMs, completeCpu, hoverMs, hoverCpu, hoverAfterMs, hoverAfterCpu, items, hovers };
}

async function ylsSide(text: string, edits: number, samples: { complete: Position[]; hover: Position[] }) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getLanguageService } = require('yaml-language-server') as typeof import('yaml-language-server');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TextDocument } = require('vscode-languageserver-textdocument') as typeof import('vscode-languageserver-textdocument');
  const schema = toJsonSchema(getSchema().data);
  const ls = getLanguageService({ schemaRequestService: async () => JSON.stringify(schema), workspaceContext: { resolveRelativePath: (r: string) => r } } as never);
  ls.configure({ validate: true, hover: true, completion: true, isKubernetes: false, schemas: [{ uri: 'file:///bench/kubeplay-schema.json', fileMatch: ['*.yaml'], schema }] });
  const uri = 'file:///bench/big.yaml';
  let doc = TextDocument.create(uri, 'yaml', 1, text);
  const [firstDiags, firstMs] = await timeAsync(() => ls.doValidation(doc, false));
  let current = text;
  const editMs: number[] = [];
  lastInsert = -1;
  for (let k = 1; k <= edits; k++) {
    current = editAt(current, k);
    doc = TextDocument.create(uri, 'yaml', k + 1, current);
    const [, ms] = await timeAsync(() => ls.doValidation(doc, false));
    editMs.push(ms);
  }
  const completeMs: number[] = [];
  let items = 0;
  for (const p of samples.complete) {
    const [list, ms] = await timeAsync(() => ls.doComplete(doc, p, false));
    items += list.items.length;
    completeMs.push(ms);
  }
  const hoverMs: number[] = [];
  let hovers = 0;
  for (const p of samples.hover) {
    const [h, ms] = await timeAsync(() => ls.doHover(doc, p));
    if (h) hovers++;
    hoverMs.push(ms);
  }
  return { firstMs, firstCount: firstDiags.length, editMs, completeMs, hoverMs, items, hovers };
}

/** The command line that runs `kubeplay validate`: the compiled main when it dispatches, else the module. */
function validateCommand(root: string, file: string): string[] {
  const main = path.join(root, 'out', 'cli', 'src', 'main.js');
  if (fs.existsSync(main) && fs.readFileSync(main, 'utf8').includes('./validate')) return [process.execPath, main, 'validate', file];
  const mod = path.join(root, 'out', 'cli', 'src', 'validate.js');
  return [process.execPath, '-e', `require(${JSON.stringify(mod)}).runValidate([${JSON.stringify(file)}]).then((c) => { process.exitCode = c; })`];
}

function hasTaskset(): boolean {
  return process.platform === 'linux' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'kubeplay') return dir;
  }
  return process.cwd();
}

const fmt = (ms: number | undefined) => (ms === undefined ? '-' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);

function printTable(rows: Row[]): void {
  const head = ['measure (wall time unless marked CPU)', 'kubeplay', 'yaml-language-server', 'YLS / kubeplay', 'yaml parse floor', 'bar', 'met'];
  const body = rows.map((r) => [r.what, fmt(r.kubeplay), fmt(r.other), r.other !== undefined ? `${(r.other / r.kubeplay).toFixed(1)}×` : '-', fmt(r.floor), r.bar ?? '-', r.ok === undefined ? '-' : r.ok ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const b of body) console.log(line(b));
}

export async function run(): Promise<void> {
  const text = bigManifest(2000);
  const lineCount = text.split('\n').length;
  console.log(`\n## Language service (issue 2): ${lineCount} lines, 2000 documents; 100,000 small resources\n`);
  const samples = samplePositions(text, 200);
  const [, floorMs] = time(() => parseAllDocuments(text));
  const kp = await kubeplaySide(text, 200, samples);
  console.log(`kubeplay: first diagnostics ${fmt(kp.firstMs)} (${kp.firstCount} diagnostics); after ${kp.editMs.length} edits ${kp.finalCount} diagnostics, identical to a cold build of the final text; ${kp.items} completion items over ${samples.complete.length} requests; ${kp.hovers}/${samples.hover.length} hovers with content`);

  const yEdits = 3;
  const ySamples = { complete: samples.complete.slice(0, 30), hover: samples.hover.slice(0, 30) };
  let yls: Awaited<ReturnType<typeof ylsSide>> | undefined;
  try {
    yls = await ylsSide(text, yEdits, ySamples);
    console.log(`yaml-language-server: first diagnostics ${fmt(yls.firstMs)} (${yls.firstCount} diagnostics); ${yls.items} completion items over ${ySamples.complete.length} requests; ${yls.hovers}/${ySamples.hover.length} hovers with content`);
  } catch (e) {
    console.log(`yaml-language-server could not be run: ${(e as Error).message}`);
  }

  const slowest = kp.editMs.map((ms, i) => ({ ms, i })).sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(`kubeplay slowest edits (edit #: wall = sync + model + diagnostics; CPU): ${slowest.map(({ ms, i }) => `#${i + 1}: ${fmt(ms)} = ${fmt(kp.syncMs[i])} + ${fmt(kp.updateMs[i])} + ${fmt(kp.diagMs[i])}; CPU ${fmt(kp.editCpu[i])}`).join(' | ')}`);
  const kEdit = stats(kp.editMs);
  const kComp = stats(kp.completeMs);
  const kHover = stats(kp.hoverMs);
  const yEdit = yls && stats(yls.editMs);
  const yComp = yls && stats(yls.completeMs);
  const yHover = yls && stats(yls.hoverMs);
  const tenX = (k: number, y?: number) => (y === undefined ? undefined : y / k >= 10);
  const rows: Row[] = [
    { what: 'first full diagnostics', kubeplay: kp.firstMs, other: yls?.firstMs, floor: floorMs },
    { what: `diagnostics after 1-char edit, median (n=${kEdit.n}/${yEdit?.n ?? 0})`, kubeplay: kEdit.median, other: yEdit?.median, bar: '≤ 30 ms, ≥10×', ok: kEdit.median <= 30 && tenX(kEdit.median, yEdit?.median) !== false },
    { what: 'diagnostics after 1-char edit, p99', kubeplay: kEdit.p99, other: yEdit?.p99, bar: '≤ 30 ms', ok: kEdit.p99 <= 30 },
    { what: '  of which text sync (TextDocument.update), median', kubeplay: stats(kp.syncMs).median },
    { what: '  of which model update (parse) + index, median', kubeplay: stats(kp.updateMs).median },
    { what: '  of which diagnostics (rules + cross-object), median', kubeplay: stats(kp.diagMs).median },
    { what: `completion median (n=${kComp.n}/${yComp?.n ?? 0})`, kubeplay: kComp.median, other: yComp?.median, bar: '≥10×', ok: tenX(kComp.median, yComp?.median) },
    { what: 'completion p99', kubeplay: kComp.p99, other: yComp?.p99, bar: '≤ 10 ms, ≥10×', ok: kComp.p99 <= 10 && tenX(kComp.p99, yComp?.p99) !== false },
    { what: `hover median (n=${kHover.n}/${yHover?.n ?? 0})`, kubeplay: kHover.median, other: yHover?.median, bar: '≥10×', ok: tenX(kHover.median, yHover?.median) },
    { what: 'hover p99', kubeplay: kHover.p99, other: yHover?.p99, bar: '≤ 10 ms, ≥10×', ok: kHover.p99 <= 10 && tenX(kHover.p99, yHover?.p99) !== false },
    { what: `hover right after each edit, p99 (n=${kp.hoverAfterMs.length})`, kubeplay: stats(kp.hoverAfterMs).p99, bar: '≤ 10 ms', ok: stats(kp.hoverAfterMs).p99 <= 10 },
    { what: 'CPU time: diagnostics after edit, median', kubeplay: stats(kp.editCpu).median, bar: '≤ 30 ms', ok: stats(kp.editCpu).median <= 30 },
    { what: 'CPU time: diagnostics after edit, p99', kubeplay: stats(kp.editCpu).p99, bar: '≤ 30 ms', ok: stats(kp.editCpu).p99 <= 30 },
    { what: 'CPU time: completion p99', kubeplay: stats(kp.completeCpu).p99, bar: '≤ 10 ms', ok: stats(kp.completeCpu).p99 <= 10 },
    { what: 'CPU time: hover p99', kubeplay: stats(kp.hoverCpu).p99, bar: '≤ 10 ms', ok: stats(kp.hoverCpu).p99 <= 10 },
    { what: 'CPU time: hover right after each edit, p99', kubeplay: stats(kp.hoverAfterCpu).p99, bar: '≤ 10 ms', ok: stats(kp.hoverAfterCpu).p99 <= 10 },
  ];

  // kubeplay validate of 100,000 resources, as a child process pinned to one core.
  const stream = largeStream(100000);
  const tmp = path.join(os.tmpdir(), `kubeplay-bench-${process.pid}.yaml`);
  fs.writeFileSync(tmp, stream);
  try {
    const [, streamFloorMs] = time(() => parseAllDocuments(stream));
    const cmd = validateCommand(repoRoot(), tmp);
    const pinned = hasTaskset();
    const argv = pinned ? ['taskset', '-c', '0', ...cmd] : cmd;
    // A preload reports the child's own CPU time, which load from other processes inflates less than wall time.
    const preload = path.join(os.tmpdir(), `kubeplay-bench-cpu-${process.pid}.js`);
    fs.writeFileSync(preload, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\nCPU_MS=' + (u.user + u.system) / 1000 + '\\n'); });\n");
    const withPreload = [argv[0] === 'taskset' ? argv.slice(0, 3) : [], [process.execPath, '-r', preload], argv.slice(argv[0] === 'taskset' ? 4 : 1)].flat();
    const [res, ms] = time(() => spawnSync(withPreload[0], withPreload.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 }));
    fs.rmSync(preload, { force: true });
    const cpu = Number(/CPU_MS=([\d.]+)/.exec(res.stderr ?? '')?.[1] ?? NaN);
    const stderr = (res.stderr ?? '').replace(/\s*CPU_MS=[\d.]+\s*/, '');
    const summary = (res.stdout ?? '').trim().split('\n').pop();
    console.log(`kubeplay validate (${pinned ? 'taskset -c 0' : 'not pinned: taskset unavailable'}): exit ${res.status}; ${summary}${stderr ? `\n${stderr.slice(0, 500)}` : ''}`);
    rows.push({ what: 'kubeplay validate, 100,000 resources (1 core), wall', kubeplay: ms, floor: streamFloorMs, bar: '< 5 s', ok: ms < 5000 && res.status === 0 });
    if (!Number.isNaN(cpu)) rows.push({ what: '  same, CPU time of the process', kubeplay: cpu, bar: '< 5 s', ok: cpu < 5000 });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  console.log('');
  printTable(rows);
  const v = rows.find((r) => r.what.startsWith('kubeplay validate'))!;
  if (v.floor) console.log(`\nvalidate vs the yaml parse floor: ${(v.kubeplay / v.floor).toFixed(2)}× the time \`yaml\` alone needs to parse the same stream (kubeplay's loader skips building position-carrying nodes unless a document is invalid).`);
  console.log(`first diagnostics vs the floor: ${(kp.firstMs / floorMs).toFixed(2)}× the \`yaml\` parse of the same text.`);
}
