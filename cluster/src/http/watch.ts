/**
 * Watch streams: one JSON event per line, written as soon as the playground
 * delivers it, so a client never waits on a buffer. Supports
 * `sendInitialEvents` (initial ADDED events closed by the
 * `k8s.io/initial-events-end` bookmark, as client-go's WatchList expects),
 * periodic bookmarks as a heartbeat, `timeoutSeconds`, and ends cleanly when
 * the client goes away or reads too slowly.
 */
import type * as http from 'node:http';
import type { GVR, KObject, WatchEvent, WatchHandle } from '../contract';
import type { HttpContext } from './context';
import type { Representation } from './negotiate';
import type { ServedResource } from './resources';
import { checkResourceVersion, listOptions, validateListOptions } from './options';
import { watchLine } from './encode';
import { representObject } from './represent';
import { fromPod } from './incluster';
import { HttpStatusError, badRequest, failure, toStatus } from './status';

/** A watcher that falls this far behind is cut off, as the apiserver drops a blocked watcher; the client re-lists. */
const MAX_BUFFERED = 64 * 1024 * 1024;
const BOOKMARK_EVERY_MS = 10_000;


function bookmark(r: ServedResource, rv: string, initialEnd: boolean): KObject {
  const metadata: Record<string, unknown> = { resourceVersion: rv, creationTimestamp: null };
  if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { apiVersion: r.apiVersion, kind: r.kind, metadata } as KObject;
}

export function serveWatch(
  ctx: HttpContext, req: http.IncomingMessage, res: http.ServerResponse, r: ServedResource, ns: string | undefined,
  q: URLSearchParams, rep: Representation,
): void {
  const gvr: GVR = { group: r.group, version: r.version, resource: r.resource };
  const opts = listOptions(q);
  delete opts.limit;
  delete opts.continue;
  const allowBookmarks = q.get('allowWatchBookmarks') === 'true';
  const sendInitial = q.get('sendInitialEvents');
  const initial = sendInitial === 'true';
  validateListOptions(q, true);
  checkResourceVersion(q, 'watch');
  const timeoutParam = q.get('timeoutSeconds');
  let timeoutMs = (1800 + Math.floor(Math.random() * 1800)) * 1000;
  if (timeoutParam) {
    const t = Number(timeoutParam);
    if (!Number.isFinite(t) || t < 0) throw new HttpStatusError(badRequest(`timeoutSeconds: Invalid value: "${timeoutParam}"`));
    if (t > 0) timeoutMs = t * 1000;
  }

  // Validate the request (selectors, resourceVersion) before committing to a 200 stream.
  let initialItems: KObject[] = [];
  let lastRV = '';
  // The snapshot the initial events come from: its revision, not the newest item's, is where the watch goes on
  // and what the initial-events-end bookmark says (an older one would replay history).
  let snapshotRV = '';
  const fromNow = sendInitial === 'false' && (!opts.resourceVersion || opts.resourceVersion === '0');
  if (initial || fromNow) {
    const l = ctx.api.list(gvr, ns, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    if (initial) initialItems = l.items;
    snapshotRV = l.resourceVersion;
  } else if (opts.labelSelector || opts.fieldSelector) {
    // A bad selector is an HTTP error, not an ERROR event in a 200 stream: the list parses it first.
    ctx.api.list(gvr, ns, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: 1 });
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true, 30_000);

  let ended = false;
  let handle: WatchHandle | undefined;
  let firstTableEvent = true;
  let corked = false;
  const write = (e: WatchEvent) => {
    if (ended) return;
    let line: Buffer | string;
    if (e.type !== 'ERROR' && e.type !== 'BOOKMARK' && rep.as !== 'object') {
      const text = JSON.stringify(representObject(r, e.object, rep, q, ctx.now(), rep.as === 'table' && !firstTableEvent));
      if (rep.as === 'table') firstTableEvent = false;
      line = `{"type":"${e.type}","object":${text}}\n`;
    } else {
      line = watchLine(e.type, e.object);
    }
    const rv = e.object?.metadata?.resourceVersion;
    if (rv && e.type !== 'ERROR') lastRV = rv;
    // Events delivered in one synchronous burst (a settle) leave in one TLS write.
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(() => {
        corked = false;
        res.uncork();
      });
    }
    res.write(line);
    if (res.writableLength > MAX_BUFFERED) finish();
  };
  const onEvent = (e: WatchEvent) => {
    if (e.type === 'BOOKMARK' && (!allowBookmarks || rep.as === 'table')) {
      const rv = e.object?.metadata?.resourceVersion;
      if (rv) lastRV = rv;
      return;
    }
    write(e);
  };

  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (ended) return;
    ended = true;
    for (const t of timers) clearTimeout(t);
    untrack();
    try {
      handle?.stop();
    } catch {
      /* already stopped */
    }
    res.end();
  };
  const untrack = ctx.track(finish);
  req.on('close', finish);
  res.on('close', finish);
  res.on('error', finish);
  timers.push(setTimeout(finish, timeoutMs));
  if (allowBookmarks && rep.as !== 'table') {
    const beat = setInterval(() => {
      if (lastRV) write({ type: 'BOOKMARK', object: bookmark(r, lastRV, false) });
    }, BOOKMARK_EVERY_MS);
    timers.push(beat as unknown as NodeJS.Timeout);
  }

  try {
    if (initial) {
      for (const item of initialItems) write({ type: 'ADDED', object: item });
      lastRV = snapshotRV;
      // Without bookmarks allowed the initial events just run into the stream (the cacher sends the bookmark only on request).
      if (allowBookmarks && rep.as !== 'table') write({ type: 'BOOKMARK', object: bookmark(r, snapshotRV, true) });
      handle = ctx.api.watch(gvr, ns, { ...opts, resourceVersion: snapshotRV, allowBookmarks }, onEvent);
    } else if (fromNow) {
      // sendInitialEvents=false with no resourceVersion (or "0"): no synthetic ADDED events, changes from now on.
      lastRV = snapshotRV;
      handle = ctx.api.watch(gvr, ns, { ...opts, resourceVersion: snapshotRV, allowBookmarks }, onEvent);
    } else {
      handle = ctx.api.watch(gvr, ns, { ...opts, allowBookmarks }, onEvent);
    }
    if (ended) handle.stop();
    // A pod's curl reads what is there when the call returns: its first events cannot wait for the next dispatch.
    else if (fromPod(req)) handle.flush?.();
  } catch (err) {
    write({ type: 'ERROR', object: toStatus(err) as unknown as KObject });
    finish();
  }
}

