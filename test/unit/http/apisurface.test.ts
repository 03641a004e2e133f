/**
 * On the wire against a whole playground: `kubectl get` of flowschemas, prioritylevelconfigurations, servicecidrs
 * and ipaddresses gets upstream's columns (flowschemas in matching order), every answer but a long-running one
 * carries the X-Kubernetes-PF-* UIDs of its FlowSchema and priority level, and a resourceVersion the storage
 * cannot parse is refused as the watch cache and the etcd3 store refuse it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { newTestPlayground } from '../../../cluster/src/testing';
import { startApiHttpServer, type ApiHttpServer } from '../../../cluster/src/http/server';
import { ensureTls } from '../../../cluster/src/http/tls';
import { ensureToken } from '../../../cluster/src/http/kubeconfig';
import { getSchema } from '../../../kube/src/schema';
import type { KubePlayground } from '../../../cluster/src/playground';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

describe('http: APF and service-IP resources, PF headers, unparseable resourceVersions', function () {
  this.timeout(30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-apisurface-'));
  let pg: KubePlayground;
  let srv: ApiHttpServer;
  let tls: { caCert: string };
  let token: string;
  before(async () => {
    pg = newTestPlayground();
    pg.advance(2_000);
    tls = ensureTls(dir);
    token = ensureToken(dir);
    srv = await startApiHttpServer({ playground: pg, schema: getSchema().data, token, tls, port: 0 } as any);
  });
  after(async () => {
    await srv.close();
    pg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const send = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => new Promise<{ status: number; headers: any; json: any }>((resolve, reject) => {
    const req = https.request(srv.url + p, { method, ca: tls.caCert, headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: parse(text) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
  const get = (p: string, headers: Record<string, string> = {}) => send('GET', p, undefined, headers);
  const parse = (text: string) => {
    try {
      return JSON.parse(text);
    } catch {
      return text.startsWith('{') ? JSON.parse(text.split('\n')[0]) : text;
    }
  };
  const table = async (p: string) => {
    const r = await get(p, { accept: TABLE });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return { columns: r.json.columnDefinitions.map((c: any) => c.name), rows: r.json.rows.map((x: any) => x.cells) };
  };

  it('prints flowschemas by matching precedence, and the priority levels, with upstream columns', async () => {
    const f = await table('/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas');
    assert.deepEqual(f.columns, ['Name', 'PriorityLevel', 'MatchingPrecedence', 'DistinguisherMethod', 'Age', 'MissingPL']);
    assert.deepEqual(f.rows.map((r: any[]) => r[0]), ['exempt', 'probes', 'system-leader-election', 'endpoint-controller', 'workload-leader-election',
      'system-node-high', 'system-nodes', 'kube-controller-manager', 'kube-scheduler', 'kube-system-service-accounts', 'service-accounts', 'global-default', 'catch-all']);
    assert.deepEqual(f.rows[0].filter((_: any, i: number) => i !== 4), ['exempt', 'exempt', 1, '<none>', 'False']);
    assert.deepEqual(f.rows[7].filter((_: any, i: number) => i !== 4), ['kube-controller-manager', 'workload-high', 800, 'ByNamespace', 'False']);
    const p = await table('/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations');
    assert.deepEqual(p.columns, ['Name', 'Type', 'NominalConcurrencyShares', 'Queues', 'HandSize', 'QueueLengthLimit', 'Age']);
    const row = (n: string) => p.rows.find((r: any[]) => r[0] === n).slice(0, 6);
    assert.deepEqual(row('exempt'), ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>']);
    assert.deepEqual(row('catch-all'), ['catch-all', 'Limited', 5, '<none>', '<none>', '<none>']);
    assert.deepEqual(row('system'), ['system', 'Limited', 30, 64, 6, 50]);
  });

  it('prints servicecidrs and ipaddresses with upstream columns', async () => {
    const c = await table('/apis/networking.k8s.io/v1/servicecidrs');
    assert.deepEqual(c.columns, ['Name', 'CIDRs', 'Age']);
    assert.deepEqual(c.rows[0].slice(0, 2), ['kubernetes', '10.96.0.0/12']);
    const i = await table('/apis/networking.k8s.io/v1/ipaddresses');
    assert.deepEqual(i.columns, ['Name', 'ParentRef']);
    assert.deepEqual(i.rows.find((r: any[]) => r[0] === '10.96.0.1').slice(0, 2), ['10.96.0.1', 'services/default/kubernetes']);
  });

  it('names the FlowSchema and priority level a request was put in, except in a long-running answer', async () => {
    const exempt = (pg.api.get({ group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas' }, undefined, 'exempt') as any).metadata.uid;
    const level = (pg.api.get({ group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'prioritylevelconfigurations' }, undefined, 'exempt') as any).metadata.uid;
    for (const p of ['/api/v1/namespaces/default/pods', '/version', '/api/v1/namespaces/default/services/nope']) {
      const r = await get(p);
      assert.equal(r.headers['x-kubernetes-pf-flowschema-uid'], exempt, p);
      assert.equal(r.headers['x-kubernetes-pf-prioritylevel-uid'], level, p);
    }
    const logs = await get('/api/v1/namespaces/kube-system/pods/nope/log');
    assert.equal(logs.headers['x-kubernetes-pf-flowschema-uid'], undefined);
  });

  it('answers a resourceVersion strconv.ParseUint refuses: 500 from the watch cache, 400 from an exact list', async () => {
    const msg = 'resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax';
    for (const p of ['/api/v1/namespaces/default/pods?resourceVersion=abc', '/api/v1/namespaces/default/services/kubernetes?resourceVersion=abc',
      '/api/v1/namespaces/default/pods?watch=true&resourceVersion=abc']) {
      const r = await get(p);
      assert.equal(r.status, 500, p);
      assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: msg, code: 500 });
    }
    const exact = await get('/api/v1/namespaces/default/pods?resourceVersion=abc&limit=500');
    assert.equal(exact.status, 400);
    assert.equal(exact.json.reason, 'BadRequest');
    assert.equal(exact.json.message, `invalid resource version: ${msg}`);
    const big = await get('/api/v1/pods?resourceVersion=99999999999999999999');
    assert.equal(big.json.message, 'resourceVersion: Invalid value: "99999999999999999999": strconv.ParseUint: parsing "99999999999999999999": value out of range');
    assert.equal((await get('/api/v1/pods?resourceVersion=0')).status, 200);
  });

  it('answers an update whose resourceVersion strconv.ParseUint refuses with the store\'s bare 500, not a conflict', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const json = { 'content-type': 'application/json' };
    const made = await send('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rvput' }, data: { a: '1' } }, json);
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const put = (rv: string) => send('PUT', `${base}/rvput`, { ...made.json, metadata: { ...made.json.metadata, resourceVersion: rv } }, json);
    const abc = await put('abc');
    assert.equal(abc.status, 500);
    assert.deepEqual(abc.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'strconv.ParseUint: parsing "abc": invalid syntax', code: 500 });
    assert.equal((await put('99999999999999999999')).json.message, 'strconv.ParseUint: parsing "99999999999999999999": value out of range');
    const patched = await send('PATCH', `${base}/rvput`, { metadata: { resourceVersion: '-1' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(patched.status, 500);
    assert.equal(patched.json.message, 'strconv.ParseUint: parsing "-1": invalid syntax');
    // A number still takes the optimistic lock; one that reads as 0 is an unconditional update, as "" is.
    const stale = await put('1');
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
    assert.equal((await put('00')).status, 200);
  });
});
