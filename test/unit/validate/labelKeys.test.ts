import * as assert from 'assert';
import { applyEdits, byCode, diagnose, quickFixes, textAt } from './helpers';

const term = `
          - labelSelector:
              matchLabels: {app: web}
            matchLabelKeys: [app]
            topologyKey: kubernetes.io/hostname`;

describe('matchLabelKeys that the selector already names', () => {
  it('is an error on a Pod, whose creation merges the key into its selector, at the key', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:${term.replace(/^ {4}/gm, '')}
  containers:
  - name: c
    image: nginx:1.27
`;
    const { list } = diagnose(text);
    const [d] = byCode(list, 'invalid-affinity-term');
    assert.ok(d, JSON.stringify(list.map((x) => x.message)));
    assert.strictEqual(d.severity, 1);
    assert.strictEqual(d.message, 'Invalid value: "app": exists in both matchLabelKeys and labelSelector');
    assert.strictEqual(textAt(text, d.range), 'app');
    // The same key in both lists: its merged In and NotIn repeat it, said once here (and the overlap).
    const both = byCode(diagnose(text.replace(/( *)matchLabelKeys: \[app\]/, '$1matchLabelKeys: [app]\n$1mismatchLabelKeys: [app]')).list, 'invalid-affinity-term');
    assert.deepStrictEqual(both.map((x) => x.message).sort(), ['Invalid value: "app": exists in both matchLabelKeys and labelSelector', 'Invalid value: "app": exists in both matchLabelKeys and mismatchLabelKeys']);
    // A pod without the label merges nothing, and nothing is said.
    assert.deepStrictEqual(byCode(diagnose(text.replace('  labels: {app: web}\n', '')).list, 'invalid-affinity-term'), []);
  });

  it('is a warning on a template, which the apiserver accepts while refusing every pod made from it', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:${term}
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: web}}
        matchLabelKeys: [pod-template-hash]
      containers:
      - name: c
        image: nginx:1.27
`;
    const { list } = diagnose(text);
    const [d] = byCode(list, 'invalid-affinity-term');
    assert.ok(d, JSON.stringify(list.map((x) => x.message)));
    assert.strictEqual(d.severity, 2);
    assert.match(d.message, /^Every pod made from this template is refused: creating a pod merges "app" In \(the pod's value of that label\) into the labelSelector/);
    // pod-template-hash is the idiom: the template does not carry it, the pods do, and nothing else names it.
    assert.deepStrictEqual(byCode(list, 'invalid-spread-constraint'), []);
    // Unless the selector names it too: the Deployment controller's label is merged like the template's.
    const guarded = text.replace('labelSelector: {matchLabels: {app: web}}\n        matchLabelKeys: [pod-template-hash]',
      'labelSelector: {matchExpressions: [{key: pod-template-hash, operator: Exists}]}\n        matchLabelKeys: [pod-template-hash]');
    assert.notStrictEqual(guarded, text);
    const [w] = byCode(diagnose(guarded).list, 'invalid-spread-constraint');
    assert.ok(w && w.severity === 2, JSON.stringify(diagnose(guarded).list.map((x) => x.message)));
    assert.match(w.message, /merges "pod-template-hash" In/);
  });
});

describe('affinity terms the apiserver refuses, in the editor', () => {
  it('points at an empty topologyKey, a namespace in the list and a weight out of range', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms: []
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 200
            podAffinityTerm:
              labelSelector:
                matchLabels: {app: web}
              namespaces: [default, Prod]
              topologyKey: ""
      containers:
      - name: c
        image: nginx:1.27
`;
    const { list } = diagnose(text);
    const shown = list.filter((d) => d.code === 'invalid-affinity-term' || d.code === 'invalid-node-affinity').map((d) => `${d.code} ${textAt(text, d.range)}: ${d.message}`);
    assert.deepStrictEqual(shown.sort(), [
      'invalid-affinity-term "": Invalid value: "": name part must be non-empty',
      `invalid-affinity-term "": Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      'invalid-affinity-term "": Required value: can not be empty',
      'invalid-affinity-term 200: Invalid value: 200: must be in the range 1-100',
      'invalid-affinity-term Prod: Invalid value: "Prod": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
      'invalid-node-affinity []: Required value: must have at least one node selector term',
    ]);
  });
});

describe('an empty topologyKey, fixed', () => {
  it('offers the hostname and the zone key, neither preferred, and either clears the errors', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: ""
    whenUnsatisfiable: ScheduleAnyway
    labelSelector: {matchLabels: {app: web}}
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: web}}
        topologyKey: ""
  containers:
  - name: c
    image: nginx
`;
    for (const code of ['invalid-affinity-term', 'invalid-spread-constraint']) {
      const { actions, uri } = quickFixes(text, code);
      assert.deepStrictEqual(actions.map((a) => [a.title, !!a.isPreferred]), [['Set topologyKey to kubernetes.io/hostname', false], ['Set topologyKey to topology.kubernetes.io/zone', false]]);
      const fixed = applyEdits(text, actions[0].edit!.changes![uri]);
      assert.deepStrictEqual(byCode(diagnose(fixed).list, code), [], fixed);
    }
  });
});
