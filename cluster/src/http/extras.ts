/**
 * `/kubeplay/v1`: the playground's own controls (docs/playground-api.md),
 * beside the Kubernetes API and behind the same token.
 */
import type * as http from 'node:http';
import type { HttpContext } from './context';
import type { TimeDriver } from './driver';
import { bodyOf } from './negotiate';
import { HttpStatusError, badRequest, failure, methodNotAllowed, notFoundPath, sendJson } from './status';

function jsonBody(req: http.IncomingMessage): any {
  const buf = bodyOf(req);
  const text = buf.toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch (err: any) {
    throw new HttpStatusError(badRequest(`error decoding body: ${err.message}`));
  }
}

function stats(ctx: HttpContext, _driver: TimeDriver) {
  return ctx.playground!.stats();
}

export function handleExtras(
  ctx: HttpContext, driver: TimeDriver, req: http.IncomingMessage, res: http.ServerResponse, pathname: string, q: URLSearchParams,
): void {
  const pg = ctx.playground;
  if (!pg) throw new HttpStatusError(notFoundPath());
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).slice(2).map(decodeURIComponent);
  } catch {
    throw new HttpStatusError(badRequest(`malformed path: ${pathname}`));
  }
  const method = req.method ?? 'GET';
  const route = `${method} ${parts.map((p, i) => (i % 2 === 1 && parts[0] !== 'time' ? ':' : p)).join('/')}`;
  const done = (body: unknown, code = 200) => {
    ctx.afterWrite();
    sendJson(res, code, body);
  };
  const notFoundNode = (name: string) => new HttpStatusError(failure(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' }));
  const nodeAction = (fn: () => void, name: string) => {
    try {
      fn();
    } catch (err: any) {
      if (err?.status) throw err;
      throw notFoundNode(name);
    }
  };
  switch (route) {
    case 'GET stats':
      sendJson(res, 200, stats(ctx, driver));
      return;
    case 'GET log':
      return streamLog(ctx, req, res, q.get('follow') === 'true');
    case 'POST nodes': {
      const body = jsonBody(req);
      return done(pg.addNode(typeof body.name === 'string' ? body.name : undefined), 201);
    }
    case 'DELETE nodes/:':
      nodeAction(() => pg.removeNode(parts[1]), parts[1]);
      return done({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    case 'POST nodes/:/fail':
      nodeAction(() => pg.failNode(parts[1]), parts[1]);
      return done({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    case 'POST nodes/:/recover':
      nodeAction(() => pg.recoverNode(parts[1]), parts[1]);
      return done({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    case 'POST namespaces/:/pods/:/kill':
      pg.killPod(parts[1], parts[3]);
      return done({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    case 'POST time': {
      const body = jsonBody(req);
      if (body.speed !== undefined) {
        if (typeof body.speed !== 'number' || !(body.speed > 0)) throw new HttpStatusError(badRequest('speed must be a positive number'));
        driver.speed = body.speed;
      }
      if (body.paused !== undefined) driver.paused = Boolean(body.paused);
      if (body.advanceSeconds !== undefined) {
        if (typeof body.advanceSeconds !== 'number' || body.advanceSeconds < 0) throw new HttpStatusError(badRequest('advanceSeconds must be a non-negative number'));
        pg.advance(body.advanceSeconds * 1000);
      }
      return done(stats(ctx, driver));
    }
    case 'POST addons/:': {
      if (!pg.enableAddon) throw new HttpStatusError(notFoundPath());
      try {
        pg.enableAddon(parts[1]);
      } catch (e) {
        throw new HttpStatusError(failure(404, 'NotFound', (e as Error).message));
      }
      return done({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    }
    case 'POST reset':
      pg.reset();
      return done(stats(ctx, driver));
    case 'GET dns': {
      const name = q.get('name');
      if (!name) throw new HttpStatusError(badRequest('name is required'));
      sendJson(res, 200, { addresses: pg.resolve(name) });
      return;
    }
    case 'GET namespaces/:/pods/:/connect': {
      const host = q.get('host');
      const port = /^\d{1,5}$/.test(q.get('port') ?? '') ? Number(q.get('port')) : NaN;
      if (!host || !(port >= 1 && port <= 65535)) throw new HttpStatusError(badRequest('host and port (1-65535) are required'));
      if (!pg.traceConnection) throw new HttpStatusError(notFoundPath());
      sendJson(res, 200, pg.traceConnection(parts[1], parts[3], host, port));
      return;
    }
    case 'GET route': {
      const ip = q.get('ip');
      const port = Number(q.get('port'));
      if (!ip || !Number.isInteger(port)) throw new HttpStatusError(badRequest('ip and port are required'));
      const r = pg.route(ip, port, q.get('protocol') ?? undefined);
      if (!r) throw new HttpStatusError(failure(404, 'NotFound', `no endpoint serves ${ip}:${port}`));
      sendJson(res, 200, r);
      return;
    }
  }
  throw new HttpStatusError(parts.length ? notFoundPath() : methodNotAllowed());
}

/** The control-plane log as JSON lines; with follow, live lines after the history until the client leaves. */
function streamLog(ctx: HttpContext, req: http.IncomingMessage, res: http.ServerResponse, follow: boolean): void {
  const pg = ctx.playground!;
  const line = (l: { time: number; component: string; message: string }) =>
    JSON.stringify({ time: l.time, component: l.component, message: l.message }) + '\n';
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  for (const h of pg.logHistory()) res.write(line(h));
  if (!follow) {
    res.end();
    return;
  }
  const off = pg.onLog((l) => res.write(line(l)));
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    off();
    untrack();
    res.end();
  };
  const untrack = ctx.track(finish);
  req.on('close', finish);
  res.on('close', finish);
}
