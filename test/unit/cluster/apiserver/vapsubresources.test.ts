/**
 * ValidatingAdmissionPolicy on the subresources that create: pods/binding, pods/eviction, serviceaccounts/token and
 * the legacy bindings resource, each judged with its own object (Binding, Eviction, TokenRequest) and selected only
 * by a rule naming the subresource (rules.go: `pods/eviction`, `pods/*`, `* /eviction`).
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { statusOf } from './statusOf';

const VAP = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
const VAPB = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings' };
const SA = { group: '', version: 'v1', resource: 'serviceaccounts' };
const BINDINGS = { group: '', version: 'v1', resource: 'bindings' };

/** A policy (and its Deny binding, of the same name) over `resources`, with one validation. */
function deny(pg: KubePlayground, name: string, resources: string[], validation: Record<string, string>, actions = ['Deny']): void {
  pg.api.create(VAP, undefined, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec: {
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources }] },
    validations: [validation],
  } } as KObject);
  pg.api.create(VAPB, undefined, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: actions } } as KObject);
}

/** A pod on a node, or (none) left to a scheduler that does not run, for the test to bind. */
const pod = (name: string, labels: Record<string, string> = {}, nodeName?: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
  spec: { ...(nodeName ? { nodeName } : { schedulerName: 'by-hand' }), containers: [{ name: 'c', image: 'nginx' }] },
}) as KObject;
const eviction = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...extra }) as KObject;
const evict = (pg: KubePlayground, name: string, extra?: Record<string, unknown>, opts = {}) => pg.api.create(R.pods, 'default', eviction(name, extra), opts, 'eviction', name);

/** What a policy's messageExpression reports of the request and its object. */
const DESCRIBE = "request.operation + ' ' + request.resource.resource + '/' + (has(request.subResource) ? request.subResource : '-') + ' '"
  + " + request.kind.group + '/' + request.kind.version + '/' + request.kind.kind + ' ' + request.name + ' ' + request.namespace + ' '"
  + " + object.apiVersion + '/' + object.kind + ' ' + object.metadata.name + ' ' + (oldObject == null ? 'no-old' : 'old')";

describe('cluster/apiserver: ValidatingAdmissionPolicy on subresource creates', () => {
  it('judges an eviction as a policy/v1 Eviction on pods/eviction, before the pod is read, in the dispatcher\'s words', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('web', {}, 'kubeplay-worker'));
      deny(pg, 'no-evictions', ['pods/eviction'], { expression: 'false', messageExpression: DESCRIBE, reason: 'Forbidden' });
      const s = statusOf(() => evict(pg, 'web'));
      const message = "ValidatingAdmissionPolicy 'no-evictions' with binding 'no-evictions' denied request: "
        + 'CREATE pods/eviction policy/v1/Eviction web default policy/v1/Eviction web no-old';
      assert.deepStrictEqual([s.code, s.reason, s.message], [403, 'Forbidden', `pods "web" is forbidden: ${message}`]);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(s.details)), { name: 'web', kind: 'pods', causes: [{ message }] });
      assert.ok(pg.api.get(R.pods, 'default', 'web'), 'the pod stays');
      // EvictionREST.Create runs admission before it reads the pod: a missing pod is refused the same way.
      assert.strictEqual(statusOf(() => evict(pg, 'gone')).code, 403);
    } finally {
      pg.close();
    }
  });

  it('selects a subresource only through a rule that names it: pods alone does not, pods/* and */eviction do', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('a', { keep: 'yes' }, 'kubeplay-worker'));
      pg.api.create(R.pods, 'default', pod('b', { keep: 'yes' }, 'kubeplay-worker'));
      pg.api.create(R.pods, 'default', pod('c', {}, 'kubeplay-worker'));
      deny(pg, 'pods-only', ['pods'], { expression: "object.kind != 'Eviction'" });
      evict(pg, 'c');
      deny(pg, 'star-eviction', ['*/eviction'], { expression: "!has(object.metadata.labels) || object.metadata.labels.keep != 'yes'", message: 'marked keep' });
      // The Eviction carries its own labels (none here): the policy reads the Eviction, not the pod.
      evict(pg, 'a');
      assert.match(statusOf(() => evict(pg, 'b', { metadata: { name: 'b', namespace: 'default', labels: { keep: 'yes' } } })).message,
        /^pods "b" is forbidden: ValidatingAdmissionPolicy 'star-eviction' with binding 'star-eviction' denied request: marked keep$/);
      // pods/* is the pods and all their subresources (rules.go: the subresource side `*` matches none too).
      deny(pg, 'pods-star', ['pods/*'], { expression: "object.metadata.name != 'z'", message: 'not z' });
      assert.strictEqual(statusOf(() => pg.api.create(R.pods, 'default', pod('z'))).message,
        "pods \"z\" is forbidden: ValidatingAdmissionPolicy 'pods-star' with binding 'pods-star' denied request: not z");
    } finally {
      pg.close();
    }
  });

  it('answers a Warn binding\'s warnings on an eviction, and passes the request\'s dry run into the Eviction\'s deleteOptions', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('web', {}, 'kubeplay-worker'));
      deny(pg, 'dry', ['pods/eviction'], { expression: 'false', messageExpression: "(request.dryRun ? 'dry' : 'wet') + ' ' + object.deleteOptions.dryRun[0]" }, ['Warn']);
      const r = evict(pg, 'web', { deleteOptions: { gracePeriodSeconds: 0 } }, { dryRun: true });
      assert.deepStrictEqual(r.warnings, ["Validation failed for ValidatingAdmissionPolicy 'dry' with binding 'dry': dry All"]);
      assert.ok(!pg.api.get(R.pods, 'default', 'web').metadata.deletionTimestamp);
    } finally {
      pg.close();
    }
  });

  it('judges a binding as a v1 Binding on pods/binding; the legacy bindings resource as bindings', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('p', {}));
      pg.api.create(R.pods, 'default', pod('q', {}));
      deny(pg, 'no-worker2', ['pods/binding', 'bindings'], { expression: "object.target.name != 'kubeplay-worker2'", messageExpression: DESCRIBE });
      const binding = (name: string, node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: node } }) as KObject;
      const s = statusOf(() => pg.api.create(R.pods, 'default', binding('p', 'kubeplay-worker2'), {}, 'binding', 'p'));
      assert.deepStrictEqual([s.code, s.reason, s.message], [422, 'Invalid',
        "pods \"p\" is forbidden: ValidatingAdmissionPolicy 'no-worker2' with binding 'no-worker2' denied request: CREATE pods/binding /v1/Binding p default v1/Binding p no-old"]);
      const legacy = statusOf(() => pg.api.create(BINDINGS, 'default', binding('q', 'kubeplay-worker2')));
      assert.strictEqual(legacy.message,
        "bindings \"q\" is forbidden: ValidatingAdmissionPolicy 'no-worker2' with binding 'no-worker2' denied request: CREATE bindings/- /v1/Binding q default v1/Binding q no-old");
      assert.strictEqual(pg.api.get(R.pods, 'default', 'p').spec.nodeName, undefined);
      pg.api.create(R.pods, 'default', binding('p', 'kubeplay-worker'), {}, 'binding', 'p');
      assert.strictEqual(pg.api.get(R.pods, 'default', 'p').spec.nodeName, 'kubeplay-worker');
    } finally {
      pg.close();
    }
  });

  it('leaves a pod the policy will not let the scheduler bind Pending, with the scheduler\'s error, and binds it once allowed', () => {
    const pg = newTestPlayground();
    try {
      deny(pg, 'no-binds', ['pods/binding'], { expression: "object.metadata.name != 'held'", message: 'not now' });
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
      pg.advance(3000);
      const why = 'running Bind plugin "DefaultBinder": pods "held" is forbidden: '
        + "ValidatingAdmissionPolicy 'no-binds' with binding 'no-binds' denied request: not now";
      const held = pg.api.get(R.pods, 'default', 'held');
      assert.strictEqual(held.spec.nodeName, undefined);
      const cond = held.status.conditions.find((c: any) => c.type === 'PodScheduled');
      assert.deepStrictEqual([cond.status, cond.reason, cond.message], ['False', 'SchedulerError', why]);
      const events = pg.api.list(R.events, 'default').items.filter((e: any) => e.involvedObject.name === 'held' && e.reason === 'FailedScheduling');
      assert.ok(events.length >= 1 && events.every((e: any) => e.message === why), JSON.stringify(events.map((e: any) => e.message)));
      // The scheduler tries again after its back-off: once the binding is gone, the pod is bound.
      pg.api.delete(VAPB, undefined, 'no-binds');
      pg.advance(11_000);
      assert.ok(pg.api.get(R.pods, 'default', 'held').spec.nodeName);
    } finally {
      pg.close();
    }
  });

  it('judges a token request as the TokenRequest TokenREST holds then: defaulted, its status empty', () => {
    const pg = newTestPlayground();
    try {
      deny(pg, 'short-tokens', ['serviceaccounts/token'], {
        expression: "object.spec.expirationSeconds <= 3600 && object.spec.audiences.size() > 0 && object.status.token == ''",
        messageExpression: "request.kind.group + ' ' + object.kind + ' ' + object.metadata.name + ' ' + request.subResource + ' ' + string(object.spec.expirationSeconds)",
      });
      const s = statusOf(() => pg.api.create(SA, 'default', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 7200 } } as any, {}, 'token', 'default'));
      assert.strictEqual(`${s.code} ${s.message}`,
        "422 serviceaccounts \"default\" is forbidden: ValidatingAdmissionPolicy 'short-tokens' with binding 'short-tokens' denied request: authentication.k8s.io TokenRequest default token 7200");
      const out: any = pg.api.create(SA, 'default', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } as any, {}, 'token', 'default').object;
      assert.ok(out.status.token);
    } finally {
      pg.close();
    }
  });
});
