/**
 * `pods/{name}/log`: the simulated container log, with `container`,
 * `tailLines`, `limitBytes` and `follow` (new lines are streamed until the
 * pod goes away or the client disconnects), refusing with upstream's messages
 * when the container is unknown or has not started. `previous=true` answers
 * with the previous instance's lines, or upstream's 400 when there is none.
 */
import type * as http from 'node:http';
import type { HttpContext } from './context';
import { HttpStatusError, badRequest, kubeletUnreachable, type Status } from './status';
import type { KObject } from '../contract';
import { previousLogLines, type LogLines } from '../kubelet/logs';
import { rfc3339Nano } from '../runtime/objects';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

/**
 * The apiserver's answer when it cannot reach the kubelet of `node` (the playground stopped it): undefined while
 * the kubelet runs. `logsPath`: the kubelet URL a log request goes to (see kubeletUnreachable).
 */
export function kubeletRefusal(ctx: HttpContext, node: string, logsPath?: string): Status | undefined {
  if (!ctx.playground?.kubeletDown?.(node)) return undefined;
  let obj: KObject | undefined;
  try { obj = ctx.api.get(NODES, undefined, node); } catch { obj = undefined; }
  return kubeletUnreachable(obj, logsPath);
}
const POLL_MS = 50;

export function pickContainer(pod: any, requested: string | null): string {
  const containers: any[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const name = pod.metadata?.name;
  if (requested) {
    if (!containers.some((c) => c.name === requested)) {
      throw new HttpStatusError(badRequest(`container ${requested} is not valid for pod ${name}`));
    }
    return requested;
  }
  const app: any[] = pod.spec?.containers ?? [];
  if (app.length === 1) return app[0].name;
  const list = app.map((c) => c.name).join(' ');
  const init = (pod.spec?.initContainers ?? []).map((c: any) => c.name).join(' ');
  let msg = `a container name must be specified for pod ${name}, choose one of: [${list}]`;
  if (init) msg += ` or one of the init containers: [${init}]`;
  const eph = (pod.spec?.ephemeralContainers ?? []).map((c: any) => c.name).join(' ');
  if (eph) msg += ` or one of the ephemeral containers: [${eph}]`;
  throw new HttpStatusError(badRequest(msg));
}

/** Upstream refuses logs of a container that has not started yet. */
function checkStarted(pod: any, container: string): void {
  // validateContainerLogStatus looks in the app, init and ephemeral (kubectl debug) containers' statuses.
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const st = statuses.find((s) => s.name === container);
  const waiting = st?.state?.waiting;
  if (!st || (waiting && !st.lastState?.terminated)) {
    // validateContainerLogStatus words the two image-pull reasons its own way.
    const reason = waiting?.reason || 'ContainerCreating';
    const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    throw new HttpStatusError(badRequest(`container "${container}" in pod "${pod.metadata?.name}" is waiting to start: ${why}`));
  }
}

/** The previous instance's lines: the playground's kubelet adds what its script wrote; a bare apiserver reads the pod alone. */
function previousLines(ctx: HttpContext, pod: any, container: string): string[] {
  try {
    return ctx.playground ? ctx.logs(pod.metadata.namespace, pod.metadata.name, container, true) : previousLogLines(pod, container);
  } catch (e) {
    throw new HttpStatusError(badRequest((e as Error).message));
  }
}

/** sinceSeconds or sinceTime (PodLogOptions): the earliest time a line may have been written, or undefined. */
function sinceOf(q: URLSearchParams, now: number): number | undefined {
  const seconds = q.get('sinceSeconds');
  const time = q.get('sinceTime');
  if (seconds !== null && time !== null) throw new HttpStatusError(badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified'));
  if (seconds !== null) {
    const n = Number(seconds);
    if (!Number.isInteger(n) || n < 1) throw new HttpStatusError(badRequest(`sinceSeconds: Invalid value: ${seconds}: must be greater than 0`));
    return now - n * 1000;
  }
  if (time !== null) {
    const t = Date.parse(time);
    if (Number.isNaN(t)) throw new HttpStatusError(badRequest(`sinceTime: Invalid value: "${time}": parsing time "${time}" as "2006-01-02T15:04:05Z07:00": cannot parse`));
    return t;
  }
  return undefined;
}

export function serveLogs(ctx: HttpContext, req: http.IncomingMessage, res: http.ServerResponse, ns: string, name: string, q: URLSearchParams): void {
  const pod = ctx.api.get(PODS, ns, name);
  const container = pickContainer(pod, q.get('container'));
  // LogLocation: a pod with no node yet has no log to stream, and the answer is an empty one (not an error).
  if (!pod.spec?.nodeName) {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  // LogLocation sends the request to the node's kubelet, which checks the container: a stopped kubelet answers nothing.
  const unreachable = kubeletRefusal(ctx, pod.spec.nodeName, kubeletLogsPath(ns, name, container, q));
  if (unreachable) throw new HttpStatusError(unreachable);
  const previous = q.get('previous') === 'true';
  if (!previous) checkStarted(pod, container);
  // The previous instance has ended: there is nothing to follow.
  const follow = q.get('follow') === 'true' && !previous;
  const tailParam = q.get('tailLines');
  const limitParam = q.get('limitBytes');
  const since = sinceOf(q, ctx.now());
  const timestamps = q.get('timestamps') === 'true';
  let lines = previous ? previousLines(ctx, pod, container) : ctx.logs(ns, name, container);
  // Lines sent, counted from the container's first line: the log drops its oldest lines past its cap.
  const totalOf = (ls: string[]) => ls.length + ((ls as { dropped?: number }).dropped ?? 0);
  let sent = totalOf(lines);
  // The kubelet's ReadLogs: lines written before `since` are skipped; with timestamps each line starts with its time.
  const shape = (ls: LogLines): string[] => {
    const times = ls.times;
    const out: string[] = [];
    for (let i = 0; i < ls.length; i++) {
      const t = times?.[i];
      if (since !== undefined && t !== undefined && t < since) continue;
      out.push(timestamps && t !== undefined ? `${rfc3339Nano(t)} ${ls[i]}` : ls[i]);
    }
    return out;
  };
  lines = shape(lines);
  if (tailParam !== null) {
    const n = Number(tailParam);
    if (!Number.isInteger(n) || n < 0) throw new HttpStatusError(badRequest(`tailLines: Invalid value: ${tailParam}: must be greater than or equal to 0`));
    lines = n === 0 ? [] : lines.slice(-n);
  }
  let budget = limitParam !== null ? Number(limitParam) : Infinity;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  const emit = (ls: string[]): boolean => {
    for (const l of ls) {
      let text = l.endsWith('\n') ? l : l + '\n';
      if (text.length > budget) text = text.slice(0, budget);
      budget -= text.length;
      res.write(text);
      if (budget <= 0) return false;
    }
    return true;
  };
  const more = emit(lines);
  // The kubelet follows one instance of the container, and only while it runs (ReadLogs' waitLogs): a container
  // not running now (a finished init container, one in CrashLoopBackOff showing its last instance) is not followed.
  const statusOf = (p: any) => [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? []), ...(p.status?.ephemeralContainerStatuses ?? [])]
    .find((x: any) => x.name === container);
  const startStatus = statusOf(pod);
  // The kubelet's own view when there is one (the status written to the pod can lag behind it).
  const live = ctx.runningInstance ? () => ctx.runningInstance!(ns, name, container) : undefined;
  const instance: string | undefined = live ? live() : startStatus?.state?.running ? startStatus.containerID : undefined;
  if (!follow || !more || ((live || startStatus) && instance === undefined)) {
    res.end();
    return;
  }
  const uid = pod.metadata?.uid;
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    untrack();
    res.end();
  };
  const timer = setInterval(() => {
    let current: any;
    try {
      current = ctx.api.get(PODS, ns, name);
    } catch {
      finish();
      return;
    }
    if (current.metadata?.uid !== uid) return finish();
    const st = statusOf(current);
    // Already another instance running: the one followed has ended, and its log with it.
    const replaced = instance !== undefined && !!st?.state?.running && st.containerID !== instance;
    // The followed instance's own log, by its container ID, whether it still runs, has ended, or was replaced.
    let all: LogLines;
    try { all = instance !== undefined ? ctx.logs(ns, name, container, false, instance) : ctx.logs(ns, name, container); } catch { return finish(); }
    const total = totalOf(all);
    if (total < sent) sent = 0; // the log was rotated or started afresh
    if (total > sent) {
      const fresh: LogLines = all.slice(Math.max(0, all.length - (total - sent)));
      if (all.times) fresh.times = all.times.slice(Math.max(0, all.length - (total - sent)));
      const ok = emit(shape(fresh));
      sent = total;
      if (!ok) return finish();
    }
    if (instance === undefined) {
      // No status to go by yet (a bare apiserver): follow until the pod is done.
      const terminal = current.status?.phase === 'Succeeded' || current.status?.phase === 'Failed';
      if (terminal && st?.state?.terminated) finish();
    } else if (live ? live() !== instance : replaced || !st?.state?.running) finish();
  }, POLL_MS);
  const untrack = ctx.track(finish);
  req.on('close', finish);
  res.on('close', finish);
}

/**
 * The kubelet URL's path and query LogLocation builds (pkg/registry/core/pod/strategy.go): the options it passes on,
 * as url.Values encodes them (sorted by key).
 */
function kubeletLogsPath(ns: string, name: string, container: string, q: URLSearchParams): string {
  const params: [string, string][] = [];
  if (q.get('follow') === 'true') params.push(['follow', 'true']);
  if (q.get('previous') === 'true') params.push(['previous', 'true']);
  if (q.get('timestamps') === 'true') params.push(['timestamps', 'true']);
  for (const k of ['sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes']) {
    const v = q.get(k);
    if (v !== null) params.push([k, v]);
  }
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `/containerLogs/${ns}/${name}/${container}${query ? '?' + query : ''}`;
}
