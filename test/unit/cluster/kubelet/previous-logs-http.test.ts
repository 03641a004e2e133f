import * as assert from 'node:assert/strict';
import { useHarness } from '../../http/harness';

/** `kubectl logs --previous` goes to pods/{name}/log?previous=true; the answer comes from the pod's lastState. */
describe('pods/log?previous=true over HTTP', function () {
  this.timeout(20_000);
  const h = useHarness();

  const base = '/api/v1/namespaces/default/pods/prev';
  async function setStatus(containerStatus: any): Promise<void> {
    const cur = (await h.request('GET', base)).json();
    const status = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 1, image: 'docker.io/library/busybox:latest', imageID: '', ...containerStatus }] };
    const r = await h.request('PUT', `${base}/status`, { body: { ...cur, status } });
    assert.equal(r.status, 200, r.text);
  }

  it('answers upstream\'s 400 without a previous instance, and the previous instance\'s lines with one', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'prev' }, spec: { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 3; exit 2'] }] } };
    assert.equal((await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod })).status, 201);
    // No node yet: the apiserver has no kubelet to ask, and the log is empty (LogLocation).
    let r = await h.request('GET', `${base}/log?previous=true`);
    assert.deepEqual([r.status, r.text], [200, '']);
    await h.request('POST', `${base}/binding`, { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'prev' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } } });
    // Still creating: the kubelet checks for a previous instance before anything else.
    r = await h.request('GET', `${base}/log?previous=true`);
    assert.equal(r.status, 400);
    assert.deepEqual([r.json().kind, r.json().reason, r.json().code], ['Status', 'BadRequest', 400]);
    assert.equal(r.json().message, 'previous terminated container "app" in pod "prev" not found');
    await setStatus({ state: { running: { startedAt: '2026-01-01T00:00:10Z' } }, lastState: {} });
    r = await h.request('GET', `${base}/log?previous=true`);
    assert.equal(r.status, 400);
    assert.equal(r.json().message, 'previous terminated container "app" in pod "prev" not found');
    await setStatus({
      state: { running: { startedAt: '2026-01-01T00:00:20Z' } },
      lastState: { terminated: { exitCode: 2, reason: 'Error', startedAt: '2026-01-01T00:00:10Z', finishedAt: '2026-01-01T00:00:13Z', containerID: 'containerd://abc' } },
    });
    r = await h.request('GET', `${base}/log?previous=true`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, [
      '2026-01-01 00:00:10 kubeplay: container "app" of pod "prev" started from image docker.io/library/busybox:latest',
      '2026-01-01 00:00:10 kubeplay: running "sh -c sleep 3; exit 2"',
      '2026-01-01 00:00:13 kubeplay: exiting with code 2',
      '',
    ].join('\n'));
    const tail = await h.request('GET', `${base}/log?previous=true&tailLines=1`);
    assert.equal(tail.text, '2026-01-01 00:00:13 kubeplay: exiting with code 2\n');
    // Without previous the current instance's log is served, as before.
    assert.equal((await h.request('GET', `${base}/log`)).text, 'line one\nline two\nline three\n');
  });
});
