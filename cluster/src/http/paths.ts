/**
 * Splits a Kubernetes API path into what it names, the way the apiserver's
 * RequestInfoFactory does: group, version, namespace, resource, name, subresource.
 */
import { HttpStatusError, badRequest } from './status';
import { Interner } from '../runtime/intern';

export interface ResourcePath {
  group: string;
  version: string;
  /** Set for `/namespaces/{ns}/...` paths, and for the namespace object itself. */
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** The legacy `/watch/` prefix. */
  watchPrefix: boolean;
  /** For the `proxy` subresource: the path after `/proxy` (`/` for `/proxy/`), undefined for a bare `/proxy`. */
  proxyPath?: string;
}

export type ApiPath =
  | { type: 'root' } // /api or /apis
  | { type: 'legacyRoot' } // /api
  | { type: 'groupList' } // /apis
  | { type: 'group'; group: string } // /apis/apps
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'resource'; path: ResourcePath };

/** A path segment's escapes decoded; a malformed one is the client's error (Go's URL parser answers 400). */
function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    throw new HttpStatusError(badRequest(`invalid URL escape in "${seg}"`));
  }
}

/**
 * What each path named, for the paths clients send over and over (a controller's writes, a client's POSTs to one
 * collection): the answers are frozen, so every request may share them. Bounded: a stream of distinct names only
 * starts it over.
 */
const parsed = new Interner<ApiPath | null>(256);

/** Returns undefined for anything that is not under /api or /apis. */
export function parseApiPath(pathname: string): ApiPath | undefined {
  return parsed.get(pathname, frozenApiPath) ?? undefined;
}

function frozenApiPath(pathname: string): ApiPath | null {
  const ap = splitApiPath(pathname);
  if (!ap) return null;
  if (ap.type === 'resource') Object.freeze(ap.path);
  return Object.freeze(ap);
}

/** Walks the segments once, and decodes only when the path has an escape. */
function splitApiPath(pathname: string): ApiPath | undefined {
  const escaped = pathname.includes('%');
  const parts: string[] = [];
  for (const seg of pathname.split('/')) if (seg.length > 0) parts.push(escaped ? decodeSegment(seg) : seg);
  if (parts.length === 0) return undefined;
  let group: string;
  let version: string;
  let at: number; // index of the first segment after the group version
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'legacyRoot' };
    group = '';
    version = parts[1];
    at = 2;
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'groupList' };
    if (parts.length === 2) return { type: 'group', group: parts[1] };
    group = parts[1];
    version = parts[2];
    at = 3;
  } else {
    return undefined;
  }
  if (parts.length === at) return { type: 'groupVersion', group, version };
  let watchPrefix = false;
  if (parts[at] === 'watch') {
    watchPrefix = true;
    at++;
    if (parts.length === at) return undefined;
  }
  const left = parts.length - at;
  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}/... but /namespaces and /namespaces/{name}[/{sub}] name the namespace itself.
  if (parts[at] === 'namespaces') {
    if (left === 3 && (parts[at + 2] === 'status' || parts[at + 2] === 'finalize')) {
      return { type: 'resource', path: { group, version, resource: 'namespaces', name: parts[at + 1], subresource: parts[at + 2], watchPrefix } };
    }
    if (left >= 3) {
      namespace = parts[at + 1];
      at += 2;
    } else if (left === 2) {
      return { type: 'resource', path: { group, version, resource: 'namespaces', name: parts[at + 1], watchPrefix } };
    }
  }
  const resource = parts[at];
  const name = parts[at + 1];
  const subresource = parts[at + 2];
  if (subresource === 'proxy') {
    // Everything after `/proxy` is the backend's path, trailing slash included.
    const rest = parts.slice(at + 3);
    const proxyPath = rest.length ? `/${rest.join('/')}${pathname.endsWith('/') ? '/' : ''}` : pathname.endsWith('/') ? '/' : undefined;
    return { type: 'resource', path: { group, version, namespace, resource, name, subresource, watchPrefix, proxyPath } };
  }
  if (parts.length - at > 3) return undefined;
  return { type: 'resource', path: { group, version, namespace, resource, name, subresource, watchPrefix } };
}
