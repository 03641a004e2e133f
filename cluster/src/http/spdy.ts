/**
 * The server side of SPDY/3.1 as Kubernetes uses it for port-forward
 * (moby/spdystream under client-go's httpstream): the peer opens streams with
 * SYN_STREAM, this side accepts each with a SYN_REPLY, and bytes flow in DATA
 * frames until each side half-closes with FIN. Header blocks are zlib
 * streams primed with the SPDY/3 dictionary, one context per direction for
 * the whole connection. PINGs are echoed; SETTINGS and WINDOW_UPDATE are read
 * and dropped, as spdystream does not flow-control either.
 *
 * Transport-neutral: bytes come in through `receive` (a raw upgraded socket,
 * or the binary messages of a WebSocket tunnel) and go out through `send`.
 */
import { Deflate, Inflate, Z_SYNC_FLUSH } from 'pako';

export const SPDY_VERSION = 3;

export const enum FrameType {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
}

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes (SPDY/3 §2.6.3). */
export const enum RstStatus {
  ProtocolError = 1,
  InvalidStream = 2,
  RefusedStream = 3,
  Cancel = 5,
  InternalError = 6,
  StreamInUse = 8,
  StreamAlreadyClosed = 9,
}

/** GOAWAY status codes (SPDY/3 §2.6.6). */
export const enum GoAwayStatus {
  Ok = 0,
  ProtocolError = 1,
  InternalError = 2,
}

/**
 * The SPDY/3 header compression dictionary (SPDY/3 §2.6.10.1): the
 * length-prefixed names and values below, then a tail of common text.
 */
const DICTIONARY_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding',
  'accept-language', 'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection',
  'content-base', 'content-encoding', 'content-language', 'content-length', 'content-location', 'content-md5',
  'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'from', 'host', 'if-match',
  'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'last-modified', 'location',
  'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'retry-after',
  'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie',
  'keep-alive', 'origin',
];
const DICTIONARY_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

export const SPDY3_DICTIONARY: Buffer = (() => {
  const parts: Buffer[] = [];
  for (const w of DICTIONARY_WORDS) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    parts.push(len, Buffer.from(w, 'latin1'));
  }
  parts.push(Buffer.from(DICTIONARY_TAIL, 'latin1'));
  return Buffer.concat(parts);
})();

/** Header names are lower case on the wire (SPDY/3 §2.6.10); a value may hold several, NUL-separated. */
export type SpdyHeaders = Map<string, string>;

export function encodeHeaderBlock(headers: Iterable<[string, string]>): Buffer {
  const entries = [...headers];
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(b: Buffer): SpdyHeaders {
  const out: SpdyHeaders = new Map();
  if (b.length < 4) throw new SpdyError('header block too short');
  const n = b.readUInt32BE(0);
  // Each pair takes at least 8 bytes: a count the block cannot hold is a lie, refused before any work.
  if (n > (b.length - 4) / 8) throw new SpdyError(`header block claims ${n} headers in ${b.length} bytes`);
  let at = 4;
  const take = (): string => {
    if (at + 4 > b.length) throw new SpdyError('header block truncated');
    const len = b.readUInt32BE(at);
    at += 4;
    if (at + len > b.length) throw new SpdyError('header block truncated');
    const s = b.subarray(at, at + len).toString('utf8');
    at += len;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const name = take().toLowerCase();
    const value = take();
    out.set(name, out.has(name) ? `${out.get(name)}\0${value}` : value);
  }
  return out;
}

export class SpdyError extends Error {}

/** One direction's zlib context: every header block is a sync-flushed piece of one stream. */
class HeaderCompressor {
  private readonly z = new Deflate({ level: 9, dictionary: SPDY3_DICTIONARY });
  compress(block: Buffer): Buffer {
    const before = this.z.chunks.length;
    if (!this.z.push(block, Z_SYNC_FLUSH)) throw new SpdyError(`header compression failed: ${this.z.msg}`);
    const out = Buffer.concat(this.z.chunks.slice(before).map((c: Uint8Array) => Buffer.from(c)));
    this.z.chunks.length = 0;
    return out;
  }
}

/** The most a header block may inflate to: a few headers are a few hundred bytes; a zip bomb is refused. */
export const MAX_HEADER_BLOCK = 256 * 1024;

class HeaderDecompressor {
  private readonly z = new Inflate({ dictionary: SPDY3_DICTIONARY, chunkSize: 16 * 1024 });
  private size = 0;

  constructor() {
    // Counted as pako hands out each piece, so an oversized block stops while inflating, not after.
    const keep = this.z.onData.bind(this.z);
    this.z.onData = (chunk: any) => {
      this.size += chunk.length;
      if (this.size > MAX_HEADER_BLOCK) throw new SpdyError(`header block inflates past ${MAX_HEADER_BLOCK} bytes`);
      keep(chunk);
    };
  }

  decompress(data: Buffer): Buffer {
    this.z.chunks.length = 0;
    this.size = 0;
    if (!this.z.push(data, Z_SYNC_FLUSH) && this.z.err) throw new SpdyError(`header block does not inflate: ${this.z.msg}`);
    const out = Buffer.concat(this.z.chunks.map((c: Uint8Array) => Buffer.from(c)));
    this.z.chunks.length = 0;
    return out;
  }
}

/** One stream the peer opened. */
export class SpdyStream {
  /** Whether the peer has half-closed (FIN), and whether this side has. */
  remoteClosed = false;
  localClosed = false;
  reset = false;
  /** Bytes the peer sent; `onEnd` when it half-closes; `onReset` when either side resets the stream. */
  onData: (b: Buffer) => void = () => undefined;
  onEnd: () => void = () => undefined;
  onReset: () => void = () => undefined;
  /** What arrived before a handler was set: a stream's first bytes may come in the same read as its SYN_STREAM. */
  private pending: Buffer[] | undefined = [];
  private pendingEnd = false;

  constructor(private readonly session: SpdySession, readonly id: number, readonly headers: SpdyHeaders) {}

  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }

  /** Starts delivery to `onData`/`onEnd` (frames received so far are delivered now). */
  listen(onData: (b: Buffer) => void, onEnd: () => void): void {
    this.onData = onData;
    this.onEnd = onEnd;
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const b of pending) onData(b);
    if (this.pendingEnd) onEnd();
  }

  /** SYN_REPLY: the stream is accepted (spdystream's CreateStream waits for it). */
  reply(headers: Iterable<[string, string]> = [], fin = false): void {
    this.session.sendSynReply(this.id, headers, fin);
    if (fin) this.localClosed = true;
  }

  write(data: Buffer): void {
    if (this.localClosed || this.reset || !data.length) return;
    this.session.sendData(this.id, data, false);
  }

  /** Half-closes this side: an empty DATA frame with FIN. */
  end(): void {
    if (this.localClosed || this.reset) return;
    this.localClosed = true;
    this.session.sendData(this.id, Buffer.alloc(0), true);
    this.session.forgetIfDone(this);
  }

  resetStream(status: RstStatus = RstStatus.Cancel): void {
    if (this.reset) return;
    this.reset = true;
    this.session.sendRst(this.id, status);
    this.session.forget(this.id);
    this.onReset();
  }

  /** @internal */
  deliver(data: Buffer, fin: boolean): void {
    if (data.length) {
      if (this.pending) this.pending.push(data);
      else this.onData(data);
    }
    if (fin) {
      this.remoteClosed = true;
      if (this.pending) this.pendingEnd = true;
      else this.onEnd();
      this.session.forgetIfDone(this);
    }
  }

  /** @internal */
  peerReset(): void {
    if (this.reset) return;
    this.reset = true;
    this.onReset();
  }
}

export interface SpdySessionHandlers {
  /** A new stream from the peer; the handler answers with `reply()` or `resetStream()`. */
  onStream(stream: SpdyStream): void;
  /** The peer sent GOAWAY, or the bytes broke the protocol (the session is over either way). */
  onClose?(why?: string): void;
}

/** The most a single frame may carry: SPDY's 24-bit length field. */
const MAX_FRAME = 0xffffff;
/** DATA is sent in pieces of at most this (spdystream reads frames whole). */
const DATA_CHUNK = 32 * 1024;

export class SpdySession {
  private readonly streams = new Map<number, SpdyStream>();
  private buf: Buffer = Buffer.alloc(0);
  private readonly deflate = new HeaderCompressor();
  private readonly inflate = new HeaderDecompressor();
  private lastPeerStream = 0;
  private closed = false;

  constructor(private readonly out: (b: Buffer) => void, private readonly handlers: SpdySessionHandlers) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes from the peer, in any pieces. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      while (!this.closed && this.buf.length >= 8) {
        const len = this.buf.readUIntBE(5, 3);
        if (this.buf.length < 8 + len) break;
        const frame = this.buf.subarray(0, 8 + len);
        this.buf = this.buf.subarray(8 + len);
        this.frame(frame);
      }
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private frame(f: Buffer): void {
    const flags = f[4];
    const body = f.subarray(8);
    if ((f[0] & 0x80) === 0) {
      const id = f.readUInt32BE(0) & 0x7fffffff;
      const s = this.streams.get(id);
      if (!s) {
        // Data for a stream that is gone (reset here, or never opened): refused, as SPDY/3 §2.2.2 asks.
        if (id > this.lastPeerStream) this.sendRst(id, RstStatus.InvalidStream);
        return;
      }
      s.deliver(Buffer.from(body), (flags & FLAG_FIN) !== 0);
      return;
    }
    const version = f.readUInt16BE(0) & 0x7fff;
    if (version !== SPDY_VERSION) throw new SpdyError(`unsupported SPDY version ${version}`);
    const type = f.readUInt16BE(2);
    switch (type) {
      case FrameType.SynStream: {
        if (body.length < 10) throw new SpdyError('SYN_STREAM too short');
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(this.inflate.decompress(body.subarray(10)));
        if (id === 0 || id % 2 === 0 || id <= this.lastPeerStream) {
          this.sendRst(id, RstStatus.ProtocolError);
          return;
        }
        this.lastPeerStream = id;
        const s = new SpdyStream(this, id, headers);
        this.streams.set(id, s);
        if (flags & FLAG_FIN) s.deliver(Buffer.alloc(0), true);
        this.handlers.onStream(s);
        return;
      }
      case FrameType.Headers: {
        // Extra headers on an open stream: read (to keep the zlib context in step) and dropped.
        if (body.length < 4) throw new SpdyError('HEADERS too short');
        this.inflate.decompress(body.subarray(4));
        const s = this.streams.get(body.readUInt32BE(0) & 0x7fffffff);
        if (s && flags & FLAG_FIN) s.deliver(Buffer.alloc(0), true);
        return;
      }
      case FrameType.SynReply: {
        // This side opens no streams; a reply to nothing is still inflated so later blocks decode.
        if (body.length >= 4) this.inflate.decompress(body.subarray(4));
        return;
      }
      case FrameType.RstStream: {
        if (body.length < 8) throw new SpdyError('RST_STREAM too short');
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        this.streams.delete(id);
        s?.peerReset();
        return;
      }
      case FrameType.Ping: {
        if (body.length < 4) throw new SpdyError('PING too short');
        // The peer's pings have odd ids (it is the client); they go back unchanged.
        this.control(FrameType.Ping, 0, Buffer.from(body.subarray(0, 4)));
        return;
      }
      case FrameType.GoAway: {
        this.shutdown('the peer sent GOAWAY', false);
        return;
      }
      case FrameType.Settings:
      case FrameType.WindowUpdate:
      default:
        // SETTINGS and WINDOW_UPDATE carry flow control neither side uses; unknown control frames are ignored (§2.2.1).
        return;
    }
  }

  /** Ends the session: GOAWAY (when `tell`), every stream reset locally, then `onClose`. */
  shutdown(why?: string, tell = true): void {
    if (this.closed) return;
    if (tell) {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(this.lastPeerStream & 0x7fffffff, 0);
      b.writeUInt32BE(GoAwayStatus.Ok, 4);
      this.control(FrameType.GoAway, 0, b);
    }
    this.closed = true;
    const open = [...this.streams.values()];
    this.streams.clear();
    for (const s of open) s.peerReset();
    this.handlers.onClose?.(why);
  }

  private fail(why: string): void {
    if (this.closed) return;
    const b = Buffer.alloc(8);
    b.writeUInt32BE(this.lastPeerStream & 0x7fffffff, 0);
    b.writeUInt32BE(GoAwayStatus.ProtocolError, 4);
    this.control(FrameType.GoAway, 0, b);
    this.shutdown(why, false);
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  /** @internal */
  forgetIfDone(s: SpdyStream): void {
    if (s.localClosed && s.remoteClosed) this.streams.delete(s.id);
  }

  /** @internal */
  sendSynReply(id: number, headers: Iterable<[string, string]>, fin: boolean): void {
    const block = this.deflate.compress(encodeHeaderBlock(headers));
    const b = Buffer.alloc(4 + block.length);
    b.writeUInt32BE(id & 0x7fffffff, 0);
    block.copy(b, 4);
    this.control(FrameType.SynReply, fin ? FLAG_FIN : 0, b);
  }

  /** @internal */
  sendRst(id: number, status: RstStatus): void {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(id & 0x7fffffff, 0);
    b.writeUInt32BE(status, 4);
    this.control(FrameType.RstStream, 0, b);
  }

  /** @internal */
  sendData(id: number, data: Buffer, fin: boolean): void {
    if (this.closed) return;
    let at = 0;
    do {
      const piece = data.subarray(at, at + DATA_CHUNK);
      at += piece.length;
      const last = at >= data.length;
      const h = Buffer.alloc(8);
      h.writeUInt32BE(id & 0x7fffffff, 0);
      h[4] = fin && last ? FLAG_FIN : 0;
      h.writeUIntBE(piece.length, 5, 3);
      this.out(piece.length ? Buffer.concat([h, piece]) : h);
    } while (at < data.length);
  }

  private control(type: FrameType, flags: number, body: Buffer): void {
    if (this.closed) return;
    if (body.length > MAX_FRAME) throw new SpdyError('frame too large');
    const h = Buffer.alloc(8);
    h.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
    h.writeUInt16BE(type, 2);
    h[4] = flags;
    h.writeUIntBE(body.length, 5, 3);
    this.out(Buffer.concat([h, body]));
  }
}
