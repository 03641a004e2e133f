/**
 * pods/attach on the wire against a whole playground: the session is the
 * container's shell, so its end ends the container, and only the instance
 * attached to.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { newTestPlayground, R } from '../../../cluster/src/testing';
import { startApiHttpServer } from '../../../cluster/src/http/server';
import { ensureTls } from '../../../cluster/src/http/tls';
import { ensureToken } from '../../../cluster/src/http/kubeconfig';
import { getSchema } from '../../../kube/src/schema';

const frame = (ch: number, text = '') => Buffer.concat([Buffer.from([ch]), Buffer.from(text)]);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('http pods/attach to a container\'s shell', function () {
  this.timeout(20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-attach-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('watches without stdin; ends the container with the shell\'s status; a session from an earlier instance ends nothing', async () => {
    const pg = newTestPlayground();
    const tls = ensureTls(dir);
    const token = ensureToken(dir);
    const srv = await startApiHttpServer({ playground: pg, schema: getSchema().data, token, tls, port: 0 } as any);
    const sockets: WebSocket[] = [];
    const open = (query: string) => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${srv.url.replace(/^https/, 'wss')}/api/v1/namespaces/default/pods/sh/attach?container=c&stdout=true${query}`, ['v5.channel.k8s.io'],
        { headers: { authorization: `Bearer ${token}` }, ca: tls.caCert });
      sockets.push(ws);
      ws.on('open', () => resolve(ws));
      ws.on('error', reject);
    });
    const status = () => pg.api.get(R.pods, 'default', 'sh').status.containerStatuses[0];
    try {
      // kubectl run -it --restart=Never … -- sh: a shell waiting on its stdin runs until its input ends.
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sh' },
        spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox', command: ['sh'], stdin: true, tty: true }] } } as any);
      pg.advance(60_000);
      assert.ok(status().state.running, 'still waiting on its stdin after a minute');
      // Attach without stdin only watches.
      const watcher = await open('');
      await pause(100);
      pg.settle();
      assert.equal(status().restartCount, 0);
      assert.ok(status().state.running);
      watcher.close();
      // Two sessions on one instance; the first ends the shell with 3, and the container restarts (OnFailure).
      const first = await open('&stdin=true');
      const second = await open('&stdin=true');
      first.send(frame(0, 'echo hello from the session\nexit 3\n'));
      await pause(150);
      // The kubelet's next relist (within a second) shows the exit.
      pg.advance(1000);
      assert.equal(status().lastState.terminated?.exitCode ?? status().state.terminated?.exitCode, 3);
      // The shell was the container's process: what it printed is that instance's log (read below as the previous one).
      pg.advance(15_000);
      assert.equal(status().restartCount, 1);
      assert.ok(pg.logs('default', 'sh', 'c', true).includes('hello from the session'), 'the previous instance keeps it');
      assert.ok(!pg.logs('default', 'sh', 'c').includes('hello from the session'), 'the new instance starts a new log');
      assert.ok(status().state.running, 'the new instance runs');
      // The second session belonged to the old instance: its exit does not end the new one.
      second.send(frame(0, 'exit 5\n'));
      await pause(150);
      pg.settle();
      assert.equal(status().restartCount, 1);
      assert.ok(status().state.running);
    } finally {
      for (const ws of sockets) ws.terminate();
      await srv.close();
      pg.close();
    }
  });
});
