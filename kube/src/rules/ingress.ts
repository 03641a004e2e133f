/**
 * Ingresses and IngressClasses, as upstream's networking validation checks
 * them (pkg/apis/networking/validation: ValidateIngressSpec with its rules,
 * paths, backends, TLS and class name, the create-time check of the legacy
 * class annotation, and ValidateIngressClass), in upstream's order and words.
 * v1 defaults nothing on an Ingress (no pathType default), so what the user
 * wrote is what is judged.
 */
import type { Rule, JsonObject } from './context';
import { ACCEPTED_MISSING, apiFinding, formatApiMessage, isObject } from './context';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, maxLenError, regexError } from '../names';
import { portNameErrors, portNumErrors } from './ports';
import type { FieldPath, Finding } from './types';

const CODE = 'ingress-invalid';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];
const WILDCARD_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_RE = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const invalid = (path: FieldPath, value: unknown, detail: string) => apiFinding(CODE, path, 'FieldValueInvalid', value, detail);
const notSupported = (path: FieldPath, value: string, supported: string[]): Finding =>
  ({ code: CODE, severity: 'error', path, message: formatApiMessage('FieldValueNotSupported', value, '', supported), apiError: { type: 'FieldValueNotSupported', value, supported } });
const required = (path: FieldPath, detail = ''): Finding => ({ ...apiFinding(CODE, path, 'FieldValueRequired', undefined, detail), target: 'key' });

/** Upstream IsWildcardDNS1123Subdomain. */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!WILDCARD_RE.test(value)) {
    errs.push(regexError("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character", WILDCARD_FMT, '*.example.com'));
  }
  return errs;
}

/** netutils.ParseIPSloppy's answer, near enough: dotted quads (leading zeros allowed) and IPv6 text. */
function looksLikeIP(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((o) => Number(o) <= 255);
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1;
}

/** IsPathSegmentName: a name that can stand as one segment of a URL path. */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
}

function checkBackend(b: unknown, path: FieldPath, out: Finding[]): void {
  const be = isObject(b) ? b : {};
  const hasService = isObject(be.service);
  const hasResource = isObject(be.resource);
  if (hasService && hasResource) {
    out.push(invalid(path, '', 'cannot set both resource and service backends'));
    return;
  }
  if (hasResource) {
    const r = be.resource as JsonObject;
    const rp = [...path, 'resource'];
    if (typeof r.apiGroup === 'string') for (const m of isDNS1123Subdomain(r.apiGroup)) out.push(invalid([...rp, 'apiGroup'], r.apiGroup, m));
    for (const f of ['kind', 'name']) {
      const v = typeof r[f] === 'string' ? (r[f] as string) : '';
      if (!v) out.push(required([...rp, f], `${f} is required`));
      else for (const m of pathSegmentErrors(v)) out.push(invalid([...rp, f], v, m));
    }
    return;
  }
  if (!hasService) {
    out.push(invalid(path, '', 'resource or service backend is required'));
    return;
  }
  const svc = be.service as JsonObject;
  const name = typeof svc.name === 'string' ? svc.name : '';
  if (!name) out.push(required([...path, 'service', 'name']));
  else for (const m of isDNS1035Label(name)) out.push(invalid([...path, 'service', 'name'], name, m));
  const port = isObject(svc.port) ? svc.port : {};
  const portName = typeof port.name === 'string' ? port.name : '';
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber) out.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const m of portNameErrors(portName)) out.push(invalid([...path, 'service', 'port', 'name'], portName, m));
  else if (portNumber) for (const m of portNumErrors(portNumber)) out.push(invalid([...path, 'service', 'port', 'number'], portNumber, m));
  else out.push(required(path, 'port name or number is required'));
}

function checkPath(p: JsonObject, path: FieldPath, out: Finding[]): void {
  // The schema requires `backend`; upstream says so in its own words below (or, without a pathType, not at all).
  if (p.backend === undefined || p.backend === null) out.push({ code: ACCEPTED_MISSING, severity: 'hint', path: [...path, 'backend'], message: '' });
  const type = p.pathType;
  if (typeof type !== 'string') {
    out.push(required([...path, 'pathType'], 'pathType must be specified'));
    return;
  }
  const value = typeof p.path === 'string' ? p.path : '';
  if (type === 'Exact' || type === 'Prefix') {
    if (!value.startsWith('/')) out.push(invalid([...path, 'path'], value, 'must be an absolute path'));
    if (value) {
      for (const seq of BAD_SEQUENCES) if (value.includes(seq)) out.push(invalid([...path, 'path'], value, `must not contain '${seq}'`));
      for (const suf of BAD_SUFFIXES) if (value.endsWith(suf)) out.push(invalid([...path, 'path'], value, `cannot end with '${suf}'`));
    }
  } else if (type === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) out.push(invalid([...path, 'path'], value, 'must be an absolute path'));
  } else {
    out.push(notSupported([...path, 'pathType'], type, PATH_TYPES));
  }
  checkBackend(p.backend, [...path, 'backend'], out);
}

function checkIngress(obj: JsonObject, out: Finding[]): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (!rules.length && !isObject(spec.defaultBackend)) {
    out.push({ ...invalid(['spec'], null, 'either `defaultBackend` or `rules` must be specified'), apiError: { type: 'FieldValueInvalid', value: null, detail: 'either `defaultBackend` or `rules` must be specified', valueText: Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)' } });
  }
  if (isObject(spec.defaultBackend)) checkBackend(spec.defaultBackend, ['spec', 'defaultBackend'], out);
  rules.forEach((rule, i) => {
    if (!isObject(rule)) return;
    const rp: FieldPath = ['spec', 'rules', i];
    const host = typeof rule.host === 'string' ? rule.host : '';
    if (host) {
      if (looksLikeIP(host)) out.push(invalid([...rp, 'host'], host, 'must be a DNS name, not an IP address'));
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) out.push(invalid([...rp, 'host'], host, m));
    }
    if (!isObject(rule.http)) return;
    const paths = Array.isArray(rule.http.paths) ? rule.http.paths : [];
    if (!paths.length) out.push(required([...rp, 'http', 'paths']));
    // A null element decodes to the zero path (upstream then asks for its pathType).
    paths.forEach((p, j) => checkPath(isObject(p) ? p : {}, [...rp, 'http', 'paths', j], out));
  });
  const tls = Array.isArray(spec.tls) ? spec.tls : [];
  tls.forEach((t, i) => {
    if (!isObject(t)) return;
    const hosts = Array.isArray(t.hosts) ? t.hosts : [];
    hosts.forEach((h, j) => {
      if (h === null) h = '';
      if (typeof h !== 'string') return;
      const msgs = h.includes('*') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h);
      for (const m of msgs) out.push(invalid(['spec', 'tls', i, 'hosts', j], h, m));
    });
    if (typeof t.secretName === 'string' && t.secretName) for (const m of isDNS1123Subdomain(t.secretName)) out.push(invalid(['spec', 'tls', i, 'secretName'], t.secretName, m));
  });
  if (typeof spec.ingressClassName === 'string') for (const m of isDNS1123Subdomain(spec.ingressClassName)) out.push(invalid(['spec', 'ingressClassName'], spec.ingressClassName, m));
  // On create (the editor's view of a manifest), ValidateIngressCreate: the legacy annotation may stand beside the
  // field only when the two name the same class (many charts set both).
  const annotations = isObject(obj.metadata) && isObject(obj.metadata.annotations) ? obj.metadata.annotations : undefined;
  if (annotations && CLASS_ANNOTATION in annotations && typeof spec.ingressClassName === 'string' && annotations[CLASS_ANNOTATION] !== spec.ingressClassName) {
    const ann = annotations[CLASS_ANNOTATION];
    const detail = 'must match `ingressClassName` when both are specified';
    out.push({ ...invalid(['metadata', 'annotations', CLASS_ANNOTATION], ann, detail),
      message: `${formatApiMessage('FieldValueInvalid', ann, detail)}: keep \`spec.ingressClassName\` and drop the annotation`,
      apiError: { type: 'FieldValueInvalid', value: ann, detail, apiPath: ['annotations', CLASS_ANNOTATION] }, data: { dropAnnotation: true } });
  }
}

function checkIngressClass(obj: JsonObject, out: Finding[]): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const controller = typeof spec.controller === 'string' ? spec.controller : '';
  const cp: FieldPath = ['spec', 'controller'];
  if (!controller) out.push(required(cp));
  else {
    if (Buffer.byteLength(controller) > 250) out.push({ ...apiFinding(CODE, cp, 'FieldValueTooLong', controller, 'must have at most 250 bytes') });
    const slash = controller.indexOf('/');
    const host = slash < 0 ? controller : controller.slice(0, slash);
    const rest = slash < 0 ? '' : controller.slice(slash + 1);
    if (slash < 0 || !host || !rest) out.push(invalid(cp, controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    else {
      for (const m of isDNS1123Subdomain(host)) out.push(invalid(cp, host, m));
      if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest)) out.push(invalid(cp, rest, regexError('Invalid path', "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")));
    }
  }
  if (!isObject(spec.parameters)) return;
  const pp: FieldPath = ['spec', 'parameters'];
  const params = spec.parameters;
  if (typeof params.apiGroup === 'string') for (const m of isDNS1123Subdomain(params.apiGroup)) out.push(invalid([...pp, 'apiGroup'], params.apiGroup, m));
  for (const f of ['kind', 'name']) {
    const v = typeof params[f] === 'string' ? (params[f] as string) : '';
    if (!v) out.push(required([...pp, f], `${f} is required`));
    else for (const m of pathSegmentErrors(v)) out.push(invalid([...pp, f], v, m));
  }
  // v1 defaults a missing scope to Cluster.
  const scope = typeof params.scope === 'string' ? params.scope : 'Cluster';
  if (scope !== 'Cluster' && scope !== 'Namespace') {
    out.push(notSupported([...pp, 'scope'], scope, ['Cluster', 'Namespace']));
  } else if (scope === 'Namespace') {
    if (typeof params.namespace !== 'string') out.push(required([...pp, 'namespace'], "`parameters.scope` is set to 'Namespace'"));
    else for (const m of isDNS1123Label(params.namespace)) out.push(invalid([...pp, 'namespace'], params.namespace, m));
  } else if (params.namespace !== undefined && params.namespace !== null) {
    out.push({ ...apiFinding(CODE, [...pp, 'namespace'], 'FieldValueForbidden', undefined, "`parameters.scope` is set to 'Cluster'"), target: 'key' });
  }
}

export const ingressRule: Rule = {
  codes: [CODE],
  kinds: ['Ingress', 'IngressClass'],
  check(obj, ctx, out) {
    if (!ctx.apiVersion.startsWith('networking.k8s.io/')) return;
    if (ctx.kind === 'Ingress') checkIngress(obj, out);
    else checkIngressClass(obj, out);
  },
};

/**
 * ValidateIngressLoadBalancerStatus, for a status write: each address's `ip`
 * must be an IP, each `hostname` a DNS subdomain and not an IP (in that order).
 * Answers [field, value, detail] triples.
 */
export function ingressStatusErrors(status: unknown): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  const lb = isObject(status) && isObject(status.loadBalancer) ? status.loadBalancer : undefined;
  const list = lb && Array.isArray(lb.ingress) ? lb.ingress : [];
  list.forEach((a, i) => {
    if (!isObject(a)) return;
    const at = `status.loadBalancer.ingress[${i}]`;
    if (typeof a.ip === 'string' && a.ip && !looksLikeIP(a.ip)) out.push([`${at}.ip`, a.ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
    if (typeof a.hostname === 'string' && a.hostname) {
      for (const m of isDNS1123Subdomain(a.hostname)) out.push([`${at}.hostname`, a.hostname, m]);
      if (looksLikeIP(a.hostname)) out.push([`${at}.hostname`, a.hostname, 'must be a DNS name, not an IP address']);
    }
  });
  return out;
}
