import * as assert from 'assert';
import { codeActions } from '../../../server/src/service/codeActions';
import { doComplete } from '../../../server/src/service/completion';
import { doHover } from '../../../server/src/service/hover';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { definition } from '../../../server/src/service/navigation';
import { setup } from './harness';

/** The editor's view of an Ingress: its backends against the workspace's Services, and what completion offers. */
const SERVICES = {
  'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 8080}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  ports:\n  - {port: 80}\n',
};
const ingress = (backend: string, extra = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site}
spec:
${extra}  rules:
  - host: shop.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
${backend}`;

describe('server/ingress', () => {
  it('a backend naming a Service the workspace lacks is information; a port the Service lacks is a warning', () => {
    const diags = (text: string) => {
      const { model, ctx } = setup(text + '|', { others: SERVICES });
      return computeDiagnostics(model, ctx).filter((d) => d.code === 'missing-reference' || d.code === 'ingress-backend-port').map((d) => [d.code, d.severity, d.range.start.line, d.message]);
    };
    assert.deepStrictEqual(diags(ingress('            name: web\n            port: {number: 8080}\n')), []);
    assert.deepStrictEqual(diags(ingress('            name: web\n            port: {name: http}\n')), []);
    assert.deepStrictEqual(diags(ingress('            name: shop\n            port: {number: 80}\n')), [
      ['missing-reference', 3, 12, 'No Service named "shop" is defined in the workspace (it may exist in the cluster). Until it exists, the ingress controller answers 503 for this backend.'],
    ]);
    assert.deepStrictEqual(diags(ingress('            name: web\n            port:\n              number: 80\n')), [
      ['ingress-backend-port', 2, 14, 'Service "web" has no port 80 (its ports: 8080 (http)): the ingress controller finds no endpoints for this backend and answers 503.'],
    ]);
    assert.deepStrictEqual(diags(ingress('            name: api\n            port:\n              name: http\n')).map((d) => d[0]), ['ingress-backend-port']);
  });

  it('completes backend Services, their ports, and the ingress class', () => {
    const labels = (text: string) => {
      const { model, pos, ctx } = setup(text, { others: SERVICES });
      return doComplete(model, pos, ctx).items.map((i) => i.label);
    };
    assert.deepStrictEqual(labels(ingress('            name: |\n')), ['web', 'api']);
    assert.deepStrictEqual(labels(ingress('            name: web\n            port:\n              number: |\n')), ['8080']);
    assert.deepStrictEqual(labels(ingress('            name: web\n            port:\n              name: |\n')), ['http']);
    assert.ok(labels(ingress('            name: web\n            port: {number: 8080}\n', '  ingressClassName: |\n')).includes('nginx'));
  });

  it('goes from a backend\'s Service name to the Service', () => {
    const { model, pos, ctx } = setup(ingress('            name: w|eb\n            port: {number: 8080}\n'), { others: SERVICES });
    assert.deepStrictEqual(definition(model, pos, ctx).map((l) => [l.uri.replace(/^.*\//, ''), l.range.start.line]), [['svc.yaml', 0]]);
  });
});

describe('server/ingress quick fixes', () => {
  it('a path without pathType: add Prefix (preferred), Exact or ImplementationSpecific', () => {
    const text = ingress('            name: web\n            port: {number: 8080}\n').replace('        pathType: Prefix\n', '');
    const { model, ctx } = setup(text + '|', { others: SERVICES });
    const d = computeDiagnostics(model, ctx).find((x) => x.message === 'Required value: pathType must be specified');
    assert.ok(d, 'the missing pathType is reported');
    const acts = codeActions(model, { textDocument: { uri: model.uri }, range: d!.range, context: { diagnostics: [d!] } }, ctx);
    assert.deepStrictEqual(acts.map((a: any) => [a.title, !!a.isPreferred, (Object.values(a.edit.changes)[0] as any)[0].newText]), [
      ['Add pathType: Prefix', true, '        pathType: Prefix\n'],
      ['Add pathType: Exact', false, '        pathType: Exact\n'],
      ['Add pathType: ImplementationSpecific', false, '        pathType: ImplementationSpecific\n'],
    ]);
  });
});

describe('server/ingress class annotation beside the field', () => {
  it('is an error on create when the two name different classes, and the fix removes the annotation', () => {
    const { quickFixes, applyEdits, diagnose: diag } = require('../validate/helpers');
    const text = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    kubernetes.io/ingress.class: traefik\n    a: b\nspec:\n  ingressClassName: nginx\n  defaultBackend:\n    service:\n      name: web\n      port: {number: 80}\n';
    assert.ok(!diag(text.replace('ingress.class: traefik', 'ingress.class: nginx')).list.some((x: any) => /ingressClassName/.test(x.message)), 'the same class on both is accepted');
    const d = diag(text).list.find((x: any) => /must match `ingressClassName` when both are specified/.test(x.message));
    assert.ok(d);
    const { actions } = quickFixes(text, d.code);
    assert.strictEqual(actions[0].title, 'Remove the kubernetes.io/ingress.class annotation');
    const fixed = applyEdits(text + '|', Object.values(actions[0].edit.changes)[0] as any).replace(/\|$/, '');
    assert.ok(!fixed.includes('ingress.class'));
    assert.ok(!diag(fixed).list.some((x: any) => x.severity === 1), JSON.stringify(diag(fixed).list));
  });
});

describe('server/ingress annotations', () => {
  const base = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations:\n    ';
  it('completes the annotations ingress-nginx reads, and says on hover what they do (in Chinese too)', () => {
    const { model, pos, ctx } = setup(base + '|\nspec: {}\n');
    assert.deepStrictEqual(doComplete(model, pos, ctx).items.map((i) => i.label), ['kubernetes.io/ingress.class', 'nginx.ingress.kubernetes.io/rewrite-target',
      'nginx.ingress.kubernetes.io/use-regex', 'nginx.ingress.kubernetes.io/ssl-redirect', 'nginx.ingress.kubernetes.io/app-root']);
    const hover = (text: string, locale?: string) => {
      const h = setup(text, locale ? { locale } : {});
      return JSON.stringify(doHover(h.model, h.pos, h.ctx)?.contents ?? '');
    };
    assert.match(hover(base + 'nginx.ingress.kubernetes.io/rewr|ite-target: /\nspec: {}\n'), /replaces the whole request path/);
    assert.match(hover(base + 'nginx.ingress.kubernetes.io/use-re|gex: "true"\nspec: {}\n', 'zh-cn'), /不区分大小写的正则/);
    // A pod template's annotations are not the Ingress's.
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n    |\n';
    const d = setup(dep);
    assert.ok(!doComplete(d.model, d.pos, d.ctx).items.some((i) => String(i.label).startsWith('nginx.ingress')));
  });
});

describe('server/ingress without a class', () => {
  const text = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: site}\nspec:\n  defaultBackend:\n    service: {name: web, port: {number: 80}}\n|';
  it('says a class-less Ingress is left alone unless a default IngressClass exists, and offers ingressClassName: nginx', () => {
    const run = (others: Record<string, string> = {}) => {
      const { model, ctx } = setup(text, { others });
      return { model, ctx, d: computeDiagnostics(model, ctx).filter((x) => x.code === 'ingress-no-class') };
    };
    const { model, ctx, d } = run();
    assert.deepStrictEqual(d.map((x) => [x.severity, x.range.start.line]), [[3, 3]]);
    const acts = codeActions(model, { textDocument: { uri: model.uri }, range: d[0].range, context: { diagnostics: d } }, ctx);
    assert.deepStrictEqual(acts.map((a: any) => [a.title, (Object.values(a.edit.changes)[0] as any)[0].newText]), [['Add ingressClassName: nginx', '  ingressClassName: nginx\n']]);
    const dflt = 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}\nspec: {controller: k8s.io/ingress-nginx}\n';
    assert.deepStrictEqual(run({ 'ic.yaml': dflt }).d, []);
  });
});

describe('server/ingress path hover', () => {
  const ing = (path: string, type: string, ann = '') => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n${ann}spec:\n  rules:\n  - host: a.example\n    http:\n      paths:\n      - path: ${path}\n        pathType: ${type}\n        backend: {service: {name: web, port: {number: 80}}}\n`;
  const last = (text: string, locale = 'en') => {
    const { model, pos, ctx } = setup(text, { locale });
    return String((doHover(model, pos, ctx)?.contents as any)?.value ?? '').split('\n').pop();
  };
  it('says which request paths a path matches, as ingress-nginx matches them', () => {
    assert.equal(last(ing('/ap|i', 'Prefix')), '**How ingress-nginx matches it:** `/api`, `/api/` and everything under it, by whole path elements: not `/apix`.');
    assert.equal(last(ing('/api', 'Ex|act')), '**How ingress-nginx matches it:** `/api` only (not `/api/…` below it).');
    assert.match(last(ing('/ap|i', 'ImplementationSpecific'), 'zh-cn')!, /ingress-nginx 把 ImplementationSpecific 当作 Prefix/);
    assert.equal(last(ing('/ap|p(/|$)(.*)', 'ImplementationSpecific', '  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /$2\n')),
      '**How ingress-nginx matches it:** the case-insensitive regular expression `^/app(/|$)(.*)`, from the start of the path (every path of this host is a regex). The backend is sent `/$2` in place of the whole path.');
  });
});

describe('server/pod annotations kubectl writes and reads', () => {
  const hover = (text: string, locale?: string) => {
    const h = setup(text, locale ? { locale } : {});
    return JSON.stringify(doHover(h.model, h.pos, h.ctx)?.contents ?? '');
  };
  const labels = (text: string) => {
    const h = setup(text);
    return doComplete(h.model, h.pos, h.ctx).items.map((i) => String(i.label));
  };
  it('completes them in a pod template and on a Pod, not on the workload itself, and explains them on hover', () => {
    const template = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      annotations:\n        ';
    assert.deepStrictEqual(labels(template + '|\n    spec: {containers: [{name: c, image: nginx}]}\n'), ['kubectl.kubernetes.io/default-container', 'kubectl.kubernetes.io/restartedAt']);
    assert.deepStrictEqual(labels('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    |\n'), ['kubectl.kubernetes.io/default-container', 'kubectl.kubernetes.io/restartedAt']);
    assert.ok(!labels('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n    |\n').includes('kubectl.kubernetes.io/restartedAt'));
    assert.match(hover(template + 'kubectl.kubernetes.io/restart|edAt: "2026-11-29T03:00:00Z"\n    spec: {containers: [{name: c, image: nginx}]}\n'), /kubectl rollout restart/);
    const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          annotations:\n            kubectl.kubernetes.io/default-con|tainer: main\n        spec: {restartPolicy: Never, containers: [{name: main, image: busybox}]}\n';
    assert.match(hover(cron, 'zh-cn'), /未用 `-c` 指定容器时/);
  });
});
