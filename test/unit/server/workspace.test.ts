import * as assert from 'assert';
import { getSchema } from '../../../kube/src/schema/index';
import { buildModel } from '../../../server/src/service/model';
import { indexModel, Workspace } from '../../../server/src/service/workspace';

const schema = getSchema();
const kinds = (a: string, k: string) => schema.kind(a, k);

describe('server/workspace', () => {
  const files = {
    'file:///w/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: prod}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 0 * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {job: nightly}}\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox, ports: [{containerPort: 9000, name: metrics}]}]\n',
    'file:///w/b.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s1}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: svc}\n  spec: {selector: {job: nightly}}\n',
  };
  const ws = new Workspace();
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, indexModel(buildModel(uri, 0, text, kinds)));

  it('indexes names by kind, with namespaces', () => {
    assert.ok(ws.has('ConfigMap', 'cfg'));
    assert.ok(ws.has('ConfigMap', 'cfg', 'prod'));
    assert.ok(!ws.has('ConfigMap', 'cfg', 'dev'));
    assert.ok(ws.has('Secret', 's1'), 'List items are indexed');
    assert.deepStrictEqual(ws.byKind('Secret')[0].path, ['items', 0]);
  });

  it('finds pod templates and their ports, and Service selectors', () => {
    const cron = ws.workloads().find((w) => w.kind === 'CronJob')!;
    assert.deepStrictEqual(cron.podTemplate!.path, ['spec', 'jobTemplate', 'spec', 'template']);
    assert.deepStrictEqual(cron.podTemplate!.labels, { job: 'nightly' });
    assert.deepStrictEqual(cron.podTemplate!.containers, [{ name: 'c', ports: [{ containerPort: 9000, name: 'metrics', protocol: undefined }], requests: [], limits: [], listens: [], image: 'busybox' }], 'busybox listens nowhere unless its command starts a server');
    assert.deepStrictEqual(ws.byKind('Service')[0].serviceSelector, { job: 'nightly' });
  });

  it('lets an open document replace its file, and forgets closed ones', () => {
    const uri = 'file:///w/a.yaml';
    ws.setOpen(uri, indexModel(buildModel(uri, 1, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: renamed}\n', kinds)));
    assert.ok(!ws.has('ConfigMap', 'cfg'));
    assert.ok(ws.has('ConfigMap', 'renamed'));
    ws.closeOpen(uri);
    assert.ok(ws.has('ConfigMap', 'cfg'));
    ws.removeFile(uri);
    assert.ok(!ws.has('ConfigMap', 'cfg'));
  });
});
