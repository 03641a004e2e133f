/**
 * Golden transcript: the events of a small rolling update, in order, with
 * simulated times. Regenerate with UPDATE_GOLDEN=1 after an intended change.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { World, START } from './harness/world';

const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };
// Tests run from TS (tsx) or from out/ (tsc): the golden file lives beside the source.
const GOLDEN = path.resolve(__dirname.replace(/([\\/])out\1test\1/, '$1test$1'), 'golden', 'rolling-update.txt');

function transcript(): string {
  const w = new World({ startMs: 2000 });
  w.api.create(DEPLOYMENTS, 'default', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
  });
  w.advance(10_000);
  const d = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
  d.spec.template.spec.containers[0].image = 'nginx:2';
  w.api.update(DEPLOYMENTS, 'default', d);
  w.advance(30_000);
  return w.events.map((e) => `+${((e.time - START) / 1000).toFixed(3)}s ${e.component} ${e.regarding} ${e.type} ${e.reason}: ${e.message}`).join('\n') + '\n';
}

describe('golden transcripts', () => {
  it('rolling update of 4 replicas, maxSurge 1, maxUnavailable 1', () => {
    const got = transcript();
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, got);
    assert.strictEqual(got, fs.readFileSync(GOLDEN, 'utf8'));
  });
});
