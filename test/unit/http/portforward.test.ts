/**
 * The parts under `kubectl port-forward`, without kubectl: the SPDY/3.1
 * session (frames, the zlib header context, pings, resets, garbage), the
 * simulated HTTP server a forwarded connection reaches, and the stream
 * pairing of the port-forward handler. The real-kubectl tests in
 * test/kubectl/portforward.test.ts cover the same paths end to end.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { Deflate, Inflate, Z_SYNC_FLUSH } from 'pako';
import { SPDY3_DICTIONARY, SpdySession, decodeHeaderBlock, encodeHeaderBlock, type SpdyStream } from '../../../cluster/src/http/spdy';
import { SimulatedHttpConnection } from '../../../cluster/src/kubelet/podhttp';
import { serveSpdyPortForward } from '../../../cluster/src/http/portforward';
import { parseApiPath } from '../../../cluster/src/http/paths';
import { splitSchemeNamePort } from '../../../cluster/src/http/proxy';
import type { HttpContext } from '../../../cluster/src/http/context';

/** A SPDY client's side of the wire, written here from the frame layouts of SPDY/3 §2.6. */
class Peer {
  private readonly deflate = new Deflate({ level: 9, dictionary: SPDY3_DICTIONARY });
  private readonly inflate = new Inflate({ dictionary: SPDY3_DICTIONARY });
  private buf = Buffer.alloc(0);

  compress(headers: Array<[string, string]>): Buffer {
    this.deflate.push(encodeHeaderBlock(headers), Z_SYNC_FLUSH);
    const out = Buffer.concat(this.deflate.chunks.map((c) => Buffer.from(c)));
    this.deflate.chunks.length = 0;
    return out;
  }

  control(type: number, flags: number, body: Buffer): Buffer {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(0x8003, 0);
    h.writeUInt16BE(type, 2);
    h[4] = flags;
    h.writeUIntBE(body.length, 5, 3);
    return Buffer.concat([h, body]);
  }

  syn(id: number, headers: Array<[string, string]>, fin = false): Buffer {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(id, 0);
    return this.control(1, fin ? 1 : 0, Buffer.concat([fixed, this.compress(headers)]));
  }

  data(id: number, payload: Buffer | string, fin = false): Buffer {
    const b = Buffer.from(payload);
    const h = Buffer.alloc(8);
    h.writeUInt32BE(id, 0);
    h[4] = fin ? 1 : 0;
    h.writeUIntBE(b.length, 5, 3);
    return Buffer.concat([h, b]);
  }

  /** Frames the server sent, decoded (header blocks inflated in this peer's context). */
  read(chunk: Buffer): Array<{ type: string; id?: number; fin?: boolean; data?: Buffer; headers?: Map<string, string>; status?: number }> {
    this.buf = Buffer.concat([this.buf, chunk]);
    const frames = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const f = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      const body = f.subarray(8);
      const fin = (f[4] & 1) === 1;
      if (!(f[0] & 0x80)) {
        frames.push({ type: 'DATA', id: f.readUInt32BE(0), fin, data: Buffer.from(body) });
        continue;
      }
      const type = f.readUInt16BE(2);
      if (type === 2) {
        this.inflate.chunks.length = 0;
        this.inflate.push(body.subarray(4), Z_SYNC_FLUSH);
        const block = Buffer.concat(this.inflate.chunks.map((c) => Buffer.from(c)));
        frames.push({ type: 'SYN_REPLY', id: body.readUInt32BE(0), fin, headers: decodeHeaderBlock(block) });
      } else if (type === 3) frames.push({ type: 'RST_STREAM', id: body.readUInt32BE(0), status: body.readUInt32BE(4) });
      else if (type === 6) frames.push({ type: 'PING', id: body.readUInt32BE(0) });
      else if (type === 7) frames.push({ type: 'GOAWAY', id: body.readUInt32BE(0), status: body.readUInt32BE(4) });
      else frames.push({ type: `control ${type}` });
    }
    return frames;
  }
}

describe('SPDY/3.1 session', () => {
  it('builds the SPDY/3 header dictionary byte for byte', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    assert.equal(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });

  it('keeps one zlib context per direction across header blocks (and zlib itself reads what it writes)', () => {
    const peer = new Peer();
    const seen: SpdyStream[] = [];
    const wire: Buffer[] = [];
    const s = new SpdySession((b) => wire.push(b), { onStream: (st) => { seen.push(st); st.reply(); } });
    s.receive(peer.syn(1, [['streamType', 'error'], ['port', '80'], ['requestID', '0']]));
    s.receive(peer.syn(3, [['streamType', 'data'], ['port', '80'], ['requestID', '0']]));
    assert.deepEqual(seen.map((st) => [st.id, st.header('streamtype'), st.header('Port'), st.header('requestid')]), [[1, 'error', '80', '0'], [3, 'data', '80', '0']]);
    const frames = peer.read(Buffer.concat(wire));
    assert.deepEqual(frames.map((f) => [f.type, f.id, f.headers?.size]), [['SYN_REPLY', 1, 0], ['SYN_REPLY', 3, 0]]);
    // The replies are one zlib stream: Node's own zlib inflates them in one go with the same dictionary.
    const blocks = Buffer.concat(wire.map((w) => w.subarray(12)));
    const plain = zlib.inflateSync(blocks, { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    assert.deepEqual([...plain], [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('delivers data in order however the bytes are cut, with FIN, and echoes pings', () => {
    const peer = new Peer();
    const wire: Buffer[] = [];
    let got = '';
    let ended = false;
    const s = new SpdySession((b) => wire.push(b), {
      onStream: (st) => { st.reply(); st.listen((b) => (got += b.toString()), () => (ended = true)); },
    });
    const bytes = Buffer.concat([
      peer.syn(1, [['a', 'b']]),
      peer.data(1, 'hello '),
      peer.control(6, 0, Buffer.from([0, 0, 0, 7])),
      peer.data(1, 'world', true),
    ]);
    for (let i = 0; i < bytes.length; i += 3) s.receive(bytes.subarray(i, i + 3));
    assert.equal(got, 'hello world');
    assert.equal(ended, true);
    const frames = peer.read(Buffer.concat(wire));
    assert.deepEqual(frames.map((f) => [f.type, f.id]), [['SYN_REPLY', 1], ['PING', 7]]);
  });

  it('keeps data that arrives before the stream is listened to', () => {
    const peer = new Peer();
    let stream: SpdyStream | undefined;
    const s = new SpdySession(() => undefined, { onStream: (st) => { stream = st; st.reply(); } });
    s.receive(Buffer.concat([peer.syn(1, []), peer.data(1, 'early', true)]));
    let got = '';
    let ended = false;
    stream!.listen((b) => (got += b), () => (ended = true));
    assert.equal(got, 'early');
    assert.equal(ended, true);
  });

  it('sends large writes as several DATA frames and half-closes with an empty FIN frame', () => {
    const peer = new Peer();
    const wire: Buffer[] = [];
    const s = new SpdySession((b) => wire.push(b), { onStream: (st) => { st.reply(); st.write(Buffer.alloc(100_000, 1)); st.end(); } });
    s.receive(peer.syn(1, []));
    const frames = peer.read(Buffer.concat(wire)).filter((f) => f.type === 'DATA');
    assert.ok(frames.length >= 4);
    assert.equal(frames.reduce((n, f) => n + f.data!.length, 0), 100_000);
    const last = frames[frames.length - 1];
    assert.equal(last.fin, true);
    assert.equal(last.data!.length, 0);
  });

  it('refuses even stream ids and reused ids, and resets data for streams it does not know', () => {
    const peer = new Peer();
    const wire: Buffer[] = [];
    const opened: number[] = [];
    const s = new SpdySession((b) => wire.push(b), { onStream: (st) => { opened.push(st.id); st.reply(); } });
    s.receive(peer.syn(2, []));
    s.receive(peer.syn(5, []));
    s.receive(peer.syn(3, []));
    s.receive(peer.data(9, 'x'));
    assert.deepEqual(opened, [5]);
    const frames = peer.read(Buffer.concat(wire));
    assert.deepEqual(frames.map((f) => [f.type, f.id, f.status]), [['RST_STREAM', 2, 1], ['SYN_REPLY', 5, undefined], ['RST_STREAM', 3, 1], ['RST_STREAM', 9, 2]]);
  });

  it('ends with GOAWAY on a frame of another SPDY version, and survives random input', () => {
    const wire: Buffer[] = [];
    let why: string | undefined;
    const s = new SpdySession((b) => wire.push(b), { onStream: () => assert.fail('no stream from garbage'), onClose: (w) => (why = w) });
    // A SPDY/2 SYN_STREAM header (version 2), as an old client would send.
    s.receive(Buffer.from([0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]));
    assert.equal(s.isClosed, true);
    assert.match(why ?? '', /version/);
    const frames = new Peer().read(Buffer.concat(wire));
    assert.deepEqual(frames.map((f) => [f.type, f.status]), [['GOAWAY', 1]]);
    // A corrupt header block: GOAWAY too, never an exception.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let round = 0; round < 300; round++) {
      const peer = new Peer();
      const t = new SpdySession(() => undefined, { onStream: (st) => st.reply() });
      const good = Buffer.concat([peer.syn(1, [['port', '80']]), peer.data(1, 'abc')]);
      const bad = Buffer.from(good);
      for (let i = 0; i < 4; i++) bad[rnd() % bad.length] = rnd();
      const junk = Buffer.from(Array.from({ length: rnd() }, rnd));
      assert.doesNotThrow(() => { t.receive(bad); t.receive(junk); });
    }
  });

  it('refuses a header block that inflates past its cap (a zip bomb) with GOAWAY, before inflating it all', () => {
    const bomb = new Deflate({ level: 9, dictionary: SPDY3_DICTIONARY });
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x61);
    bomb.push(Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0x61]), Buffer.from([0x03, 0x20, 0, 0]), huge]), Z_SYNC_FLUSH);
    const block = Buffer.concat(bomb.chunks.map((c) => Buffer.from(c)));
    assert.ok(block.length < 200_000, `the bomb is small on the wire (${block.length} bytes)`);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(1, 0);
    const body = Buffer.concat([fixed, block]);
    const h = Buffer.alloc(8);
    h.writeUInt16BE(0x8003, 0);
    h.writeUInt16BE(1, 2);
    h.writeUIntBE(body.length, 5, 3);
    const wire: Buffer[] = [];
    let why = '';
    const s = new SpdySession((b) => wire.push(b), { onStream: () => assert.fail('no stream'), onClose: (w) => (why = w ?? '') });
    const before = process.memoryUsage().rss;
    s.receive(Buffer.concat([h, body]));
    assert.equal(s.isClosed, true);
    assert.match(why, /inflates past 262144 bytes/);
    assert.ok(process.memoryUsage().rss - before < 40 * 1024 * 1024, 'the block was not inflated whole');
    assert.deepEqual(new Peer().read(Buffer.concat(wire)).map((f) => [f.type, f.status]), [['GOAWAY', 1]]);
    assert.throws(() => decodeHeaderBlock(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])), /claims 4294967295 headers/);
  });

  it('a GOAWAY from the peer closes every open stream', () => {
    const peer = new Peer();
    let resets = 0;
    let closed = false;
    const s = new SpdySession(() => undefined, { onStream: (st) => { st.reply(); st.onReset = () => resets++; }, onClose: () => (closed = true) });
    s.receive(Buffer.concat([peer.syn(1, []), peer.syn(3, [])]));
    s.receive(peer.control(7, 0, Buffer.alloc(8)));
    assert.equal(resets, 2);
    assert.equal(closed, true);
  });
});

describe('the simulated HTTP server behind a forwarded port', () => {
  const who = { podName: 'web-1', podIP: '10.244.1.5', port: 80, remoteAddr: '127.0.0.1' };
  const at = Date.UTC(2026, 10, 28, 12, 0, 0);
  function conn() {
    const out: string[] = [];
    let closed = 0;
    const c = new SimulatedHttpConnection(who, () => at, (b) => out.push(b.toString('latin1')), () => closed++);
    return { c, text: () => out.join(''), closed: () => closed };
  }

  it('answers like traefik/whoami, with Go net/http headers, and keeps the connection for the next request', () => {
    const { c, text, closed } = conn();
    c.receive(Buffer.from('GET /a?b=1 HTTP/1.1\r\nhost: localhost:8080\r\nuser-agent: curl/8\r\n\r\n'));
    const body = 'Hostname: web-1\nIP: 10.244.1.5\nPort: 80\nRemoteAddr: 127.0.0.1\nGET /a?b=1 HTTP/1.1\nHost: localhost:8080\nUser-Agent: curl/8\n';
    assert.equal(text(), `HTTP/1.1 200 OK\r\nDate: Sat, 28 Nov 2026 12:00:00 GMT\r\nContent-Length: ${body.length}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`);
    assert.equal(closed(), 0);
  });

  it('answers pipelined requests in order, HEAD without a body, and closes after Connection: close', () => {
    const { c, text, closed } = conn();
    c.receive(Buffer.from('HEAD /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcdeGET /3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET /4 HTTP/1.1\r\n'));
    const t = text();
    assert.equal((t.match(/HTTP\/1\.1 200 OK/g) ?? []).length, 3);
    assert.ok(t.indexOf('HEAD /1') < 0, 'HEAD gets no body');
    assert.ok(t.indexOf('POST /2') < t.indexOf('GET /3'));
    assert.match(t, /Connection: close\r\n\r\n[^]*GET \/3 HTTP\/1\.1\nHost: h\nConnection: close\n$/);
    assert.equal(closed(), 1);
  });

  it('waits for a body in pieces, says 100 Continue once when asked, and closes HTTP/1.0 unless kept alive', () => {
    const { c, text } = conn();
    c.receive(Buffer.from('PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nab'));
    assert.equal(text(), 'HTTP/1.1 100 Continue\r\n\r\n');
    c.receive(Buffer.from('c'));
    assert.equal(text(), 'HTTP/1.1 100 Continue\r\n\r\n');
    c.receive(Buffer.from('d'));
    assert.match(text(), /HTTP\/1\.1 200 OK[^]*PUT \/x HTTP\/1\.1\n/);
    const old = conn();
    old.c.receive(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
    assert.match(old.text(), /Connection: close\r\n/);
    assert.equal(old.closed(), 1);
  });

  it('refuses bytes that are not HTTP with Go\'s plain 400, at the first line', () => {
    const { c, text, closed } = conn();
    c.receive(Buffer.from('\x16\x03\x01 not http\r\n'));
    assert.equal(text(), 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request');
    assert.equal(closed(), 1);
    const noHost = conn();
    noHost.c.receive(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    assert.match(noHost.text(), /\r\n\r\n400 Bad Request: missing required Host header$/);
  });
});

describe('port-forward stream pairing', () => {
  function fakeContext(pod: any): HttpContext {
    return {
      api: { get: () => pod } as any,
      now: () => 0,
      track: () => () => undefined,
    } as unknown as HttpContext;
  }
  const pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'kubeplay/app' }] }, status: { phase: 'Running', podIP: '10.244.0.9', containerStatuses: [{ name: 'c', state: { running: {} } }] } };

  it('joins an error and a data stream with one requestID to the pod port, and closes both when the server is done', () => {
    const peer = new Peer();
    const wire: Buffer[] = [];
    let ended = 0;
    const s = serveSpdyPortForward(fakeContext(pod), pod as any, (b) => wire.push(b), () => ended++);
    s.receive(peer.syn(1, [['streamType', 'error'], ['port', '8080'], ['requestID', '0']]));
    s.receive(peer.data(1, '', true));
    s.receive(peer.syn(3, [['streamType', 'data'], ['port', '8080'], ['requestID', '0']]));
    s.receive(peer.data(3, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    const frames = peer.read(Buffer.concat(wire));
    assert.deepEqual(frames.filter((f) => f.type === 'SYN_REPLY').map((f) => f.id), [1, 3]);
    const body = Buffer.concat(frames.filter((f) => f.type === 'DATA' && f.id === 3).map((f) => f.data!)).toString();
    assert.match(body, /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nHostname: web\nIP: 10\.244\.0\.9\nPort: 8080\nRemoteAddr: 127\.0\.0\.1\n/);
    assert.deepEqual(frames.filter((f) => f.type === 'DATA' && f.fin).map((f) => f.id).sort(), [1, 3]);
    assert.equal(frames.some((f) => f.type === 'DATA' && f.id === 1 && f.data!.length), false, 'no error was written');
    s.shutdown();
    assert.equal(ended, 1);
  });

  it('reports a port nothing answers on the error stream, in the kubelet\'s and containerd\'s words, and closes both streams', () => {
    const crashing = { ...pod, status: { phase: 'Running', podIP: '10.244.0.9', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'CrashLoopBackOff' } } }] } };
    const peer = new Peer();
    const wire: Buffer[] = [];
    const s = serveSpdyPortForward(fakeContext(crashing), crashing as any, (b) => wire.push(b), () => undefined);
    s.receive(peer.syn(1, [['streamType', 'error'], ['port', '80'], ['requestID', '0']]));
    s.receive(peer.syn(3, [['streamType', 'data'], ['port', '80'], ['requestID', '0']]));
    const frames = peer.read(Buffer.concat(wire));
    const err = Buffer.concat(frames.filter((f) => f.type === 'DATA' && f.id === 1).map((f) => f.data!)).toString();
    assert.match(err, /^error forwarding port 80 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f-]{36}": failed to connect to localhost:80 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:80: connect: connection refused IPv6 dial tcp6 \[::1\]:80: connect: connection refused $/);
    assert.deepEqual(frames.filter((f) => f.type === 'DATA' && f.fin).map((f) => f.id).sort(), [1, 3]);
    assert.equal(frames.some((f) => f.type === 'DATA' && f.id === 3 && f.data!.length), false);
    s.shutdown();
  });

  it('refuses a stream without a port or a stream type', () => {
    const peer = new Peer();
    const wire: Buffer[] = [];
    const s = serveSpdyPortForward(fakeContext(pod), pod as any, (b) => wire.push(b), () => undefined);
    s.receive(peer.syn(1, [['streamType', 'data'], ['requestID', '0']]));
    s.receive(peer.syn(3, [['streamType', 'data'], ['port', '99999'], ['requestID', '1']]));
    s.receive(peer.syn(5, [['port', '80'], ['requestID', '2']]));
    const frames = peer.read(Buffer.concat(wire));
    assert.deepEqual(frames.map((f) => [f.type, f.id, f.status]), [['RST_STREAM', 1, 5], ['RST_STREAM', 3, 5], ['RST_STREAM', 5, 5]]);
    s.shutdown();
  });
});

describe('proxy paths', () => {
  it('keeps what follows /proxy as the backend path, trailing slash included', () => {
    const at = (s: string) => { const p = parseApiPath(s); return p?.type === 'resource' ? [p.path.resource, p.path.name, p.path.subresource, p.path.proxyPath] : p; };
    assert.deepEqual(at('/api/v1/namespaces/default/services/web/proxy'), ['services', 'web', 'proxy', undefined]);
    assert.deepEqual(at('/api/v1/namespaces/default/services/web/proxy/'), ['services', 'web', 'proxy', '/']);
    assert.deepEqual(at('/api/v1/namespaces/default/services/web:http/proxy/a/b/'), ['services', 'web:http', 'proxy', '/a/b/']);
    assert.deepEqual(at('/api/v1/namespaces/default/pods/p/proxy/x'), ['pods', 'p', 'proxy', '/x']);
    assert.equal(at('/api/v1/namespaces/default/pods/p/log/x'), undefined, 'only proxy takes a longer path');
  });

  it('splits scheme:name:port as utilnet.SplitSchemeNamePort', () => {
    assert.deepEqual(splitSchemeNamePort('web'), { scheme: '', name: 'web', port: '' });
    assert.deepEqual(splitSchemeNamePort('web:http'), { scheme: '', name: 'web', port: 'http' });
    assert.deepEqual(splitSchemeNamePort('https:web:443'), { scheme: 'https', name: 'web', port: '443' });
    assert.equal(splitSchemeNamePort('ftp:web:21'), undefined);
    assert.equal(splitSchemeNamePort(':80'), undefined);
    assert.equal(splitSchemeNamePort('a:b:c:d'), undefined);
  });
});

describe('the simulated HTTP server and large bodies', () => {
  it('drops a body as it arrives, so a huge upload buffers nothing, and answers once it is all there', () => {
    const out: string[] = [];
    const c = new SimulatedHttpConnection({ podName: 'p', podIP: '10.244.0.2', port: 80, remoteAddr: '127.0.0.1' }, () => 0, (b) => out.push(b.toString()), () => undefined);
    const size = 200 * 1024 * 1024;
    c.receive(Buffer.from(`PUT /big HTTP/1.1\r\nHost: h\r\nContent-Length: ${size}\r\n\r\n`));
    const piece = Buffer.alloc(1024 * 1024, 0x61);
    for (let sent = 0; sent < size; sent += piece.length) c.receive(piece);
    assert.equal(out.length, 1);
    assert.match(out[0], /^HTTP\/1\.1 200 OK\r\n[^]*PUT \/big HTTP\/1\.1\nHost: h\nContent-Length: 209715200\n$/);
    assert.ok((c as any).buf.length === 0, 'nothing of the body is kept');
  });
});
