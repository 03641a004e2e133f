/**
 * API Priority and Fairness in a fresh cluster: the apiserver's mandatory and suggested FlowSchemas and
 * PriorityLevelConfigurations with default.go's specs and the autoupdate annotation, their Dangling condition as
 * the config consumer words it, the ensurer putting deleted or edited defaults back within its minute, and the
 * classification a request gets.
 */
import * as assert from 'assert';
import { newTestPlayground } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { statusOf } from '../apiserver/statusOf';

const FS = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas' };
const PL = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'prioritylevelconfigurations' };

describe('API Priority and Fairness defaults', () => {
  let pg: KubePlayground;
  beforeEach(() => {
    pg = newTestPlayground();
  });
  afterEach(() => pg.close());

  const fs = (name: string) => pg.api.get(FS, undefined, name) as any;
  const pl = (name: string) => pg.api.get(PL, undefined, name) as any;
  const dangling = (name: string) => fs(name).status?.conditions?.find((c: any) => c.type === 'Dangling');

  it('has the mandatory and suggested objects of bootstrap/default.go, annotated for auto-update', () => {
    const names = (pg.api.list(FS, undefined).items as any[]).map((o) => [o.metadata.name, o.spec.matchingPrecedence] as [string, number]);
    assert.deepStrictEqual(new Map(names), new Map([
      ['catch-all', 10000], ['endpoint-controller', 150], ['exempt', 1], ['global-default', 9900], ['kube-controller-manager', 800],
      ['kube-scheduler', 800], ['kube-system-service-accounts', 900], ['probes', 2], ['service-accounts', 9000], ['system-leader-election', 100],
      ['system-node-high', 400], ['system-nodes', 500], ['workload-leader-election', 200],
    ]));
    const levels = (pg.api.list(PL, undefined).items as any[]).map((o) => o.metadata.name).sort();
    assert.deepStrictEqual(levels, ['catch-all', 'exempt', 'global-default', 'leader-election', 'node-high', 'system', 'workload-high', 'workload-low']);
    assert.deepStrictEqual(pl('exempt').spec, { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } });
    assert.deepStrictEqual(pl('catch-all').spec, { type: 'Limited', limited: { nominalConcurrencyShares: 5, limitResponse: { type: 'Reject' }, lendablePercent: 0 } });
    assert.deepStrictEqual(pl('workload-low').spec.limited, {
      nominalConcurrencyShares: 100, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } }, lendablePercent: 90,
    });
    assert.strictEqual(pl('leader-election').spec.limited.limitResponse.queuing.handSize, 4);
    const gd = fs('global-default');
    assert.deepStrictEqual(gd.metadata.annotations, { 'apf.kubernetes.io/autoupdate-spec': 'true' });
    assert.strictEqual(gd.metadata.generation, 1);
    assert.deepStrictEqual(gd.spec.distinguisherMethod, { type: 'ByUser' });
    assert.deepStrictEqual(gd.spec.rules[0].subjects, [{ kind: 'Group', group: { name: 'system:unauthenticated' } }, { kind: 'Group', group: { name: 'system:authenticated' } }]);
    assert.deepStrictEqual(gd.spec.rules[0].resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }]);
    assert.strictEqual(fs('exempt').spec.distinguisherMethod, undefined);
    assert.deepStrictEqual(fs('probes').spec.rules[0].nonResourceRules, [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }]);
  });

  it('says each FlowSchema\'s level exists, and says so again when a user schema\'s level comes and goes', () => {
    pg.advance(1_000);
    const d = dangling('exempt');
    assert.strictEqual(d.status, 'False');
    assert.strictEqual(d.reason, 'Found');
    assert.strictEqual(d.message, 'This FlowSchema references the PriorityLevelConfiguration object named "exempt" and it exists');
    pg.api.create(FS, undefined, { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'mine' },
      spec: { priorityLevelConfiguration: { name: 'mine' }, rules: [] } } as any);
    pg.advance(1_000);
    assert.strictEqual(fs('mine').spec.matchingPrecedence, 1000);
    assert.deepStrictEqual({ ...dangling('mine'), lastTransitionTime: undefined }, {
      type: 'Dangling', status: 'True', lastTransitionTime: undefined, reason: 'NotFound',
      message: 'This FlowSchema references the PriorityLevelConfiguration object named "mine" but there is no such object',
    });
    pg.api.create(PL, undefined, { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name: 'mine' },
      spec: { type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: {} } } } } as any);
    pg.advance(1_000);
    assert.deepStrictEqual(pl('mine').spec.limited, { limitResponse: { type: 'Queue', queuing: { queues: 64, handSize: 8, queueLengthLimit: 50 } }, nominalConcurrencyShares: 30, lendablePercent: 0 });
    assert.strictEqual(dangling('mine').status, 'False');
    assert.strictEqual(dangling('mine').reason, 'Found');
  });

  it('puts deleted defaults back within a minute; leaves a suggested one a user took over', () => {
    pg.api.delete(FS, undefined, 'exempt');
    pg.api.delete(PL, undefined, 'global-default');
    const ws = fs('workload-leader-election');
    pg.api.update(FS, undefined, { ...ws, metadata: { ...ws.metadata, annotations: { 'apf.kubernetes.io/autoupdate-spec': 'false' } }, spec: { ...ws.spec, matchingPrecedence: 300 } });
    pg.advance(1_000);
    assert.throws(() => fs('exempt'));
    assert.strictEqual(dangling('global-default').status, 'True');
    pg.advance(60_000);
    assert.strictEqual(fs('exempt').spec.matchingPrecedence, 1);
    assert.strictEqual(pl('global-default').spec.limited.nominalConcurrencyShares, 20);
    assert.strictEqual(fs('catch-all').spec.matchingPrecedence, 10000);
    assert.strictEqual(fs('workload-leader-election').spec.matchingPrecedence, 300);
    pg.advance(1_000);
    assert.strictEqual(dangling('global-default').status, 'False');
  });

  it('validates FlowSchemas as pkg/apis/flowcontrol/validation does, the mandatory specs fixed', () => {
    const cm = fs('catch-all');
    const e = statusOf(() => pg.api.update(FS, undefined, { ...cm, metadata: { ...cm.metadata, annotations: { 'apf.kubernetes.io/autoupdate-spec': 'false' } }, spec: { ...cm.spec, matchingPrecedence: 9999 } }));
    assert.strictEqual(e.code, 422);
    assert.match(e.message, /^FlowSchema\.flowcontrol\.apiserver\.k8s\.io "catch-all" is invalid: spec: Invalid value: flowcontrol\.FlowSchemaSpec\{PriorityLevelConfiguration:flowcontrol\.PriorityLevelConfigurationReference\{Name:"catch-all"\}, MatchingPrecedence:9999, .*\}: spec of 'catch-all' must equal the fixed value$/);
    // The same spec again is accepted (only its annotation changes).
    pg.api.update(FS, undefined, { ...cm, metadata: { ...cm.metadata, labels: { a: 'b' } } });
    const bad = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'bad' },
      spec: { priorityLevelConfiguration: { name: '' }, matchingPrecedence: 20000, distinguisherMethod: { type: 'Foo' },
        rules: [{ subjects: [], resourceRules: [{ verbs: [], apiGroups: ['*'], resources: ['*'] }] }, { subjects: [{ kind: 'User', user: { name: 'u' } }] }] },
    };
    assert.strictEqual(statusOf(() => pg.api.create(FS, undefined, bad as any)).message, 'FlowSchema.flowcontrol.apiserver.k8s.io "bad" is invalid: ['
      + 'spec.matchingPrecedence: Invalid value: 20000: must not be greater than 10000, '
      + 'spec.distinguisherMethod.type: Unsupported value: flowcontrol.FlowDistinguisherMethod{Type:"Foo"}: supported values: "ByNamespace", "ByUser", '
      + 'spec.priorityLevelConfiguration.name: Required value: must reference a priority level, '
      + 'spec.rules[0].subjects: Required value: subjects must contain at least one value, '
      + 'spec.rules[0].resourceRules[0].verbs: Required value: verbs must contain at least one value, '
      + 'spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not cluster scoped must supply at least one namespace, '
      + 'spec.rules[1]: Required value: at least one of resourceRules and nonResourceRules has to be non-empty]');
    const one = { ...bad, metadata: { name: 'one' }, spec: { priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: 1 } };
    assert.strictEqual(statusOf(() => pg.api.create(FS, undefined, one as any)).message,
      'FlowSchema.flowcontrol.apiserver.k8s.io "one" is invalid: spec.matchingPrecedence: Invalid value: 1: only the schema named \'exempt\' may have matchingPrecedence 1');
    assert.ok(pg.api.create(FS, undefined, { ...one, spec: { ...one.spec, matchingPrecedence: 500 } } as any));
  });

  it('validates PriorityLevelConfigurations: type by name, shares, percentages and queuing; exempt may change only spec.exempt', () => {
    const ex = pl('exempt');
    const e = statusOf(() => pg.api.update(PL, undefined, { ...ex, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 5, limitResponse: { type: 'Reject' } } } }));
    assert.strictEqual(e.code, 422);
    assert.match(e.message, /^PriorityLevelConfiguration\.flowcontrol\.apiserver\.k8s\.io "exempt" is invalid: \[spec\.type: Invalid value: "Limited": type must be 'Exempt' if and only if name is 'exempt', spec: Invalid value: flowcontrol\.PriorityLevelConfigurationSpec\{Type:"Limited", .*\}: spec of 'exempt' except the 'spec\.exempt' field must equal the fixed value\]$/);
    // Its exempt shares and lendable percent are the admin's to change.
    pg.api.update(PL, undefined, { ...ex, spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 10, lendablePercent: 20 } } });
    assert.deepStrictEqual(pl('exempt').spec.exempt, { nominalConcurrencyShares: 10, lendablePercent: 20 });
    const ca = pl('catch-all');
    assert.match(statusOf(() => pg.api.update(PL, undefined, { ...ca, spec: { ...ca.spec, limited: { ...ca.spec.limited, nominalConcurrencyShares: 6 } } })).message,
      /spec of 'catch-all' must equal the fixed value$/);
    const badpl = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name: 'badpl' },
      spec: { type: 'Limited', limited: { nominalConcurrencyShares: -1, lendablePercent: 200, borrowingLimitPercent: -1,
        limitResponse: { type: 'Queue', queuing: { queues: 4, handSize: 10, queueLengthLimit: -1 } } } },
    };
    assert.strictEqual(statusOf(() => pg.api.create(PL, undefined, badpl as any)).message, 'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io "badpl" is invalid: ['
      + 'spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer, '
      + 'spec.limited.limitResponse.queuing.queueLengthLimit: Invalid value: -1: must be positive, '
      + 'spec.limited.limitResponse.queuing.handSize: Invalid value: 10: should not be greater than queues (4), '
      + 'spec.limited.lendablePercent: Invalid value: 200: must be between 0 and 100, inclusive, '
      + 'spec.limited.borrowingLimitPercent: Invalid value: -1: if specified, must be a non-negative integer]');
    const entropy = { ...badpl, metadata: { name: 'wide' }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 0, limitResponse: { type: 'Queue', queuing: { queues: 512, handSize: 8, queueLengthLimit: 50 } } } } };
    assert.match(statusOf(() => pg.api.create(PL, undefined, entropy as any)).message, /handSize: Invalid value: 8: required entropy bits of deckSize 512 and handSize 8 should not be greater than 60$/);
    const exemptNamed = { ...badpl, metadata: { name: 'other' }, spec: { type: 'Exempt', exempt: {} } };
    assert.match(statusOf(() => pg.api.create(PL, undefined, exemptNamed as any)).message, /spec\.type: Invalid value: "Exempt": type must be 'Exempt' if and only if name is 'exempt'$/);
    // Zero shares are allowed in v1, and zero queuing values are defaulted (64 queues, hand 8, length 50).
    const ok = pg.api.create(PL, undefined, { ...badpl, metadata: { name: 'okpl' }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 0, limitResponse: { type: 'Queue', queuing: { queues: 0 } } } } } as any).object as any;
    assert.deepStrictEqual(ok.spec.limited.limitResponse.queuing, { queues: 64, handSize: 8, queueLengthLimit: 50 });
  });

  it('classifies requests as the suggested schemas say', () => {
    const uid = (n: string) => fs(n).metadata.uid;
    const classify = (username: string, groups: string[], more: object) => pg.classifyFlow({ user: { username, groups }, verb: 'get', ...more } as any)?.flowSchemaUID;
    assert.strictEqual(classify('kubernetes-admin', ['system:masters', 'system:authenticated'], { resource: 'pods', namespace: 'default', apiGroup: '' }), uid('exempt'));
    assert.strictEqual(classify('alice', ['system:authenticated'], { resource: 'pods', namespace: 'default', apiGroup: '' }), uid('global-default'));
    assert.strictEqual(classify('alice', ['system:authenticated'], { path: '/healthz' }), uid('probes'));
    const sa = (ns: string): [string, string[]] => [`system:serviceaccount:${ns}:default`, ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated']];
    assert.strictEqual(classify(...sa('default'), { resource: 'pods', namespace: 'default', apiGroup: '' }), uid('service-accounts'));
    assert.strictEqual(classify(...sa('kube-system'), { resource: 'pods', namespace: 'kube-system', apiGroup: '' }), uid('kube-system-service-accounts'));
    assert.strictEqual(classify(...sa('kube-system'), { resource: 'leases', namespace: 'kube-system', apiGroup: 'coordination.k8s.io' }), uid('system-leader-election'));
    assert.strictEqual(classify('system:node:kind-worker', ['system:nodes', 'system:authenticated'], { resource: 'nodes', subresource: 'status', apiGroup: '' }), uid('system-node-high'));
    assert.strictEqual(classify('system:node:kind-worker', ['system:nodes', 'system:authenticated'], { resource: 'pods', namespace: 'default', apiGroup: '' }), uid('system-nodes'));
    assert.strictEqual(pg.classifyFlow({ user: { username: 'alice', groups: ['system:authenticated'] }, verb: 'get', path: '/version' })?.priorityLevelUID, pl('global-default').metadata.uid);
  });
});
