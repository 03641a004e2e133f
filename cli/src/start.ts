/**
 * `kubeplay start` (`npm start`): the main job. For now it checks the bundled
 * examples/ — YAML syntax and that each document's apiVersion/kind is a
 * known Kubernetes kind — and prints the result. The playground replaces this
 * with: start the cluster, apply examples/, watch it settle.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { getSchema } from '../../kube/src/schema';

function examplesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const p = path.join(dir, 'examples');
    if (fs.existsSync(p) && fs.existsSync(path.join(dir, 'package.json'))) return p;
  }
  throw new Error('examples/ not found');
}

export async function runStart(argv: string[]): Promise<number> {
  const dir = argv.find((a) => !a.startsWith('-')) ?? examplesDir();
  const schema = getSchema();
  let bad = 0;
  let count = 0;
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (!('errors' in doc)) continue;
      count++;
      const v = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } } | null;
      const label = `${f}: ${v?.kind ?? '?'}/${v?.metadata?.name ?? '?'}`;
      if (doc.errors.length) {
        bad++;
        console.log(`${label}: ${doc.errors[0].message}`);
      } else if (!v?.apiVersion || !v.kind || !schema.kind(v.apiVersion, v.kind)) {
        bad++;
        console.log(`${label}: unknown apiVersion/kind ${v?.apiVersion}/${v?.kind}`);
      } else console.log(`${label}: ok (${v.apiVersion})`);
    }
  }
  console.log(`${count} documents, ${bad} with problems (schema of Kubernetes ${schema.data.kubernetesVersion})`);
  return bad ? 1 : 0;
}
