/**
 * The folder the workbench opens: a copy of examples/ (what users start from) plus the e2e
 * fixtures under e2e/. A copy, because scenarios edit files and the repo must stay clean.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './paths.mjs';

export const SEED = 'examples/02-seed-deployment.yaml';

export function makeWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const examples = path.join(REPO, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, path.join(dir, 'examples'), { recursive: true });
  fs.cpSync(path.join(REPO, 'test', 'e2e', 'fixtures'), path.join(dir, 'e2e'), { recursive: true });
  // The seed's Deployment in its apps/v1 form, at 3 replicas so there is a ReplicaSet of 3 to watch.
  const seedFile = path.join(REPO, SEED);
  if (fs.existsSync(seedFile)) {
    const seed = fs.readFileSync(seedFile, 'utf8');
    if (!/^\s*replicas:\s*\d+\s*$/m.test(seed)) throw new Error(`${SEED} has no replicas line to set to 3`);
    fs.writeFileSync(path.join(dir, 'e2e', 'seed-deployment-3.yaml'), seed.replace(/^(\s*)replicas:\s*\d+\s*$/m, '$1replicas: 3'));
  }
  return dir;
}
