/**
 * `kubeplay validate`: the editor's checks for pipelines. Files, folders
 * (recursively, *.yaml/*.yml/*.json) and stdin (`-`); exit 0 when everything
 * is valid, 1 when anything is invalid or cannot be validated, 2 on a usage
 * or read error. Flags follow kubeconform where it has one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { getSchema } from '../../kube/src/schema';
import { checkStream } from './validateCheck';
import { CrossPass } from './validateCross';
import { Report, type Format } from './validateReport';

export const VALIDATE_USAGE = `Usage: kubeplay validate [options] <file|folder|-> ...

Validates Kubernetes manifests offline with the same checks as the editor:
schema, what the apiserver would reject, removed apiVersions, and the checks
across objects over all the files given together (Service selectors, named
ports, references, quotas, Pod Security), as the editor runs them over a
workspace.

Options:
  -o, --output <text|json|junit|sarif>  output format (default text)
  --strict                   unknown fields, duplicate keys and warnings make a resource invalid
                             (without it an unknown field is a warning, as in kubeconform; the
                             editor reports it as an error, as kubectl's --validate=strict does)
  --kubernetes-version <v>   judge removed APIs at this version (default: newest in the schema)
  --skip <Kind[,Kind]>       skip these kinds (or apiVersion/Kind)
  --ignore-missing-schemas   skip kinds the schema does not know instead of failing them
  -v, --verbose              also list valid resources
  -h, --help                 this help

Exit status: 0 all valid, 1 something invalid or not validated, 2 usage or read error.`;

interface Options {
  format: Format;
  strict: boolean;
  kubernetesVersion?: string;
  skip: Set<string>;
  ignoreMissingSchemas: boolean;
  verbose: boolean;
  inputs: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | 'help' {
  const o: Options = { format: 'text', strict: false, skip: new Set(), ignoreMissingSchemas: false, verbose: false, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h': case '--help': return 'help';
      case '-o': case '--output': case '-output': {
        const f = value();
        if (!['text', 'json', 'junit', 'sarif'].includes(f)) throw new UsageError(`unknown output format "${f}" (text, json, junit, sarif)`);
        o.format = f as Format;
        break;
      }
      case '--strict': case '-strict': o.strict = true; break;
      case '--kubernetes-version': case '-kubernetes-version': {
        const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(value().trim());
        if (!m) throw new UsageError('--kubernetes-version wants a version like 1.29');
        o.kubernetesVersion = `${Number(m[1])}.${Number(m[2])}`;
        break;
      }
      case '--skip': case '-skip': for (const k of value().split(',')) if (k.trim()) o.skip.add(k.trim()); break;
      case '--ignore-missing-schemas': case '-ignore-missing-schemas': o.ignoreMissingSchemas = true; break;
      case '-v': case '--verbose': o.verbose = true; break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        o.inputs.push(a);
    }
  }
  if (!o.inputs.length) throw new UsageError('no files given (use - for stdin)');
  return o;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** Expands folders to their manifest files, sorted, recursively; skips dot-folders and node_modules. */
function expand(input: string, out: string[]): void {
  const st = fs.statSync(input);
  if (!st.isDirectory()) { out.push(input); return; }
  for (const name of fs.readdirSync(input).sort()) {
    const p = path.join(input, name);
    let s: fs.Stats;
    try { s = fs.statSync(p); } catch { continue; }
    if (s.isDirectory()) { if (!name.startsWith('.') && name !== 'node_modules') expand(p, out); }
    else if (MANIFEST.test(name)) out.push(p);
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/**
 * Writes through one buffer, outside the JavaScript heap: each line is encoded into it as it comes (and can be
 * collected at once), and 100k result lines mean a few writes of a megabyte, not 100k syscalls.
 */
function bufferedStdout(): { write: (s: string) => void; flush: () => Promise<void> } {
  const SIZE = 1 << 20;
  let buf = Buffer.allocUnsafe(SIZE);
  let pos = 0;
  const flushSync = () => {
    if (!pos) return;
    process.stdout.write(buf.subarray(0, pos));
    buf = Buffer.allocUnsafe(SIZE); // the stream may still hold the last one
    pos = 0;
  };
  return {
    write: (s) => {
      // At most three bytes of UTF-8 per UTF-16 unit.
      if (s.length * 3 > SIZE - pos) {
        flushSync();
        if (s.length * 3 > SIZE) { process.stdout.write(s); return; }
      }
      pos += buf.write(s, pos);
    },
    flush: () => new Promise((resolve) => {
      if (!pos) return resolve();
      const last = buf.subarray(0, pos);
      buf = Buffer.allocUnsafe(SIZE);
      pos = 0;
      process.stdout.write(last, () => resolve());
    }),
  };
}

export async function runValidate(argv: string[]): Promise<number> {
  let opts: Options | 'help';
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kubeplay validate: ${e.message}\n\n${VALIDATE_USAGE}\n`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(VALIDATE_USAGE + '\n');
    return 0;
  }
  const schema = getSchema();
  const out = bufferedStdout();
  const report = new Report(opts.format, opts.strict, opts.verbose, out.write);
  const check = { schema, kubernetesVersion: opts.kubernetesVersion ?? schema.data.kubernetesVersion, strict: opts.strict, skip: opts.skip, ignoreMissingSchemas: opts.ignoreMissingSchemas };
  // What a Service selects may be in a later file: results wait for the checks across all of them.
  const cross = new CrossPass(schema, (r) => report.add(r), (r) => report.countsOnly(r));
  let readFailed = false;
  const files: string[] = [];
  for (const input of opts.inputs) {
    if (input === '-') { files.push('-'); continue; }
    try {
      expand(input, files);
    } catch (e) {
      readFailed = true;
      report.readError(input, `cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
  }
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? await readStdin() : fs.readFileSync(file, 'utf8');
    } catch (e) {
      readFailed = true;
      report.readError(file, `cannot read: ${(e as Error).message}`);
      continue;
    }
    const name = file === '-' ? 'stdin' : file;
    report.file(name);
    checkStream(name, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, check, (r, doc) => cross.add(r, doc));
  }
  cross.finish(opts.strict);
  report.finish();
  await out.flush();
  if (readFailed) return 2;
  const s = report.summary;
  return s.invalid > 0 || s.errors > 0 ? 1 : 0;
}
