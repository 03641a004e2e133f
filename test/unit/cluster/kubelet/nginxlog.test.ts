import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { namespaceProcs } from '../../../../cluster/src/kubelet/procs';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS } from './webfixture';

/**
 * What the official nginx image writes as it starts (`kubectl logs` of a fresh nginx pod): docker-nginx's
 * /docker-entrypoint.sh and its scripts, then nginx's notices on its error log, with the node's kernel, its
 * CPUs as workers, and the workers' PIDs as `ps` shows them; and the error line of a request for a missing file.
 */
const NODES = { group: '', version: 'v1', resource: 'nodes' };

const PODS_YAML = `
apiVersion: v1
kind: Pod
metadata: {name: latest}
spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec: {containers: [{name: web, image: "nginx:1.27.4"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: quiet}
spec: {containers: [{name: web, image: "nginx:1.29.0", env: [{name: NGINX_ENTRYPOINT_QUIET_LOGS, value: "1"}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: direct}
spec: {containers: [{name: web, image: "nginx:1.29.4", command: [nginx, -g, "daemon off;"]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: viaargs}
spec: {containers: [{name: web, image: "nginx:1.28.0", args: [nginx, -g, "daemon off;"]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
`;

const ENTRYPOINT = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
  '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
  '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
  '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
  '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
];

describe('the nginx image\'s log', () => {
  let pg: KubePlayground;
  const pod = (name: string) => pg.api.get(PODS, 'default', name) as KObject;
  const logsOf = (name: string) => [...pg.logs('default', name)];
  const node = (name: string) => pg.api.get(NODES, undefined, pod(name).spec!.nodeName!) as KObject;
  /** The notices' time: ngx_log_error's `yyyy/mm/dd hh:mm:ss` of when the container started. */
  const at = (name: string) => pod(name).status!.containerStatuses[0].state.running.startedAt.replace('T', ' ').replace(/-/g, '/').replace('Z', '');
  // The container's processes, as `ps` lists them (procs.ts; the Debian image itself has no ps).
  const workerPids = (name: string) => namespaceProcs(pg.execWorld(pod(name), 'web')).filter((p) => p.args === 'nginx: worker process').map((p) => p.pid);

  before(() => {
    pg = new KubePlayground({ seed: 11 });
    pg.apply(PODS_YAML);
    pg.runUntil(() => false, 20_000);
  });
  after(() => pg.close());

  it('prints the entrypoint\'s lines, then nginx\'s notices: the version, its compiler, the node\'s kernel, the open-files limit, one worker per CPU', () => {
    const cpus = Number(node('latest').status!.capacity.cpu);
    const kernel = node('latest').status!.nodeInfo.kernelVersion;
    const t = at('latest');
    const pids = workerPids('latest');
    assert.equal(pids.length, cpus);
    assert.deepEqual(logsOf('latest'), [
      ...ENTRYPOINT,
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: nginx/1.29.4`,
      `${t} [notice] 1#1: built by gcc 14.2.0 (Debian 14.2.0-19) `,
      `${t} [notice] 1#1: OS: Linux ${kernel}`,
      `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1024:524288`,
      `${t} [notice] 1#1: start worker processes`,
      ...pids.map((p) => `${t} [notice] 1#1: start worker process ${p}`),
    ]);
    // The entrypoint's scripts ran their commands before it exec'd nginx: the first worker is PID 29, as in the image.
    assert.deepEqual(pids, Array.from({ length: cpus }, (_, i) => 29 + i));
  });

  it('names the tag\'s version, and the compiler only where the image\'s build is known', () => {
    const t = at('pinned');
    const logs = logsOf('pinned');
    assert.deepEqual(logs.slice(ENTRYPOINT.length, ENTRYPOINT.length + 3), [
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: nginx/1.27.4`,
      `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
    ]);
    // 1.28.0's build is not one the playground knows: no `built by` line rather than a made-up one.
    const other = logsOf('viaargs');
    assert.ok(other.includes(`${at('viaargs')} [notice] 1#1: nginx/1.28.0`));
    assert.ok(!other.some((l) => l.includes('built by')));
  });

  it('NGINX_ENTRYPOINT_QUIET_LOGS silences the entrypoint, not nginx; the scripts still ran', () => {
    const logs = logsOf('quiet');
    assert.ok(!logs.some((l) => l.includes('docker-entrypoint') || l.includes('10-listen-on-ipv6')));
    assert.equal(logs[0], `${at('quiet')} [notice] 1#1: using the "epoll" event method`);
    assert.ok(logs.includes(`${at('quiet')} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) `));
    assert.equal(workerPids('quiet')[0], 29);
    assert.ok(logs.includes(`${at('quiet')} [notice] 1#1: start worker process 29`));
  });

  it('runs the scripts only when the entrypoint\'s first argument is nginx: a command of its own skips them', () => {
    // `command` replaces /docker-entrypoint.sh: nginx is PID 1 and forks its workers right after it.
    const direct = logsOf('direct');
    assert.ok(!direct.some((l) => l.includes('docker-entrypoint')));
    const pids = workerPids('direct');
    assert.equal(pids[0], 2);
    assert.deepEqual(direct.filter((l) => / start worker process \d+$/.test(l)).map((l) => Number(l.split(' ').pop())), pids);
    // `args` go to the entrypoint, which runs its scripts for `nginx ...`.
    const viaArgs = logsOf('viaargs');
    assert.deepEqual(viaArgs.slice(0, ENTRYPOINT.length), ENTRYPOINT);
    assert.equal(workerPids('viaargs')[0], 29);
  });

  it('writes the error line of a missing file before its access line, numbering the connections', () => {
    const web = pod('latest');
    const client = pod('client');
    const sh = new ShellState(pg.execWorld(client, 'c'));
    const before = logsOf('latest').length;
    assert.equal(sh.run(`wget -qO- http://${web.status!.podIP}/`).code, 0);
    assert.notEqual(sh.run(`wget -qO- --header 'Referer: http://x/' http://${web.status!.podIP}/favicon.ico`).code, 0);
    const t = new Date(pg.clock.now()).toISOString().replace('T', ' ').replace(/-/g, '/').replace(/\.\d{3}Z$/, '');
    const added = logsOf('latest').slice(before);
    assert.equal(added.length, 3, added.join('\n'));
    assert.match(added[0], /^\S+ - - \[.*\] "GET \/ HTTP\/1\.1" 200 615 /);
    // ngx_http_static_handler's open() failure, with ngx_http_log_error's client, server, request, host and referrer.
    assert.equal(added[1], `${t} [error] 29#29: *2 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: ${client.status!.podIP}, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "${web.status!.podIP}", referrer: "http://x/"`);
    assert.match(added[2], /^\S+ - - \[.*\] "GET \/favicon\.ico HTTP\/1\.1" 404 \d+ "http:\/\/x\/" /);
  });
});
