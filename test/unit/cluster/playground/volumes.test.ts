/**
 * What containers write, across the whole playground: a StatefulSet pod's
 * claim keeps its files when the pod is replaced, an emptyDir goes with its
 * pod, a container restart empties its layer, and the files survive a
 * playground restart from its state folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';

const STS = `apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: main
        image: busybox
        command: [sleep, infinity]
        volumeMounts: [{name: data, mountPath: /data}, {name: scratch, mountPath: /scratch}]
      volumes: [{name: scratch, emptyDir: {}}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

/** Runs a line in a fresh exec session of the pod's container, as `kubectl exec` does. */
function exec(pg: KubePlayground, pod: string, line: string) {
  const p = pg.api.get(R.pods, 'default', pod);
  return new ShellState(pg.execWorld(p, 'main')).run(line);
}

const uid = (pg: KubePlayground, pod: string) => pg.api.get(R.pods, 'default', pod).metadata.uid;

/** The official nginx image's /usr/share/nginx/html/index.html (1.21.2 and later), as `curl` prints it. */
const WELCOME_615 = [
  '<!DOCTYPE html>', '<html>', '<head>', '<title>Welcome to nginx!</title>', '<style>', 'html { color-scheme: light dark; }',
  'body { width: 35em; margin: 0 auto;', 'font-family: Tahoma, Verdana, Arial, sans-serif; }', '</style>', '</head>', '<body>',
  '<h1>Welcome to nginx!</h1>', '<p>If you see this page, the nginx web server is successfully installed and',
  'working. Further configuration is required.</p>', '', '<p>For online documentation and support please refer to',
  '<a href="http://nginx.org/">nginx.org</a>.<br/>', 'Commercial support is available at',
  '<a href="http://nginx.com/">nginx.com</a>.</p>', '', '<p><em>Thank you for using nginx.</em></p>', '</body>', '</html>', '',
].join('\n');

describe('playground volumes', () => {
  it('keeps a claim\'s files for the replacement pod, and drops the old pod\'s emptyDir and layer', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(STS);
      pg.advance(60_000);
      assert.equal(pg.api.get(R.pods, 'default', 'db-0').status.phase, 'Running');
      assert.equal(exec(pg, 'db-0', 'echo row1 > /data/table; echo tmp > /scratch/t; echo mine > /root/l; cat /data/table').stdout, 'row1\n');
      const before = uid(pg, 'db-0');
      pg.api.delete(R.pods, 'default', 'db-0');
      pg.advance(60_000);
      assert.notEqual(uid(pg, 'db-0'), before);
      assert.equal(pg.api.get(R.pods, 'default', 'db-0').status.phase, 'Running');
      const after = exec(pg, 'db-0', 'cat /data/table; ls /scratch; cat /root/l');
      assert.equal(after.stdout, 'row1\n');
      assert.equal(after.stderr, "cat: can't open '/root/l': No such file or directory\n");
    } finally {
      pg.close();
    }
  });

  it('schedules a pod only where its bound local volume lives (VolumeBinding), with upstream\'s reason', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: PersistentVolume
metadata: {name: local-1}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  local: {path: /mnt/disk}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [gone-node]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim}
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  containers: [{name: main, image: busybox, command: [sleep, infinity], volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: claim}}]
`);
      pg.advance(30_000);
      const p = pg.api.get(R.pods, 'default', 'user');
      assert.equal(p.spec.nodeName, undefined);
      const cond = p.status.conditions.find((c: any) => c.type === 'PodScheduled');
      assert.equal(cond.message, '0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 node(s) had volume node affinity conflict. no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
    } finally {
      pg.close();
    }
  });

  it('plays the documentation\'s shared-volume pod: what the debian container writes, nginx serves from its html folder', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: two-containers}
spec:
  restartPolicy: Never
  volumes: [{name: shared-data, emptyDir: {}}]
  containers:
  - name: nginx-container
    image: nginx
    volumeMounts: [{name: shared-data, mountPath: /usr/share/nginx/html}]
  - name: debian-container
    image: debian
    volumeMounts: [{name: shared-data, mountPath: /pod-data}]
    command: ["/bin/sh"]
    args: ["-c", "echo Hello from the debian container > /pod-data/index.html"]
`);
      pg.advance(60_000);
      const p = pg.api.get(R.pods, 'default', 'two-containers');
      const debian = p.status.containerStatuses.find((c: any) => c.name === 'debian-container');
      assert.equal(debian.state.terminated?.reason, 'Completed');
      const r = new ShellState(pg.execWorld(p, 'nginx-container')).run('cat /usr/share/nginx/html/index.html');
      assert.equal(r.stdout, 'Hello from the debian container\n');
      // ... and nginx serves it: `curl localhost` in the nginx container, as the documentation shows.
      const nginx = new ShellState(pg.execWorld(p, 'nginx-container'));
      assert.equal(nginx.run('curl localhost').stdout, 'Hello from the debian container\n');
      assert.equal(nginx.run('curl -s localhost/nope').stdout, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.29.4</center>\r\n</body>\r\n</html>\r\n');
      assert.deepEqual(nginx.run('curl -sSf http://localhost/nope'), { stdout: '', stderr: 'curl: (22) The requested URL returned error: 404\n', code: 22 });
      // The image has curl (its Dockerfile installs it) and no wget; its sh is dash.
      assert.deepEqual(nginx.run('wget -qO- http://localhost/nope'), { stdout: '', stderr: 'sh: 1: wget: not found\n', code: 127 });
      assert.match(nginx.run('curl -I localhost/index.html').stdout, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.29\.4\r\nDate: .+\r\nContent-Type: text\/html\r\nContent-Length: 32\r\nLast-Modified: .+ GMT\r\nConnection: keep-alive\r\nETag: "[0-9a-f]{8}-20"\r\nAccept-Ranges: bytes\r\n\r\n$/);
    } finally {
      pg.close();
    }
  });

  it('serves a ConfigMap mounted as nginx\'s index.html through a Service; without content of the user\'s, the image\'s welcome page', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: page}
data:
  index.html: "<h1>from a ConfigMap</h1>\\n"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: site}
spec:
  replicas: 2
  selector: {matchLabels: {app: site}}
  template:
    metadata: {labels: {app: site}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27.3
        volumeMounts: [{name: page, mountPath: /usr/share/nginx/html}]
      volumes: [{name: page, configMap: {name: page}}]
---
apiVersion: v1
kind: Service
metadata: {name: site}
spec:
  selector: {app: site}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers: [{name: nginx, image: nginx}]
`);
      pg.advance(60_000);
      const plain = pg.api.get(R.pods, 'default', 'plain');
      const sh = new ShellState(pg.execWorld(plain, 'nginx'));
      assert.equal(sh.run('curl -s http://site').stdout, '<h1>from a ConfigMap</h1>\n');
      assert.equal(sh.run('curl -s http://site/index.html').stdout, '<h1>from a ConfigMap</h1>\n');
      assert.match(sh.run('curl -I http://site/').stdout, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\n/);
      // The image's own html folder: its welcome page (615 bytes in today's images) and 50x.html.
      assert.equal(sh.run('ls /usr/share/nginx/html').stdout, '50x.html\nindex.html\n');
      const page = sh.run('curl -s localhost').stdout;
      assert.equal(page, sh.run('cat /usr/share/nginx/html/index.html').stdout);
      assert.equal(page, WELCOME_615, 'the image\'s page, byte for byte');
      assert.match(sh.run('curl -sI localhost').stdout,
        /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.29\.4\r\nDate: .+ GMT\r\nContent-Type: text\/html\r\nContent-Length: 615\r\nLast-Modified: .+ GMT\r\nConnection: keep-alive\r\nETag: "[0-9a-f]{8}-267"\r\nAccept-Ranges: bytes\r\n\r\n$/);
      assert.equal(Buffer.byteLength(sh.run('cat /usr/share/nginx/html/50x.html').stdout), 497);
      // A file written next to it is served too, and the page stays.
      assert.equal(sh.run('echo hi > /usr/share/nginx/html/hi.txt; curl -s localhost/hi.txt').stdout, 'hi\n');
      assert.equal(sh.run('curl -s localhost/').stdout, page);
    } finally {
      pg.close();
    }
  });

  it('ships the welcome page of the nginx version the tag names, and hides it under an empty volume (403)', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: old}
spec: {containers: [{name: nginx, image: "nginx:1.14.2"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: empty}
spec:
  containers: [{name: nginx, image: "nginx:1.27", volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]}]
  volumes: [{name: html, emptyDir: {}}]
`);
      pg.advance(60_000);
      const old = new ShellState(pg.execWorld(pg.api.get(R.pods, 'default', 'old'), 'nginx'));
      // nginx 1.14.2 (the Deployment example of the Kubernetes documentation) has the page from before the
      // colour-scheme change: 612 bytes, its style indented.
      const page = old.run('curl -s localhost').stdout;
      assert.equal(Buffer.byteLength(page), 612);
      assert.match(page, /<style>\n {4}body \{\n {8}width: 35em;\n/);
      assert.match(old.run('curl -sI localhost').stdout, /\r\nServer: nginx\/1\.14\.2\r\n[^]*\r\nContent-Length: 612\r\n/);
      assert.equal(Buffer.byteLength(old.run('cat /usr/share/nginx/html/50x.html').stdout), 494);
      // Its error pages still had bgcolor="white" (gone in 1.15.4).
      assert.equal(old.run('curl -s localhost/nope').stdout, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body bgcolor="white">\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.14.2</center>\r\n</body>\r\n</html>\r\n');
      // An emptyDir mounted on the html folder hides the image's files: nginx has no index to serve.
      const empty = new ShellState(pg.execWorld(pg.api.get(R.pods, 'default', 'empty'), 'nginx'));
      assert.equal(empty.run('ls /usr/share/nginx/html').stdout, '');
      assert.match(empty.run('curl -s localhost').stdout, /<title>403 Forbidden<\/title>/);
    } finally {
      pg.close();
    }
  });

  it('plays a logging loop that appends to a file, one line per simulated second', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: counter}
spec:
  volumes: [{name: varlog, emptyDir: {}}]
  containers:
  - name: count
    image: busybox:1.28
    args: [/bin/sh, -c, 'i=0; while true; do echo "$i: $(date)" >> /var/log/1.log; i=$((i+1)); sleep 1; done']
    volumeMounts: [{name: varlog, mountPath: /var/log}]
  - name: reader
    image: busybox:1.28
    args: [/bin/sh, -c, 'sleep 3600']
    volumeMounts: [{name: varlog, mountPath: /var/log}]
`);
      pg.advance(30_000);
      const p = pg.api.get(R.pods, 'default', 'counter');
      const lines = new ShellState(pg.execWorld(p, 'reader')).run('cat /var/log/1.log').stdout.split('\n').filter(Boolean);
      assert.ok(lines.length >= 10, `${lines.length} lines`);
      lines.forEach((l, i) => assert.match(l, new RegExp(`^${i}: \\w{3} \\w{3} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} UTC \\d{4}$`)));
      assert.equal(new ShellState(pg.execWorld(p, 'reader')).run('tail -n 1 /var/log/1.log').stdout, lines[lines.length - 1] + '\n');
    } finally {
      pg.close();
    }
  });

  it('lets an exec probe see what kubectl exec removed or wrote: rm /tmp/healthy fails the documentation\'s liveness probe early', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: liveness-exec}
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox
    args: [/bin/sh, -c, touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
`);
      pg.advance(8_000);
      const p = pg.api.get(R.pods, 'default', 'liveness-exec');
      assert.equal(new ShellState(pg.execWorld(p, 'liveness')).run('ls /tmp; rm /tmp/healthy; ls /tmp').stdout, 'healthy\n');
      pg.advance(17_000);
      const events = pg.api.list(R.events, 'default').items.filter((e: any) => e.reason === 'Unhealthy' || e.reason === 'Killing');
      assert.ok(events.some((e: any) => e.reason === 'Killing' && e.message === 'Container liveness failed liveness probe, will be restarted'), JSON.stringify(events.map((e: any) => e.message)));
      const first = events.find((e: any) => e.reason === 'Unhealthy')!;
      assert.equal(first.message, "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
      // Well before the 30 s at which the command itself removes it.
      assert.ok(Date.parse(first.firstTimestamp) - Date.parse(p.status.containerStatuses[0].state.running.startedAt) < 20_000);
    } finally {
      pg.close();
    }
  });

  it('ends a Job whose server image runs another program through args, as that program does', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: ping}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: cli, image: redis, args: [redis-cli, -h, cache, ping]}]
`);
      pg.advance(60_000);
      const job = pg.api.get({ group: 'batch', version: 'v1', resource: 'jobs' }, 'default', 'ping');
      assert.equal(job.status.succeeded, 1);
    } finally {
      pg.close();
    }
  });

  it('refuses a container mounting two volumes at one path, and a subPath out of its volume, with upstream\'s messages', () => {
    const pg = newTestPlayground();
    try {
      const pod = (mounts: any[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
        spec: { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }], containers: [{ name: 'c', image: 'busybox', volumeMounts: mounts }] } });
      assert.throws(() => pg.api.create(R.pods, 'default', pod([{ name: 'a', mountPath: '/d' }, { name: 'b', mountPath: '/d' }]) as any),
        (e: any) => e.status.message === 'Pod "p" is invalid: spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique');
      assert.throws(() => pg.api.create(R.pods, 'default', pod([{ name: 'a', mountPath: '/d', subPath: '../x' }]) as any),
        (e: any) => e.status.message === 'Pod "p" is invalid: spec.containers[0].volumeMounts.subPath: Invalid value: "../x": must not contain \'..\'');
    } finally {
      pg.close();
    }
  });

  it('keeps what a container got at its start: ConfigMap variables, subPath files, Service links; volumes follow within a minute', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {mode: fast, app.conf: "level=1\\n"}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  volumes: [{name: cfg, configMap: {name: cfg}}]
  containers:
  - name: main
    image: busybox
    command: [sleep, infinity]
    env: [{name: MODE, valueFrom: {configMapKeyRef: {name: cfg, key: mode}}}]
    volumeMounts: [{name: cfg, mountPath: /etc/cfg}, {name: cfg, mountPath: /etc/app.conf, subPath: app.conf}]
`);
      pg.advance(20_000);
      const sh = () => new ShellState(pg.execWorld(pg.api.get(R.pods, 'default', 'app'), 'main'));
      assert.equal(sh().run('printenv MODE; cat /etc/cfg/app.conf /etc/app.conf').stdout, 'fast\nlevel=1\nlevel=1\n');
      const cm = pg.api.get(R.configmaps, 'default', 'cfg');
      pg.api.update(R.configmaps, 'default', { ...cm, data: { mode: 'slow', 'app.conf': 'level=2\n' } } as any);
      pg.apply('apiVersion: v1\nkind: Service\nmetadata: {name: late}\nspec:\n  selector: {app: x}\n  ports: [{port: 80}]\n');
      pg.advance(1_000);
      // At once: nothing has changed inside the container.
      assert.equal(sh().run('printenv MODE; cat /etc/cfg/app.conf /etc/app.conf; printenv LATE_SERVICE_HOST').stdout, 'fast\nlevel=1\nlevel=1\n');
      pg.advance(60_000);
      // After the kubelet's next sync the volume has the new file; the variable and the subPath file never change.
      assert.equal(sh().run('printenv MODE; cat /etc/cfg/app.conf /etc/app.conf; ls /etc/cfg').stdout, 'fast\nlevel=2\nlevel=1\napp.conf\nmode\n');
      // A new container (a restart) starts with the new values and the new Service's variables.
      assert.ok(pg.endContainer('default', 'app', 'main', 1));
      pg.advance(30_000);
      assert.equal(pg.api.get(R.pods, 'default', 'app').status.containerStatuses[0].restartCount, 1);
      const after = sh().run('printenv MODE; cat /etc/app.conf; printenv LATE_SERVICE_PORT');
      assert.equal(after.stdout, 'slow\nlevel=2\n80\n');
    } finally {
      pg.close();
    }
  });

  it('lets a container\'s own loop see its ConfigMap volume change at the kubelet\'s sync, and stops an sh -e script at its first failure', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {mode: fast}
---
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  volumes: [{name: cfg, configMap: {name: cfg}}]
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'while true; do cat /etc/cfg/mode; echo; sleep 20; done']
    volumeMounts: [{name: cfg, mountPath: /etc/cfg}]
  - name: strict
    image: busybox
    command: [sh, -ec, 'echo one; false; echo two']
`);
      pg.advance(30_000);
      const cm = pg.api.get(R.configmaps, 'default', 'cfg');
      pg.api.update(R.configmaps, 'default', { ...cm, data: { mode: 'slow' } } as any);
      pg.advance(150_000);
      const lines = pg.logs('default', 'reader', 'main').filter((l) => l === 'fast' || l === 'slow');
      assert.equal(lines[0], 'fast');
      assert.equal(lines[lines.length - 1], 'slow', lines.join(','));
      assert.ok(lines.indexOf('slow') > 1, 'the change shows at a sync, not at once');
      const strict = pg.logs('default', 'reader', 'strict').filter((l) => !l.includes('kubeplay:'));
      assert.deepEqual(strict.slice(0, 1), ['one']);
      assert.ok(!strict.includes('two'));
      const st = pg.api.get(R.pods, 'default', 'reader').status.containerStatuses.find((c: any) => c.name === 'strict');
      assert.equal((st.state.terminated ?? st.lastState.terminated).exitCode, 1);
    } finally {
      pg.close();
    }
  });

  it('starts a fresh cluster with empty disks when its state file is gone, whatever disks.json holds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-fresh-'));
    try {
      const pg = newTestPlayground({ stateDir: dir });
      pg.apply(STS);
      pg.advance(60_000);
      exec(pg, 'db-0', 'echo old > /data/f');
      pg.close();
      fs.rmSync(path.join(dir, 'state.json'));
      const fresh = newTestPlayground({ stateDir: dir });
      try {
        assert.deepEqual(Object.keys(fresh.disks.save().trees).filter((k) => !k.startsWith('cfgvol/')), []);
      } finally {
        fresh.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('empties the layer when the container restarts, but not the emptyDir', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(STS);
      pg.advance(60_000);
      exec(pg, 'db-0', 'echo a > /scratch/keep; echo b > /root/lost');
      assert.ok(pg.endContainer('default', 'db-0', 'main', 1));
      pg.advance(60_000);
      const p = pg.api.get(R.pods, 'default', 'db-0');
      assert.equal(p.status.containerStatuses[0].restartCount, 1);
      const r = exec(pg, 'db-0', 'cat /scratch/keep /root/lost');
      assert.equal(r.stdout, 'a\n');
      assert.equal(r.stderr, "cat: can't open '/root/lost': No such file or directory\n");
    } finally {
      pg.close();
    }
  });

  it('saves what containers wrote with the state and restores it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-vol-'));
    try {
      const pg = newTestPlayground({ stateDir: dir });
      pg.apply(STS);
      pg.advance(60_000);
      exec(pg, 'db-0', 'mkdir /data/d; echo saved > /data/d/f');
      pg.close();
      const again = newTestPlayground({ stateDir: dir });
      try {
        again.advance(30_000);
        assert.equal(exec(again, 'db-0', 'cat /data/d/f').stdout, 'saved\n');
        // Deleting the claim's PV (the claim and the StatefulSet first) deletes its data.
        const pv = again.api.get(R.pvcs, 'default', 'data-db-0').spec.volumeName;
        again.deleteManifest(STS);
        again.api.delete(R.pvcs, 'default', 'data-db-0');
        again.advance(60_000);
        assert.throws(() => again.api.get(R.pvs, undefined, pv), (e: any) => e.status.code === 404);
        // The local-path provisioner deleted the volume's folder on its node: nothing of it is left on any disk.
        const left = Object.values(again.disks.save().trees).flatMap((t) => t.entries).filter((e) => e.path.includes(pv));
        assert.deepEqual(left, []);
        const volumeData = Object.entries(again.disks.save().trees).filter(([k, t]) => /^(node|pv)\//.test(k) && t.entries.some((e) => !e.dir));
        assert.deepEqual(volumeData, []);
        again.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: marker}\ndata: {a: b}\n');
      } finally {
        again.close();
      }
      // A damaged disks file costs the files alone: the cluster comes back, and the file is set aside.
      fs.writeFileSync(path.join(dir, 'disks.json'), '{"format":"kubeplay-disks","version":1,"trees":{"layer/x":{"entries":[{"path":""}]}}}');
      const third = newTestPlayground({ stateDir: dir });
      try {
        assert.equal(third.api.get(R.configmaps, 'default', 'marker').data.a, 'b');
        assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('disks.json.corrupt-')));
        assert.ok(third.logHistory().some((l) => /disks file unusable \(bad entry in disk layer\/x\)/.test(l.message)));
      } finally {
        third.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
