/**
 * Content negotiation: which representation the client asked for (plain
 * JSON, a Table for `kubectl get`, PartialObjectMetadata, aggregated
 * discovery), and decoding of request bodies by Content-Type.
 */
import type * as http from 'node:http';
import { parse as parseYaml } from 'yaml';
import { KUBE_YAML } from '../../../kube/src/kubeYaml';
import { HttpStatusError, badRequest, failure, unsupportedMediaType } from './status';
import type { PatchType } from '../contract';
import { decodeKubernetesProtobuf } from './proto/decode';
import { Interner } from '../runtime/intern';

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...rest] = part.trim().split(';');
    const params: Record<string, string> = {};
    for (const p of rest) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
    }
    return { type: type.trim().toLowerCase(), params };
  });
}

export type Representation =
  | { as: 'object' }
  | { as: 'table'; apiVersion: string }
  | { as: 'partial'; apiVersion: string };

const OBJECT: Representation = Object.freeze({ as: 'object' });
/** Clients send a handful of distinct Accept headers, over and over: each is parsed once. */
const chosen = new Interner<Representation>(64);
const pickFrozen = (accept: string): Representation => Object.freeze(pickRepresentation(accept));

/** The first acceptable representation in the client's order, as the apiserver's negotiation picks it. */
export function chooseRepresentation(accept: string | undefined): Representation {
  return accept === undefined ? OBJECT : chosen.get(accept, pickFrozen);
}

function pickRepresentation(accept: string): Representation {
  for (const m of parseAccept(accept)) {
    const jsonish = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*' || m.type === 'application/yaml';
    if (!jsonish && m.type !== 'application/vnd.kubernetes.protobuf') continue;
    const as = m.params['as'];
    if (!as) {
      if (jsonish) return { as: 'object' };
      continue;
    }
    if (m.type === 'application/vnd.kubernetes.protobuf') continue;
    const g = m.params['g'];
    const v = m.params['v'];
    if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
    if (as === 'Table') return { as: 'table', apiVersion: `meta.k8s.io/${v}` };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as: 'partial', apiVersion: `meta.k8s.io/${v}` };
  }
  return { as: 'object' };
}

type Media = 'json' | 'yaml' | undefined;
/** Like representations, the media of each distinct Accept header, worked out once (null: none acceptable). */
const media = new Interner<Media | null>(64);

/** What a resource request's answer is written in; undefined when the client accepts none of what is served. */
export function negotiateMedia(accept: string | undefined): Media {
  if (!accept) return 'json';
  return media.get(accept, pickMediaOrNull) ?? undefined;
}
const pickMediaOrNull = (accept: string): Media | null => pickMedia(accept) ?? null;

function pickMedia(accept: string): Media {
  for (const m of parseAccept(accept)) {
    if (m.type === 'application/yaml' && !m.params['as']) return 'yaml';
    if (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*' || m.type === 'application/vnd.kubernetes.protobuf'
      || m.type === 'application/yaml') return 'json';
  }
  return undefined;
}

/** Whether the client accepts aggregated discovery, and which version of it. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.type !== 'application/json') continue;
    if (m.params['as'] === 'APIGroupDiscoveryList' && m.params['g'] === 'apidiscovery.k8s.io') {
      if (m.params['v'] === 'v2' || m.params['v'] === 'v2beta1') return m.params['v'];
    }
    if (!m.params['as']) return undefined;
  }
  return undefined;
}

const MAX_BODY = 3 * 1024 * 1024;

/** The apiserver's answer to a body past its limit. */
const tooLarge = () => new HttpStatusError(failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));

/** Bodies read before a request is served, so the handlers run synchronously from start to answer. */
const bodies = new WeakMap<http.IncomingMessage, Buffer>();
const EMPTY = Buffer.alloc(0);

/**
 * Whether a request carries a body: every method but GET, HEAD and OPTIONS may, and those do when they say
 * so. A GET without one is left unread: a watch's request stays open until its client goes.
 */
function carriesBody(req: http.IncomingMessage): boolean {
  const m = req.method ?? 'GET';
  if (m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS') return true;
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Settled once: what runs after it runs in a microtask, as it would after an awaited read. */
const READ = Promise.resolve();

/**
 * Reads the request's body, when it has one, for `bodyOf` (413 past the apiserver's limit), then calls `then` in
 * a microtask; `fail` gets what went wrong, `then`'s own throws included. Callbacks rather than an async reader:
 * every request comes this way, and its chain of promises cost more than the rest of reading a small body.
 * (Node's queueMicrotask would wrap each callback in an AsyncResource.)
 */
export function readBodyFirst(req: http.IncomingMessage, then: () => void, fail: (err: unknown) => void): void {
  const run = () => {
    try {
      then();
    } catch (err) {
      fail(err);
    }
  };
  if (!carriesBody(req)) {
    READ.then(run);
    return;
  }
  readBody(req, (body) => {
    bodies.set(req, body);
    READ.then(run);
  }, (err) => READ.then(() => fail(err)));
}

/** Gives a request its body (a request made inside the playground, whose body is all there). */
export function setBody(req: http.IncomingMessage, body: Buffer): void {
  if (body.length > MAX_BODY) throw tooLarge();
  bodies.set(req, body);
}

/** The body read by `readBodyFirst` (empty when there was none). */
export function bodyOf(req: http.IncomingMessage): Buffer {
  return bodies.get(req) ?? EMPTY;
}

/** The whole body to `done`, or the first error to `fail` (once: a request past the limit is destroyed). */
function readBody(req: http.IncomingMessage, done: (body: Buffer) => void, fail: (err: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const refuse = (err: unknown) => {
    if (settled) return;
    settled = true;
    fail(err);
  };
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY) {
      refuse(tooLarge());
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    done(Buffer.concat(chunks));
  });
  req.on('error', refuse);
}

function mediaType(req: http.IncomingMessage): string {
  return String(req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
}

function decode(text: string, yaml: boolean): unknown {
  if (!/\S/.test(text)) throw new HttpStatusError(badRequest('the body of the request was empty'));
  try {
    return yaml ? parseYaml(text, KUBE_YAML) : JSON.parse(text);
  } catch (err: any) {
    if (!yaml) {
      // A YAML body sent as JSON is still accepted upstream (the JSON serializer reads YAML).
      try {
        return parseYaml(text, KUBE_YAML);
      } catch {
        /* fall through */
      }
    }
    throw new HttpStatusError(badRequest(`error decoding body: ${err.message}`));
  }
}

/** Decodes a create/update body (JSON or YAML). */
export function decodeObject(req: http.IncomingMessage, body: Buffer): any {
  const t = mediaType(req);
  if (t === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeKubernetesProtobuf(body);
    } catch (err: any) {
      throw new HttpStatusError(badRequest(`error decoding body: ${err.message}`));
    }
  }
  // A form (curl -d without a Content-Type), text, CBOR (its feature gate is off): none has a decoder.
  if (t !== 'application/json' && t !== 'application/yaml') throw new HttpStatusError(unsupportedMediaType(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']));
  return decode(body.toString('utf8'), t === 'application/yaml');
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export function decodePatch(req: http.IncomingMessage, body: Buffer): { type: PatchType; patch: unknown } {
  const type = PATCH_TYPES[mediaType(req)];
  if (!type || mediaType(req) === 'application/apply-patch+cbor') {
    throw new HttpStatusError(unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json']));
  }
  return { type, patch: decode(body.toString('utf8'), type === 'apply') };
}
