import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { runValidate } from '../../../cli/src/validate';
import { locate } from '../../../cli/src/validateCheck';
import { fastLocate } from '../../../cli/src/validateLocate';
import { splitLines } from '../../../cli/src/validateYaml';
import type { FieldPath } from '../../../kube/src/rules/types';
import { diagnose } from './helpers';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const ow = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += String(chunk);
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await runValidate(args), out };
  } finally {
    process.stdout.write = ow;
  }
}

/** The codes of the checks across objects (kube/src/cross). */
const CROSS = new Set(['service-selects-nothing', 'unknown-target-port', 'target-port-unserved', 'missing-reference', 'quota-must-specify', 'pod-security',
  'probe-port-unserved', 'run-as-root-image', 'autoscaler-missing-request', 'ingress-no-class', 'ingress-backend-port', 'netpol-blocks-dns']);

const APP = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http   # the Deployment names its port "web"
---
apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector: {app: nobody}
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: probe
  namespace: team
spec:
  containers:
  - name: web
    image: nginx
    readinessProbe:
      httpGet:
        port: 8080
  volumes:
  - name: creds
    secret:
      secretName: creds
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: front
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 8080
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: ghost
  spec:
    selector:
      app: ghost
    ports:
    - port: 80
`;

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
          name: web
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: q
  namespace: team
spec:
  hard:
    requests.cpu: "2"
`;

const SEVERITY: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

describe('validate/cli: checks across files', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-cross-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it('says what the language server says across the files given, at the same places', async () => {
    const app = write('app.yaml', APP);
    const r = await run(['-o', 'json', app, write('workloads.yaml', WORKLOADS)]);
    const cli = (JSON.parse(r.out).resources as { filename: string; validationErrors: { code: string; severity: string; msg: string; line: number; column: number }[] }[])
      .filter((x) => x.filename === app)
      .flatMap((x) => x.validationErrors.filter((e) => CROSS.has(e.code)).map((e) => `${e.line}:${e.column} ${e.severity} ${e.code}: ${e.msg}`));
    const ls = diagnose(APP, { others: { 'workloads.yaml': WORKLOADS } }).list
      .filter((d) => CROSS.has(String(d.code)))
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity!]} ${d.code}: ${d.message}`);
    const sort = (l: string[]) => [...l].sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
    assert.deepStrictEqual(sort(cli), sort(ls));
    // Every kind of finding the fixture was written for, the List's item included.
    const codes = new Set(cli.map((l) => l.split(' ')[2].replace(/:$/, '')));
    for (const c of ['unknown-target-port', 'service-selects-nothing', 'probe-port-unserved', 'missing-reference', 'quota-must-specify', 'ingress-no-class', 'ingress-backend-port']) assert.ok(codes.has(c), `${c} in ${cli.join('\n')}`);
    assert.ok(cli.some((l) => l.startsWith('62:5 information service-selects-nothing') && l.includes('app=ghost')), cli.join('\n'));
  });

  it('a Service selecting pods of another file is quiet; given alone, it selects nothing', async () => {
    const svc = write('svc.yaml', APP.split('---\n')[0].replace('targetPort: http', 'targetPort: web'));
    const deploy = write('deploy.yaml', WORKLOADS.split('---\n')[0]);
    const together = await run([svc, deploy]);
    assert.strictEqual(together.code, 0);
    assert.doesNotMatch(together.out, /service-selects-nothing|unknown-target-port/);
    const alone = await run([svc]);
    assert.strictEqual(alone.code, 0, 'information does not fail');
    assert.match(alone.out, new RegExp(`svc\\.yaml:6:3 - Service web information: spec\\.selector: No pod template in the workspace has the labels app=web, so this Service has no endpoints here\\. \\[service-selects-nothing\\]`));
  });

  it('a warning across objects fails the resource only with --strict, as the rules\' warnings do', async () => {
    const files = [write('app2.yaml', APP.split('---\n')[0]), write('deploy2.yaml', WORKLOADS.split('---\n')[0])];
    const plain = await run(files);
    assert.strictEqual(plain.code, 0);
    assert.match(plain.out, /app2\.yaml:10:17 - Service web warning: spec\.ports\[0\]\.targetPort: No container selected by this Service has a port named "http"\. Named ports: web\. \[unknown-target-port\]/);
    const strict = await run(['--strict', ...files]);
    assert.strictEqual(strict.code, 1);
    assert.match(strict.out, /Service web is invalid: spec\.ports\[0\]\.targetPort: .*\[unknown-target-port\]/);
    assert.match(strict.out, /Valid: 1, Invalid: 1/);
  });
});

describe('validate/locate: the indentation locator agrees with the parser', () => {
  /** Every path of a value, the value itself included. */
  function paths(v: unknown, at: FieldPath = []): FieldPath[] {
    const out: FieldPath[] = at.length ? [at] : [];
    if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
    return out;
  }

  it('gives the line and column locate gives, or nothing', () => {
    const stream = `---\n${APP}---\n# a comment\n${WORKLOADS}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\n  labels: {a: b}\ndata:\n  script: |\n    key: not a key\n    - nor an item\n  "quoted": x\n  empty:\n  list:\n  -\n    nested: 1\n  - [1, 2]\n  -   spaced: 2\n      next: 3\n`;
    const lines = splitLines(stream);
    let starts = lines.flatMap((l, i) => (l === '---' ? [i] : []));
    starts = starts.concat(lines.length);
    let compared = 0;
    for (let d = 0; d + 1 < starts.length; d++) {
      const [start, end] = [starts[d], starts[d + 1]];
      const value = parseDocument(lines.slice(start, end).join('\n')).toJS();
      for (const p of paths(value)) {
        for (const target of ['key', 'value'] as const) {
          const fast = fastLocate(lines, start, end, p, target);
          if (!fast) continue;
          const [slow] = locate(lines, start, end, [{ code: 'x', severity: 'information', message: '', path: p, target }]);
          assert.deepStrictEqual(fast, { line: slow.line, column: slow.column }, `${p.join('.')} (${target})`);
          compared++;
        }
      }
    }
    assert.ok(compared > 150, `compared ${compared}`);
  });
});
