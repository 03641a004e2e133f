/**
 * Splits a Kubernetes API path into what it names, the way the apiserver's
 * RequestInfoFactory does: group, version, namespace, resource, name, subresource.
 */

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
}

export type ApiPath =
  | { type: 'root' } // /api or /apis
  | { type: 'legacyRoot' } // /api
  | { type: 'groupList' } // /apis
  | { type: 'group'; group: string } // /apis/apps
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'resource'; path: ResourcePath };

/** Returns undefined for anything that is not under /api or /apis. */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const parts = pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  if (parts.length === 0) return undefined;
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'legacyRoot' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'groupList' };
    if (parts.length === 2) return { type: 'group', group: parts[1] };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
    if (rest.length === 0) return undefined;
  }
  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}/... but /namespaces and /namespaces/{name}[/{sub}] name the namespace itself.
  if (rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
    return { type: 'resource', path: { group, version, resource: 'namespaces', name: rest[1], subresource: rest[2], watchPrefix } };
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    return { type: 'resource', path: { group, version, resource: 'namespaces', name: rest[1], watchPrefix } };
  }
  if (rest.length > 3) return undefined;
  const [resource, name, subresource] = rest;
  return { type: 'resource', path: { group, version, namespace, resource, name, subresource, watchPrefix } };
}
