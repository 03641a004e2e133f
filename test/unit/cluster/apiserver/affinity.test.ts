import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { validateObject } from '../../../../kube/src/rules/engine';
import { getSchema } from '../../../../kube/src/schema/index';
import { statusOf } from './statusOf';

/**
 * A pod's affinity as upstream's validateAffinity refuses it: the playground's apiserver gives upstream's
 * causes in upstream's order, and the editor reports the same fields.
 */
const schema = getSchema();
const editor = (obj: unknown) => validateObject(obj, schema, { kubernetesVersion: '1.34' }).map((f) => `${f.code} ${f.path.join('.')}: ${f.message}`);
const pod = (affinity: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { affinity, containers: [{ name: 'c', image: 'nginx' }] } });
const causes = (obj: unknown) => statusOf(() => newTestControlPlane().api.create(R.pods, 'default', obj as any)).details.causes.map((c: any) => `${c.field}: ${c.message}`);
const NA = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution';
const PREF = 'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution';
const ANTI = 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution';
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('pod affinity validation (validateAffinity)', () => {
  it('node affinity: terms, operators and their values, keys, label values, matchFields and weights, in upstream order', () => {
    const p = pod({ nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{
        matchExpressions: [{ key: 'disk type', operator: 'In' }, { key: 'gpu-count', operator: 'Gt', values: ['1', '2'] }, { key: 'zone', operator: 'in', values: ['a b'] }],
        matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['x'] }, { key: 'metadata.name', operator: 'In', values: ['Node_1'] }],
      }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists', values: ['true'] }] } }],
    } });
    assert.deepStrictEqual(causes(p), [
      `${NA}.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      `${NA}.nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: "disk type": ${NAME_PART}`,
      `${NA}.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`,
      `${NA}.nodeSelectorTerms[0].matchExpressions[2].operator: Invalid value: "in": not a valid selector operator`,
      `${NA}.nodeSelectorTerms[0].matchExpressions[2].values[0]: Invalid value: "a b": ${LABEL_VALUE}`,
      `${NA}.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "metadata.labels": not a valid field selector key`,
      `${NA}.nodeSelectorTerms[0].matchFields[1].values[0]: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      `${PREF}[0].weight: Invalid value: 0: must be in the range 1-100`,
      `${PREF}[0].preference.matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
    ]);
    // The editor reports each of them at its field (the operator in place of the schema's enum message).
    const found = editor(p);
    assert.strictEqual(found.length, 9, found.join('\n'));
    assert.ok(found.includes('enum-value spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.2.operator: Invalid value: "in": not a valid selector operator'), found.join('\n'));
    // No term at all, and a missing weight (0 to Go).
    const empty = pod({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] }, preferredDuringSchedulingIgnoredDuringExecution: [{ preference: {} }] } });
    assert.deepStrictEqual(causes(empty), [
      `${NA}.nodeSelectorTerms: Required value: must have at least one node selector term`,
      `${PREF}[0].weight: Invalid value: 0: must be in the range 1-100`,
    ]);
    assert.deepStrictEqual(editor(empty), [
      'missing-required spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.weight: Missing required field "weight" in PreferredSchedulingTerm.',
      'invalid-node-affinity spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ]);
  });

  it('pod (anti-)affinity terms: selectors, namespaces at `namespace`, an empty or missing topologyKey, weights', () => {
    const p = pod({ podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, namespaces: ['Prod'], topologyKey: '' },
        { labelSelector: { matchLabels: { app: 'web' } } },
        { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/host name' },
      ],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', namespaceSelector: { matchLabels: { 'team!': 'a' } } } }],
    } });
    assert.deepStrictEqual(causes(p), [
      `${ANTI}[0].labelSelector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      `${ANTI}[0].namespace: Invalid value: "Prod": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      `${ANTI}[0].topologyKey: Required value: can not be empty`,
      `${ANTI}[0].topologyKey: Invalid value: "": name part must be non-empty`,
      `${ANTI}[0].topologyKey: Invalid value: "": ${NAME_PART}`,
      `${ANTI}[1].topologyKey: Required value: can not be empty`,
      `${ANTI}[1].topologyKey: Invalid value: "": name part must be non-empty`,
      `${ANTI}[1].topologyKey: Invalid value: "": ${NAME_PART}`,
      `${ANTI}[2].topologyKey: Invalid value: "kubernetes.io/host name": ${NAME_PART}`,
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100',
      `spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.namespaceSelector.matchLabels: Invalid value: "team!": ${NAME_PART}`,
    ]);
    const found = editor(p);
    // The editor says an empty key is required once, and points at each namespace in the list.
    assert.ok(found.includes('invalid-affinity-term spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey: Required value: can not be empty'), found.join('\n'));
    assert.ok(found.includes('missing-required spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.1.topologyKey: Required value: can not be empty'), found.join('\n'));
    assert.ok(found.some((f) => f.startsWith('invalid-affinity-term spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.namespaces.0: Invalid value: "Prod"')), found.join('\n'));
    // An empty key gets upstream's three errors in the editor too; a missing one is said missing, once.
    assert.strictEqual(found.filter((f) => f.includes('.0.topologyKey: Invalid value: ""')).length, 2, found.join('\n'));
    assert.strictEqual(found.filter((f) => f.includes('.1.topologyKey')).length, 1, found.join('\n'));
  });

  it('a template is validated as its pods are, and a valid affinity passes in both places', () => {
    const good = { nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'cores', operator: 'Gt', values: ['4'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['kind-worker'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, namespaces: ['default'], topologyKey: 'kubernetes.io/hostname' } }] } };
    assert.deepStrictEqual(editor(pod(good)), []);
    assert.strictEqual(newTestControlPlane().api.create(R.pods, 'default', pod(good) as any).object.metadata.name, 'p');
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: '' }] } },
        containers: [{ name: 'c', image: 'nginx' }] } } } };
    assert.match(statusOf(() => newTestControlPlane().api.create(R.deployments, 'default', dep as any)).message,
      /^Deployment\.apps "d" is invalid: \[spec\.template\.spec\.affinity\.podAffinity\.requiredDuringSchedulingIgnoredDuringExecution\[0\]\.topologyKey: Required value: can not be empty, /);
  });

  it('reads missing, null and wrongly typed parts as Go does', () => {
    // A missing preference is an empty term, which passes; a missing podAffinityTerm is one with an empty topologyKey.
    const missing = pod({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5 }] },
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5 }] } });
    assert.deepStrictEqual(causes(missing), [
      'spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Required value: can not be empty',
      'spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": name part must be non-empty',
      `spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Invalid value: "": ${NAME_PART}`,
    ]);
    assert.ok(!editor(missing).some((f) => f.includes('.preference')), editor(missing).join('\n'));
    // null is Go's zero value: "" for an operator, 0 for a weight, an empty struct for a list item.
    const nulls = pod({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: null }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: null, preference: {} }] },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [null] } });
    assert.deepStrictEqual(causes(nulls), [
      `${NA}.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "": not a valid selector operator`,
      `${PREF}[0].weight: Invalid value: 0: must be in the range 1-100`,
      `${ANTI}[0].topologyKey: Required value: can not be empty`,
      `${ANTI}[0].topologyKey: Invalid value: "": name part must be non-empty`,
      `${ANTI}[0].topologyKey: Invalid value: "": ${NAME_PART}`,
    ]);
    assert.ok(editor(nulls).some((f) => f.startsWith(`invalid-affinity-term spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey: Required value`)), editor(nulls).join('\n'));
    // A list field holding a string is the schema's wrong type, nothing more.
    const typed = editor(pod({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: 'ssd' }] }] } } }));
    assert.deepStrictEqual(typed.map((f) => f.split(' ')[0]), ['wrong-type'], typed.join('\n'));
  });

  it('an update keeps affinity label values the stored object already had wrong, as upstream\'s validation options allow', () => {
    const cp = newTestControlPlane();
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default', uid: 'u1', resourceVersion: '1', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['solid state'] }] }] } } },
        containers: [{ name: 'c', image: 'nginx' }] } } } };
    // As an older playground stored it, before affinity values were checked.
    cp.store.put('apps/deployments', bad as any);
    const patched = cp.api.patch(R.deployments, 'default', 'd', 'merge', { metadata: { labels: { team: 'a' } } });
    assert.strictEqual(patched.object.metadata.labels?.team, 'a');
    // A new object with the same value is refused.
    const fresh = { ...bad, metadata: { name: 'e' } };
    assert.match(statusOf(() => cp.api.create(R.deployments, 'default', fresh as any)).message, /values\[0\]: Invalid value: "solid state"/);
  });

  it('a term\'s label-key errors come in validateMatchLabelKeysAndMismatchLabelKeys\' walk order', () => {
    const p = pod({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } },
      matchLabelKeys: ['app', 'B!'], mismatchLabelKeys: ['app'], topologyKey: 'kubernetes.io/hostname' }] } });
    // Key names first, then the selector overlap (once per merged requirement: app In and app NotIn), then the lists' overlap.
    assert.deepStrictEqual(causes(p), [
      `${ANTI}[0].matchLabelKeys[1]: Invalid value: "B!": ${NAME_PART}`,
      `${ANTI}[0][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`,
      `${ANTI}[0][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`,
      `${ANTI}[0].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and mismatchLabelKeys`,
    ]);
  });

  it('an empty topologyKey in a spread constraint is refused (ValidateTopologyKey)', () => {
    const p = { ...pod(undefined), spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }], containers: [{ name: 'c', image: 'nginx' }] } };
    assert.deepStrictEqual(causes(p), ['spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty']);
    assert.deepStrictEqual(editor(p), ['invalid-spread-constraint spec.topologySpreadConstraints.0.topologyKey: Required value: can not be empty']);
  });

  it('a spread constraint\'s labelSelector is validated, last of the constraint\'s checks, and an update keeps an old invalid one', () => {
    const spread = { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } };
    const p = { ...pod(undefined), spec: { topologySpreadConstraints: [spread], containers: [{ name: 'c', image: 'nginx' }] } };
    assert.deepStrictEqual(causes(p), [
      'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      "spec.topologySpreadConstraints[0].labelSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
    // A Deployment stored with such a selector (by an older playground) can still be patched (AllowInvalidTopologySpreadConstraintLabelSelector).
    const cp = newTestControlPlane();
    cp.store.put('apps/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default', uid: 'u2', resourceVersion: '1', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: {
        topologySpreadConstraints: [{ ...spread, maxSkew: 1 }], containers: [{ name: 'c', image: 'nginx' }] } } } } as any);
    assert.strictEqual(cp.api.patch(R.deployments, 'default', 'd', 'merge', { metadata: { labels: { team: 'a' } } }).object.metadata.labels?.team, 'a');
  });

  it('a PersistentVolume\'s required node affinity is a node selector too', () => {
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'],
      local: { path: '/mnt/disk' }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' }] }] } } } };
    // Every matchExpressions entry comes before any matchFields entry, as on a pod.
    const two = { ...pv, spec: { ...pv.spec, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'In' }], matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }] }] } } } };
    assert.deepStrictEqual(statusOf(() => newTestControlPlane().api.create(R.pvs, undefined, two as any)).details.causes.map((c: any) => c.field), [
      'spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[1].values', 'spec.nodeAffinity.required.nodeSelectorTerms[0].matchFields[0].key']);
    assert.deepStrictEqual(statusOf(() => newTestControlPlane().api.create(R.pvs, undefined, pv as any)).details.causes.map((c: any) => `${c.field}: ${c.message}`),
      ["spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]);
    assert.deepStrictEqual(editor(pv), ["pv-node-affinity spec.nodeAffinity.required.nodeSelectorTerms.0.matchExpressions.0.values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]);
  });
});
