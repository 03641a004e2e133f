/**
 * pods/exec on the wire, with the `ws` client: the bearer token, subprotocol
 * negotiation, channel-prefixed binary frames, v5's stdin close signal and
 * the Status on the error channel.
 */
import * as assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ensureTls } from '../../../cluster/src/http/tls';
import { startHarness, stateDir, type Harness } from './harness';

const PODS = { group: '', version: 'v1', resource: 'pods' };

interface Session { protocol: string; frames: Array<{ ch: number; text: string }>; closeCode: number }

function open(h: Harness, query: string, opts: { token?: string | null; protocols?: string[]; send?: (ws: WebSocket) => void } = {}): Promise<Session | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    const tok = opts.token === undefined ? h.token : opts.token;
    if (tok) headers.authorization = `Bearer ${tok}`;
    const url = h.server.url.replace(/^https/, 'wss') + `/api/v1/namespaces/default/pods/${query}`;
    const ws = new WebSocket(url, opts.protocols ?? ['v5.channel.k8s.io'], { headers, ca: ensureTls(stateDir()).caCert });
    const frames: Session['frames'] = [];
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => opts.send?.(ws));
    ws.on('message', (data: Buffer) => frames.push({ ch: data[0], text: data.subarray(1).toString('utf8') }));
    ws.on('close', (code) => resolve({ protocol: ws.protocol, frames, closeCode: code }));
    ws.on('error', (e) => { if (!/Unexpected server response/.test(e.message)) reject(e); });
  });
}

const frame = (ch: number, text = '') => Buffer.concat([Buffer.from([ch]), Buffer.from(text)]);

describe('http pods/exec over WebSocket', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'box' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } });
    const running = { phase: 'Running', podIP: '10.244.0.5', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] };
    h.api.patch(PODS, 'default', 'box', 'merge', { status: running }, {}, 'status');
    assert.equal(h.api.get(PODS, 'default', 'box').status?.phase, 'Running');
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'two' }, spec: { nodeName: 'node-1', containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] } });
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'starting' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } });
  });
  after(() => h.close());

  it('negotiates v5, streams stdout with channel 1 and ends with a Success Status on channel 3', async () => {
    const s = await open(h, 'box/exec?command=hostname&stdout=true&stderr=true&container=c') as Session;
    assert.equal(s.protocol, 'v5.channel.k8s.io');
    assert.deepEqual(s.frames, [{ ch: 1, text: 'box\n' }, { ch: 3, text: '{"metadata":{},"status":"Success"}' }]);
    assert.equal(s.closeCode, 1000);
  });

  it('reports a non-zero exit as NonZeroExitCode with the code as its ExitCode cause', async () => {
    const s = await open(h, 'box/exec?command=sh&command=-c&command=echo%20oops%20%3E%262%3B%20exit%203&stderr=true&stdout=true', { protocols: ['v4.channel.k8s.io'] }) as Session;
    assert.equal(s.protocol, 'v4.channel.k8s.io');
    assert.deepEqual(s.frames.filter((f) => f.ch !== 3), [{ ch: 2, text: 'oops\n' }]);
    const status = JSON.parse(s.frames.find((f) => f.ch === 3)!.text);
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
    assert.equal(status.message, 'command terminated with non-zero exit code: error executing command [sh -c echo oops >&2; exit 3], exit code 3');
  });

  it('feeds stdin until the v5 close signal', async () => {
    const s = await open(h, 'box/exec?command=cat&stdin=true&stdout=true', {
      send: (ws) => { ws.send(frame(0, 'hel')); ws.send(frame(0, 'lo\n')); ws.send(Buffer.from([255, 0])); },
    }) as Session;
    assert.deepEqual(s.frames.map((f) => f.ch), [1, 3]);
    assert.equal(s.frames[0].text, 'hello\n');
  });

  it('holds a terminal\'s first prompt until the client sends its terminal size, and formats for that width', async () => {
    let early = -1;
    const s = await open(h, 'box/exec?command=sh&stdin=true&stdout=true&tty=true', {
      send: (ws) => {
        let seen = 0;
        ws.on('message', () => seen++);
        // kubectl drops output that comes before its streams are set up; the size it sends marks that point.
        setTimeout(() => {
          early = seen;
          ws.send(frame(4, '{"Width":40,"Height":12}'));
          setTimeout(() => ws.send(frame(0, 'ls /\rexit 2\r')), 30);
        }, 120);
      },
    }) as Session;
    assert.equal(early, 0, 'no output before the terminal size');
    const out = s.frames.filter((f) => f.ch === 1).map((f) => f.text).join('');
    assert.match(out, /^\/ # ls \/\r\n/);
    const listing = out.split('\r\n').slice(1, -2);
    assert.ok(listing.length > 1 && listing.every((l) => l.length <= 40), listing.join('|'));
    assert.match(s.frames.find((f) => f.ch === 3)!.text, /exit code 2/);
  });

  it('refuses before the upgrade: no token, missing pod, unscheduled pod, container not running, no known protocol', async () => {
    const noToken = await open(h, 'box/exec?command=hostname', { token: null }) as { status: number; body: string };
    assert.equal(noToken.status, 401);
    const missing = await open(h, 'nope/exec?command=hostname') as { status: number; body: string };
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).message, 'pods "nope" not found');
    const pending = await open(h, 'pending/exec?command=hostname') as { status: number; body: string };
    assert.equal(pending.status, 400);
    assert.equal(JSON.parse(pending.body).message, 'pod pending does not have a host assigned');
    const badContainer = await open(h, 'box/exec?command=hostname&container=x') as { status: number; body: string };
    assert.equal(JSON.parse(badContainer.body).message, 'container x is not valid for pod box');
    const two = await open(h, 'two/exec?command=hostname') as { status: number; body: string };
    assert.equal(JSON.parse(two.body).message, 'a container name must be specified for pod two, choose one of: [a b]');
    const starting = await open(h, 'starting/exec?command=hostname') as { status: number; body: string };
    assert.equal(starting.body, 'container not found ("c")');
    const old = await open(h, 'box/exec?command=hostname', { protocols: ['channel.k8s.io'] }) as { status: number; body: string };
    assert.equal(old.status, 400);
    const attach = await open(h, 'box/attach?stdout=true') as { status: number; body: string };
    assert.equal(attach.status, 400);
    // The container's process is not an interactive shell: there is nothing to attach to (its output is its log).
    assert.match(JSON.parse(attach.body).message, /^pods\/attach is not available in the kubeplay playground for this container: attach joins only an interactive shell/);
  });
});
