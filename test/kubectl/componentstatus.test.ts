/**
 * `kubectl get cs`, as older tutorials (the seed among them) teach it, with
 * every real kubectl we have: the deprecation warning on stderr, upstream's
 * table, and the `/readyz?verbose` and `/livez?verbose` that upstream points
 * to instead.
 */
import * as assert from 'node:assert/strict';
import { servePlayground } from './playground';
import { kubectls } from './binaries';
import type { RunResult } from './run';

const WARNING = 'Warning: v1 ComponentStatus is deprecated in v1.19+\n';

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.killed, false, `${what}: timed out\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.equal(r.code, 0, `${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

for (const k of kubectls()) {
  describe(`kubectl get componentstatuses with kubectl ${k.label}`, function () {
    this.timeout(60_000);
    const { kc } = servePlayground(k.path, { prefix: 'cs', nodes: 1 });
    const okc = async (args: string[]) => ok(await kc(args), `kubectl ${args.join(' ')}`);

    it('prints the three components, healthy, under the deprecation warning', async () => {
      // kubectl's tab writer pads the last non-empty cell before the empty ERROR cell.
      const table =
        'NAME                 STATUS    MESSAGE   ERROR\n' +
        'controller-manager   Healthy   ok        \n' +
        'scheduler            Healthy   ok        \n' +
        'etcd-0               Healthy   ok        \n';
      for (const args of [['get', 'cs'], ['get', 'componentstatuses'], ['get', 'componentstatus', '-o', 'wide']]) {
        const r = await okc(args);
        assert.equal(r.stdout, table, args.join(' '));
        assert.equal(r.stderr, WARNING, args.join(' '));
      }
    });

    it('gets one by name, as yaml and json, with the name as its only metadata', async () => {
      const y = await okc(['get', 'cs', 'scheduler', '-o', 'yaml']);
      assert.equal(
        y.stdout,
        'apiVersion: v1\nconditions:\n- message: ok\n  status: "True"\n  type: Healthy\nkind: ComponentStatus\nmetadata:\n  name: scheduler\n',
      );
      assert.equal(y.stderr, WARNING);
      const list = JSON.parse((await okc(['get', 'cs', '-o', 'json'])).stdout);
      assert.deepEqual(list.items.map((i: any) => i.metadata), [
        { name: 'controller-manager' },
        { name: 'scheduler' },
        { name: 'etcd-0' },
      ]);
      assert.equal(await (await okc(['get', 'cs', 'etcd-0', '-o', 'jsonpath={.conditions[0].status}'])).stdout, 'True');
    });

    it('filters by field and label selector on the list', async () => {
      const one = await okc(['get', 'cs', '--field-selector', 'metadata.name=etcd-0']);
      assert.equal(one.stdout, 'NAME     STATUS    MESSAGE   ERROR\netcd-0   Healthy   ok        \n');
      const two = await okc(['get', 'cs', '--field-selector', 'metadata.name!=etcd-0', '-o', 'name']);
      assert.equal(two.stdout, 'componentstatus/controller-manager\ncomponentstatus/scheduler\n');
      const none = await okc(['get', 'cs', '-l', 'tier=control-plane']);
      assert.equal(none.stdout, '');
      assert.equal(none.stderr, `${WARNING}No resources found\n`);
      const bad = await kc(['get', 'cs', '--field-selector', 'spec.x=1']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /Error from server \(BadRequest\): .*"spec\.x" is not a known field selector: only "metadata\.name", "metadata\.namespace"\n$/);
    });

    it('words field-selector refusals as upstream, so kubectl wraps them once, for resources with and without their own field labels', async () => {
      const pods = await kc(['get', 'pods', '--field-selector', 'foo=bar']);
      assert.equal(pods.code, 1);
      assert.equal(pods.stderr, 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "foo=bar": field label not supported: foo\n');
      const cms = await kc(['get', 'configmaps', '-A', '--field-selector', 'data.x=1']);
      assert.equal(cms.code, 1);
      assert.equal(
        cms.stderr,
        'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "", field selector "data.x=1": "data.x" is not a known field selector: only "metadata.name", "metadata.namespace"\n',
      );
    });

    it('refuses writes and watch, and names an unknown component as upstream does', async () => {
      const del = await kc(['delete', 'cs', 'scheduler']);
      assert.equal(del.code, 1);
      assert.equal(del.stderr, 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n');
      const missing = await kc(['get', 'cs', 'kube-proxy']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, `${WARNING}Error from server: Component not found: kube-proxy\n`);
      const watch = await kc(['get', 'cs', '--watch-only', '--request-timeout=5s']);
      assert.equal(watch.code, 1);
      assert.match(watch.stderr, /Error from server \(MethodNotAllowed\): watch is not supported on resources of kind "componentstatuses"\n$/);
    });

    it('lists the resource in api-resources with its short name and only get and list', async () => {
      const r = await okc(['api-resources', '--api-group=', '-o', 'wide']);
      const line = r.stdout.split('\n').find((l) => l.startsWith('componentstatuses '));
      assert.ok(line, r.stdout);
      assert.deepEqual(line!.trim().split(/\s+/), ['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus', 'get,list']);
    });

    it('answers /readyz?verbose and /livez?verbose check by check', async () => {
      const ready = (await okc(['get', '--raw', '/readyz?verbose'])).stdout.split('\n');
      assert.deepEqual(ready.slice(0, 5), ['[+]ping ok', '[+]log ok', '[+]etcd ok', '[+]etcd-readiness ok', '[+]informer-sync ok']);
      assert.deepEqual(ready.slice(-3), ['[+]shutdown ok', 'readyz check passed', '']);
      assert.ok(ready.slice(0, -2).every((l) => /^\[\+\]\S+ ok$/.test(l)), ready.join('\n'));
      const live = (await okc(['get', '--raw', '/livez?verbose'])).stdout.split('\n');
      assert.deepEqual(live.slice(0, 3), ['[+]ping ok', '[+]log ok', '[+]etcd ok']);
      assert.equal(live.at(-2), 'livez check passed');
      assert.ok(!live.includes('[+]shutdown ok'), 'shutdown is a readiness check only');
      assert.equal((await okc(['get', '--raw', '/readyz'])).stdout, 'ok');
      assert.equal((await okc(['get', '--raw', '/livez/etcd'])).stdout, 'ok');
    });
  });
}
