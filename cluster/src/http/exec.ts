/**
 * `pods/{name}/exec` over WebSocket, as kubectl ≥ 1.30 speaks it
 * (subprotocol v5.channel.k8s.io, or v4): every binary message starts with
 * its channel — 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status that
 * ends the session), 4 resize, and in v5 255 "close" (`[255, 0]` = stdin
 * ended). Refusals before the upgrade are upstream's: the apiserver's 400s
 * for an unknown container or an unscheduled pod, the kubelet's
 * `container not found ("c")` for a container that is not running. SPDY
 * (kubectl's fallback) and attach/port-forward get the same refusals, then a
 * clear 400: only WebSocket exec is simulated.
 */
import { randomBytes } from 'crypto';
import type * as http from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import { admitRequest, requestAttributes, type AuthSources } from './auth';
import { parseApiPath } from './paths';
import { badRequest, notFoundPath, toStatus, type Status } from './status';
import { kubeletRefusal, pickContainer } from './logs';
import { STREAMING, streamingNotAvailable } from './streaming';
import { handlePortForward, pickPortForwardProtocol } from './portforward';
import { ShellState, commandName, execCommand, readsBinaryStdin, readsStdin } from '../kubelet/exec';
import { clusterWorld, instanceOf, type ExecWorld } from '../kubelet/execenv';
import { InteractiveShell, isShell } from '../kubelet/execsession';
import type { RunOut } from '../kubelet/shellsyntax';
import { hasNoPrograms, interactiveShell, lacksProgram } from '../../../kube/src/imageConvention';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0, STDOUT = 1, STDERR = 2, ERROR = 3, RESIZE = 4, CLOSE = 255;
/** The most standard input one exec takes in (a `kubectl cp` archive): the size of the playground's disks. */
const MAX_EXEC_INPUT = 256 * 1024 * 1024;

/** Writes a plain HTTP answer on a socket that was not upgraded. */
function refuse(socket: Duplex, code: number, body: string, contentType = 'application/json'): void {
  if (!socket.writable) return;
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
const refuseStatus = (socket: Duplex, s: Status) => refuse(socket, s.code, JSON.stringify(s));

class Refusal extends Error {
  constructor(readonly code: number, readonly body: string, readonly contentType = 'application/json') { super(body); }
  static of(s: Status) { return new Refusal(s.code, JSON.stringify(s)); }
}

function worldFor(ctx: HttpContext, pod: KObject, container: string): ExecWorld {
  const world = ctx.playground?.execWorld?.(pod, container);
  if (world) return world;
  return clusterWorld({
    api: ctx.api,
    now: () => ctx.now(),
    resolve: (name) => ctx.playground?.resolve(name) ?? [],
    dnsServing: () => ctx.playground?.dnsServing() ?? true,
    route: (ip, port, from) => ctx.playground?.route(ip, port, 'TCP', from),
  }, pod, container);
}

/** The apiserver's and the kubelet's checks, in their order; returns the pod and container. */
function admit(ctx: HttpContext, ns: string, name: string, q: URLSearchParams): { pod: KObject; container: string } {
  let pod: KObject;
  try { pod = ctx.api.get(PODS, ns, name); } catch (e) { throw Refusal.of(toStatus(e)); }
  let container: string;
  try { container = pickContainer(pod, q.get('container')); } catch (e) { throw Refusal.of(toStatus(e)); }
  if (!pod.spec?.nodeName) throw Refusal.of(badRequest(`pod ${name} does not have a host assigned`));
  // The apiserver dials the node's kubelet before the kubelet looks at the container.
  const unreachable = kubeletRefusal(ctx, pod.spec.nodeName);
  if (unreachable) throw Refusal.of(unreachable);
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  if (!statuses.find((s) => s.name === container)?.state?.running) throw new Refusal(500, `container not found ("${container}")`, 'text/plain; charset=utf-8');
  return { pod, container };
}

/**
 * Special builtins of the shell, which no image ships as a program: only a shell runs them. (`cd`, `type` and
 * `command` too, except on Red Hat family images, whose bash package installs POSIX wrapper scripts such as
 * /usr/bin/cd and /usr/bin/type.)
 */
const SHELL_ONLY: ReadonlySet<string> = new Set(['export', 'exit', 'set', 'unset', 'source', '.', 'shift', 'trap', 'eval', 'local', 'return',
  'readonly', 'break', 'continue', 'times', 'exec']);
const RED_HAT_FAMILY = /(^|\/)(ubi\d*(-\w+)?|centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|rhel\d*)(:|@|$)/;
/** How long after the session opens the first output of a client that sends nothing comes (see whenClientReady). */
const FIRST_OUTPUT_DELAY_MS = 15;
/** How long a terminal session's first output (a prompt, a command's output) waits for the client's terminal size before it is sent anyway. */
const TTY_PROMPT_WAIT_MS = 250;
/** The pause between a command's write to stdout and its next to stderr, or back (the ordered output of an exec, below). */
const STREAM_SWITCH_MS = 10;

const WRAPPED_ON_RED_HAT: ReadonlySet<string> = new Set(['cd', 'type', 'command']);
const shellOnly = (argv0: string, image: string) => SHELL_ONLY.has(argv0) || (WRAPPED_ON_RED_HAT.has(argv0) && !RED_HAT_FAMILY.test(image));

/**
 * A command the container does not have, run directly: runc cannot start it, containerd says so, and the
 * kubelet sends it as an internal error (no exit code; kubectl prints `error: Internal error occurred: ...`).
 */
function notStartedStatus(command: string): Record<string, unknown> {
  const why = command.includes('/') ? `stat ${command}: no such file or directory` : 'executable file not found in $PATH';
  const err = `error executing command in container: failed to exec in container: failed to start exec "${randomBytes(32).toString('hex')}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command}": ${why}: unknown`;
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${err}`, reason: 'InternalError', details: { causes: [{ message: err }] }, code: 500 };
}

/** The Status that ends a session on the error channel, as the kubelet writes it (no code, no kind). */
function exitStatus(argv: string[], code: number): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function createExecUpgrade(ctx: HttpContext, token: string, auth?: AuthSources): (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const pfWss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => pickPortForwardProtocol(offered) });
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (err) {
      // Whatever a request carries (a malformed escape included), the process lives on: the client gets a Status.
      refuseStatus(socket, toStatus(err));
    }
  };

  function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const ap = parseApiPath(qi < 0 ? raw : raw.slice(0, qi));
    const q = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
    // A WebSocket upgrade is a GET, and also needs `create` on the subresource (AuthorizePodWebsocketUpgradeCreatePermission);
    // SPDY's POST is a `create`.
    const refusal = admitRequest(req, token, auth, () => {
      const a = requestAttributes(req.method ?? 'GET', raw, ap, q);
      return a.verb === 'get' ? [a, { ...a, verb: 'create' }] : a;
    });
    if (refusal) return refuseStatus(socket, refusal);
    const p = ap?.type === 'resource' ? ap.path : undefined;
    if (!p || !p.subresource || !STREAMING.has(p.subresource)) return refuseStatus(socket, notFoundPath());
    const sub = p.subresource;
    if (p.resource === 'pods' && p.group === '' && sub === 'portforward' && p.namespace && p.name) {
      return handlePortForward(ctx, pfWss, req, socket, head, p.namespace, p.name, q, (code, body, type) => refuse(socket, code, body, type));
    }
    if (p.resource !== 'pods' || p.group !== '' || (sub !== 'exec' && sub !== 'attach') || !p.namespace || !p.name) return refuseStatus(socket, streamingNotAvailable(p.resource, p.subresource));
    let target: { pod: KObject; container: string };
    try {
      target = admit(ctx, p.namespace, p.name, q);
    } catch (e) {
      if (e instanceof Refusal) return refuse(socket, e.code, e.body, e.contentType);
      return refuseStatus(socket, toStatus(e));
    }
    // Attach joins the container's own process: only an interactive shell waiting on its stdin is simulated.
    const argv = sub === 'attach' ? attachableShell(target.pod, target.container) : q.getAll('command');
    if (sub === 'attach' && !argv) return refuseStatus(socket, streamingNotAvailable('pods', 'attach', undefined, true));
    if (!argv?.length) return refuseStatus(socket, badRequest('you must specify at least 1 command'));
    const isWs = String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    if (!isWs) return refuseStatus(socket, streamingNotAvailable('pods', sub, String(req.headers.upgrade ?? '')));
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!EXEC_PROTOCOLS.some((x) => offered.includes(x))) {
      return refuseStatus(socket, badRequest(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${EXEC_PROTOCOLS.join(' ')}]`));
    }
    wss.handleUpgrade(req, socket, head, (ws) => session(ctx, ws, target, argv, q, sub === 'attach'));
  };
}

/** A container's spec by name: a regular, init or ephemeral (kubectl debug) container. */
const specOf = (pod: KObject, name: string): any =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c: any) => c.name === name);

/** The container's process when attach can join it (an interactive shell); anything else's output is its log. */
function attachableShell(pod: KObject, container: string): string[] | undefined {
  return interactiveShell(specOf(pod, container));
}

function session(ctx: HttpContext, ws: WebSocket, target: { pod: KObject; container: string }, argv: string[], q: URLSearchParams, attach = false): void {
  const tty = q.get('tty') === 'true' || q.get('tty') === '1';
  const wantStdin = q.get('stdin') === 'true' || q.get('stdin') === '1';
  const world = worldFor(ctx, target.pod, target.container);
  let done = false;
  const untrack = ctx.track(() => ws.terminate());
  const send = (ch: number, text: string) => {
    if (!text || done) return;
    // A TTY has one output stream; stderr joins stdout as on a terminal.
    const channel = tty && ch === STDERR ? STDOUT : ch;
    ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text, 'utf8')]));
  };
  const sendBytes = (ch: number, bytes: Uint8Array) => {
    if (!bytes.length || done) return;
    ws.send(Buffer.concat([Buffer.from([ch]), bytes]));
  };
  // The instance attached to: a session left over from an earlier instance must not end a later one.
  const statuses: any[] = [...(target.pod.status?.containerStatuses ?? []), ...(target.pod.status?.initContainerStatuses ?? [])];
  const instance: string | undefined = statuses.find((s) => s.name === target.container)?.containerID;
  const endInstance = (code: number) => {
    ctx.playground?.endContainer(target.pod.metadata.namespace!, target.pod.metadata.name!, target.container, code, instance);
    ctx.afterWrite();
  };
  let ended = false;
  const finish = (code: number) => {
    if (done) return;
    ended = true;
    // The attached shell was the container's process: the container ends with it. Attach reports no exit code.
    if (attach) endInstance(code);
    ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(exitStatus(argv, attach ? 0 : code)))]));
    done = true;
    ws.close(1000);
  };
  // The session ends with its container, as the runtime kills an exec'd process when the container stops
  // (kubectl then says `command terminated with exit code 137`) or the pod is deleted.
  const watch = setInterval(() => {
    if (done) return;
    let now: KObject | undefined;
    try { now = ctx.api.get(PODS, target.pod.metadata.namespace!, target.pod.metadata.name!); } catch { now = undefined; }
    const inst = now ? instanceOf(now, target.container) : undefined;
    const alive = !!now && now.metadata.uid === target.pod.metadata.uid && inst?.startedAt !== undefined && (instance === undefined || inst.id === instance);
    if (!alive) finish(137);
  }, 500);
  watch.unref?.();
  ws.on('close', () => { done = true; clearInterval(watch); untrack(); });
  ws.on('error', () => { done = true; clearInterval(watch); untrack(); });

  let onInput: (data: Buffer) => void = () => undefined;
  // Output sent before the client has set its streams up is lost: kubectl's WebSocket client registers them after its
  // read loop starts and drops what comes first ("Unknown stream id 1, discarding message", then "error: closed all
  // streams"). A client's first frame says its streams exist (kubectl sends a terminal's size first, or stdin); a
  // client that sends nothing gets the first output after a moment instead.
  let clientReady = false;
  const waiting: (() => void)[] = [];
  const markClientReady = () => {
    if (clientReady) return;
    clientReady = true;
    for (const f of waiting.splice(0)) f();
  };
  const whenClientReady = (f: () => void, waitMs: number) => {
    if (clientReady) return f();
    waiting.push(f);
    setTimeout(markClientReady, waitMs);
  };
  let onResize: (size: { Width: number; Height: number }) => void = () => undefined;
  let onEnd: () => void = () => undefined;
  // Nothing a user sends may take the server down: a failure inside the simulated shell ends the session with it.
  const fail = (e: unknown) => {
    send(STDERR, `kubeplay: the simulated shell failed: ${(e as Error)?.message ?? String(e)}\n`);
    finish(126);
  };
  // An image with no programs at all (pause, distroless): runc finds nothing to exec, not even a shell.
  if (!attach && hasNoPrograms(String(specOf(target.pod, target.container)?.image ?? ''))) {
    ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(notStartedStatus(argv[0] ?? '')))]));
    done = true;
    ws.close(1000);
    return;
  }
  let state: ShellState | undefined;
  // A shell the image does not have (bash in alpine's or busybox's, ash in a Debian one's): runc cannot exec it.
  if (!attach && isShell(argv) && lacksProgram(String(specOf(target.pod, target.container)?.image ?? ''), commandName(argv[0]))) {
    ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(notStartedStatus(argv[0])))]));
    done = true;
    ws.close(1000);
    return;
  }
  if (isShell(argv)) {
    try { state = new ShellState(world); } catch (e) { return fail(e); }
    // Its $0 is the name it was run by (`/bin/sh`), which dash and bash begin their errors with.
    state.arg0 = argv[0];
    // The exec'd shell is a process of its own (`ps` shows its command line); an attached one is the container's.
    state.session = { ...state.session, args: argv.join(' '), ...(attach ? { kind: 'attached' as const } : {}) };
  }
  if (state) {
    const shell = new InteractiveShell(state, tty, commandName(argv[0]) === 'bash' ? 'bash' : 'sh');
    const emit = (o: { stdout: string; stderr: string; exit?: number }) => {
      send(STDOUT, o.stdout);
      send(STDERR, o.stderr);
      // An attached shell is the container's process: what it prints is the container's log too.
      if (attach) {
        for (const text of [o.stdout, o.stderr]) {
          if (text) ctx.playground?.containerOutput(target.pod.metadata.namespace!, target.pod.metadata.name!, target.container, text, instance);
        }
      }
      if (o.exit !== undefined) finish(o.exit);
    };
    const guarded = (step: () => { stdout: string; stderr: string; exit?: number }) => { try { emit(step()); } catch (e) { fail(e); } };
    // A terminal's first prompt waits for the client's streams (kubectl sends the terminal size once they exist).
    let started = false;
    const start = () => { if (!started && !done) { started = true; guarded(() => shell.start()); } };
    if (tty) whenClientReady(start, TTY_PROMPT_WAIT_MS); else start();
    onInput = (data) => { start(); guarded(() => shell.input(data.toString('utf8'))); };
    onEnd = () => { start(); guarded(() => shell.end()); };
    onResize = (size) => { if (size.Width > 0) shell.resize(size.Width); };
    // Attach without stdin only watches; exec without stdin has no input to wait for.
    if (!wantStdin && !attach) onEnd();
    // stdinOnce (kubectl run -i): the client going away closes the shell's stdin, and the shell ends with $?.
    const spec = specOf(target.pod, target.container);
    if (attach && wantStdin && spec?.stdinOnce) ws.on('close', () => { if (!ended) endInstance(state.last); });
  } else {
    const input: Buffer[] = [];
    let inputBytes = 0;
    const run = () => {
      const bytes = Buffer.concat(input);
      input.length = 0;
      let r;
      // A shell builtin with no program of its name (`cd`, `export`, `exit`): run directly there is nothing to exec.
      if (shellOnly(argv[0] ?? '', String(specOf(target.pod, target.container)?.image ?? ''))) r = { stdout: '', stderr: '', code: 127, notFound: true };
      else {
        try { r = execCommand(world, argv, bytes.toString('utf8'), bytes, true); } catch (e) { return fail(e); }
      }
      if (r.notFound) {
        ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(notStartedStatus(argv[0])))]));
        done = true;
        ws.close(1000);
        return;
      }
      const crlf = (t: string) => (tty ? t.replace(/\r?\n/g, '\r\n') : t);
      const order = (r as RunOut).order;
      if (r.bin) {
        // tar reports a source it cannot read before it writes the archive's closing blocks, so `kubectl cp` of a
        // missing file prints tar's message (kubectl stops reading at the end of the archive, and exits). The
        // archive follows a moment later, as tar's next write does, so kubectl has printed the message by then.
        if (r.stderr) {
          send(STDERR, crlf(r.stderr));
          const bin = r.bin, code = r.code;
          setTimeout(() => { if (!done) { sendBytes(STDOUT, bin); finish(code); } }, 20);
          return;
        }
        sendBytes(STDOUT, r.bin);
      } else if (order) {
        // A shell's output in the order it was written; a terminal is one stream. Where the writes go from one stream
        // to the other, the next comes a moment later, as a real process's next write does: kubectl copies the two
        // streams in goroutines of their own, so frames sent back to back could reach a `2>&1` pipe out of order.
        const chunks = order.map((w) => ({ ch: tty || w.fd === 1 ? STDOUT : STDERR, text: crlf(w.text) }));
        const code = r.code;
        let i = 0;
        const next = () => {
          if (done) return;
          while (i < chunks.length) {
            const c = chunks[i++];
            send(c.ch, c.text);
            if (i < chunks.length && chunks[i].ch !== c.ch) { setTimeout(next, STREAM_SWITCH_MS); return; }
          }
          finish(code);
        };
        next();
        return;
      } else {
        send(STDOUT, crlf(r.stdout));
        send(STDERR, crlf(r.stderr));
      }
      finish(r.code);
    };
    if (wantStdin && (readsStdin(argv) || readsBinaryStdin(argv))) {
      onInput = (data) => {
        inputBytes += data.length;
        // More than the node's disks could hold: the command sees its input end there and fails as a full disk does.
        if (inputBytes > MAX_EXEC_INPUT) { send(STDERR, `${commandName(argv[0])}: write error: No space left on device\n`); finish(1); return; }
        input.push(Buffer.from(data));
      };
      onEnd = run;
    } else {
      // The command's output waits for the client's streams: with a terminal, for the size kubectl sends first.
      whenClientReady(() => { if (!done) run(); }, tty ? TTY_PROMPT_WAIT_MS : FIRST_OUTPUT_DELAY_MS);
    }
  }
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (done || !isBinary || !data.length) return;
    const ch = data[0];
    markClientReady();
    if (ch === RESIZE) {
      // kubectl's TerminalSize: {"Width":120,"Height":40}; the shell's programs (ls) format for that width.
      try {
        const size = JSON.parse(data.subarray(1).toString('utf8'));
        if (Number.isInteger(size?.Width) && Number.isInteger(size?.Height)) onResize(size);
      } catch { /* a malformed size is ignored, as the kubelet's resize loop logs and goes on */ }
    } else if (ch === STDIN) onInput(data.subarray(1));
    else if (ch === CLOSE && data[1] === STDIN) onEnd();
  });
}
