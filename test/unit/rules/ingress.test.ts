import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';

/** ValidateIngressSpec and ValidateIngressClass, in upstream's order and words (pkg/apis/networking/validation). */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const ing = (spec: any, metadata: any = {}) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', ...metadata }, spec });
const path = (p: any) => ing({ rules: [{ host: 'shop.example.com', http: { paths: [p] } }] });
const svc = (name = 'web', port: any = { number: 80 }) => ({ service: { name, port } });

describe('rules/ingress: what the apiserver refuses in an Ingress', () => {
  it('a good Ingress passes: host, Prefix and Exact paths, TLS, a class', () => {
    assert.deepStrictEqual(errors(ing({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com', '*.example.com'], secretName: 'shop-tls' }],
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc() }, { path: '/api', pathType: 'Exact', backend: svc('api', { name: 'http' }) }] } }],
    })), []);
  });

  it('needs rules or a default backend', () => {
    assert.deepStrictEqual(errors(ing({})), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
    assert.deepStrictEqual(errors(ing({ defaultBackend: svc() })), []);
  });

  it('hosts: a DNS name, not an IP; wildcards only as a leading *.', () => {
    const host = (h: string) => errors(ing({ rules: [{ host: h, http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc() }] } }] }));
    assert.deepStrictEqual(host('10.0.0.1'), ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']);
    assert.deepStrictEqual(host('*.example.com'), []);
    assert.match(host('foo.*.com')[0], /^spec\.rules\[0\]\.host: Invalid value: "foo\.\*\.com": a wildcard DNS-1123 subdomain must start with '\*\.'/);
    assert.match(host('Shop.example.com')[0], /a lowercase RFC 1123 subdomain must consist of/);
  });

  it('paths: pathType is required (and then nothing else of that path is checked), absolute, no dot segments for Exact and Prefix', () => {
    assert.deepStrictEqual(errors(path({ path: '/', backend: {} })), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']);
    assert.deepStrictEqual(errors(path({ path: 'foo//', pathType: 'Prefix', backend: svc() })), [
      'spec.rules[0].http.paths[0].path: Invalid value: "foo//": must be an absolute path',
      'spec.rules[0].http.paths[0].path: Invalid value: "foo//": must not contain \'//\'',
    ]);
    assert.deepStrictEqual(errors(path({ path: '/a/..', pathType: 'Exact', backend: svc() })), ['spec.rules[0].http.paths[0].path: Invalid value: "/a/..": cannot end with \'/..\'']);
    assert.deepStrictEqual(errors(path({ path: '/a/(.*)', pathType: 'ImplementationSpecific', backend: svc() })), []);
    assert.deepStrictEqual(errors(path({ path: '', pathType: 'ImplementationSpecific', backend: svc() })), []);
    assert.deepStrictEqual(errors(path({ path: '/', pathType: 'Regex', backend: svc() })), [
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ]);
  });

  it('backends: a service or a resource, a DNS-1035 name, a port name or number but not both', () => {
    const be = (b: any) => errors(path({ path: '/', pathType: 'Prefix', backend: b }));
    const at = 'spec.rules[0].http.paths[0].backend';
    assert.deepStrictEqual(be({}), [`${at}: Invalid value: "": resource or service backend is required`]);
    assert.deepStrictEqual(be({ ...svc(), resource: { kind: 'Bucket', name: 'b' } }), [`${at}: Invalid value: "": cannot set both resource and service backends`]);
    assert.deepStrictEqual(be(svc('web', {})), [`${at}: Required value: port name or number is required`]);
    assert.deepStrictEqual(be(svc('web', { name: 'http', number: 80 })), [`${at}: Invalid value: "": cannot set both port name & port number`]);
    assert.deepStrictEqual(be(svc('web', { number: 70000 })), [`${at}.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive`]);
    assert.deepStrictEqual(be(svc('1web')), [
      `${at}.service.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    assert.deepStrictEqual(be({ resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static/assets' } }), [`${at}.resource.name: Invalid value: "static/assets": may not contain '/'`]);
  });

  it('the legacy class annotation may stand beside ingressClassName on create only when the two agree', () => {
    assert.deepStrictEqual(errors(ing({ ingressClassName: 'nginx', defaultBackend: svc() }, { annotations: { 'kubernetes.io/ingress.class': 'traefik' } })), [
      'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified',
    ]);
    assert.deepStrictEqual(errors(ing({ ingressClassName: 'nginx', defaultBackend: svc() }, { annotations: { 'kubernetes.io/ingress.class': 'nginx' } })), []);
    assert.deepStrictEqual(errors(ing({ defaultBackend: svc() }, { annotations: { 'kubernetes.io/ingress.class': 'nginx' } })), []);
  });
});

describe('rules/ingress: IngressClass', () => {
  const ic = (spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec });
  it('controller: required, a domain-prefixed path', () => {
    assert.deepStrictEqual(errors(ic({ controller: 'k8s.io/ingress-nginx' })), []);
    assert.deepStrictEqual(errors(ic({})), ['spec.controller: Required value']);
    assert.deepStrictEqual(errors(ic({ controller: 'nginx' })), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  });
  it('parameters: the scope decides whether a namespace is named', () => {
    const p = (params: any) => errors(ic({ controller: 'example.com/lb', parameters: { apiGroup: 'k8s.example.com', kind: 'LBConfig', name: 'external', ...params } }));
    assert.deepStrictEqual(p({}), []);
    assert.deepStrictEqual(p({ scope: 'Namespace' }), ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"]);
    assert.deepStrictEqual(p({ scope: 'Cluster', namespace: 'x' }), ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"]);
  });
});
