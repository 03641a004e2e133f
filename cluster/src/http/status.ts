/**
 * Upstream-shaped `Status` answers. kubectl prints `message` verbatim and
 * branches on `reason` and `code`, so these mirror the apiserver's exactly.
 */
import type * as http from 'node:http';
import { goYaml } from '../kubelet/goyaml';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

export function failure(code: number, reason: string, message: string, details?: Record<string, unknown>): Status {
  return inFieldOrder({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });
}

/** A Status with its fields in metav1.Status's order, as Go encodes it (details before code); absent ones left out. */
function inFieldOrder(s: Status): Status {
  const out: Record<string, unknown> = {};
  for (const k of ['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'details', 'code']) if ((s as any)[k] !== undefined) out[k] = (s as any)[k];
  for (const [k, v] of Object.entries(s)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as unknown as Status;
}

/** Thrown inside the HTTP layer; the core's StatusError is recognised by shape (see `toStatus`). */
export class HttpStatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export const unauthorized = (): Status => failure(401, 'Unauthorized', 'Unauthorized');
export const notFoundPath = (): Status => failure(404, 'NotFound', 'the server could not find the requested resource', {});
export const methodNotAllowed = (): Status =>
  failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
export const badRequest = (message: string): Status => failure(400, 'BadRequest', message);
export const notAcceptable = (types: string[]): Status =>
  failure(406, 'NotAcceptable', `only the following media types are accepted: ${types.join(', ')}`);
export const unsupportedMediaType = (accepted: string[]): Status =>
  failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);

/** Any thrown value as a Status: the core's StatusError carries one in `.status` (or `.toStatus()`). */
export function toStatus(err: unknown): Status {
  const e = err as any;
  const candidate = e?.status && typeof e.status === 'object' ? e.status : typeof e?.toStatus === 'function' ? e.toStatus() : undefined;
  if (candidate && candidate.kind === 'Status' && typeof candidate.code === 'number') {
    return inFieldOrder({ kind: 'Status', apiVersion: 'v1', metadata: {}, ...candidate });
  }
  const message = e instanceof Error ? e.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/** Writes a JSON body; `Warning` headers carry fieldValidation=Warn and deprecation notes as upstream does. */
export function sendJson(res: http.ServerResponse, code: number, body: unknown, warnings?: string[], contentType = 'application/json'): void {
  sendJsonText(res, code, JSON.stringify(body), warnings, contentType);
}

/** Responses the client asked for in YAML (`Accept: application/yaml`): the apiserver's YAML serializer writes them. */
const yamlResponses = new WeakSet<http.ServerResponse>();
export function markYaml(res: http.ServerResponse): void {
  yamlResponses.add(res);
}

/** Responses whose JSON is indented, as the apiserver indents it for people (see markPretty). */
const prettyResponses = new WeakSet<http.ServerResponse>();

/**
 * Upstream's isPrettyPrint: `?pretty=` when the request gives it (any boolean Go's ParseBool reads), else a
 * curl, Wget or browser User-Agent. Such a client gets its JSON indented by two spaces.
 */
export function markPretty(req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams): void {
  const pp = q.get('pretty');
  let pretty: boolean;
  if (pp) pretty = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(pp);
  else {
    const ua = req.headers['user-agent'] ?? '';
    pretty = ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
  }
  if (pretty) prettyResponses.add(res);
}

/** For bodies already encoded (lists). */
export function sendJsonText(res: http.ServerResponse, code: number, text: string, warnings?: string[], contentType = 'application/json'): void {
  if (yamlResponses.has(res) && contentType === 'application/json') {
    try {
      text = goYaml(JSON.parse(text));
      contentType = 'application/yaml';
    } catch {
      // not JSON after all: sent as it is
    }
  } else if (prettyResponses.has(res) && contentType.startsWith('application/json')) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON after all: sent as it is
    }
  }
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings && warnings.length) {
    // Keep a deprecation warning set for the whole request (deprecatedApiWarning) in front of the handler's own.
    const before = res.getHeader('Warning');
    headers['Warning'] = [...(Array.isArray(before) ? before : before !== undefined ? [String(before)] : []), ...warnings.map(warningHeader)];
  }
  res.writeHead(code, headers);
  res.end(text);
}

export function sendStatus(res: http.ServerResponse, s: Status): void {
  // The apiserver's error answers tell browsers not to guess another type (responsewriters.ErrorNegotiated).
  if (s.status === 'Failure') res.setHeader('X-Content-Type-Options', 'nosniff');
  sendJson(res, s.code, s);
}

/** RFC 7234 warn-code 299 with the text quoted, as the apiserver's warning recorder writes it. */
/**
 * The deprecation filter's warning for a deprecated group/version/resource, on every answer of the request
 * (lists, gets, watches, writes and errors alike), as the apiserver's WithWarningRecorder and
 * deprecation.WarningMessage give it.
 */
export function deprecatedApiWarning(res: http.ServerResponse, message: string): void {
  res.setHeader('Warning', [warningHeader(message)]);
}

export function warningHeader(message: string): string {
  return `299 - "${message.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The apiserver's answer when the node's kubelet does not answer (a stopped kubelet: nothing listens on its port).
 * Exec, attach and port-forward go through the upgrade-aware proxy, whose dial fails with `error dialing backend:
 * <dial error>` (apimachinery util/proxy/upgradeaware.go); logs are a GET of the kubelet's containerLogs URL, and
 * Go's client reports `Get "<url>": <dial error>`. Either is a plain error, which ErrorToAPIStatus makes a 500 with
 * no reason: kubectl prints `Error from server: <message>`.
 */
export function kubeletUnreachable(node: { status?: { addresses?: { type?: string; address?: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } } | undefined, logsPath?: string): Status {
  const ip = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
  const port = node?.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250;
  const dial = `dial tcp ${ip}:${port}: connect: connection refused`;
  const message = logsPath === undefined ? `error dialing backend: ${dial}` : `Get "https://${ip}:${port}${logsPath}": ${dial}`;
  return inFieldOrder({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}
