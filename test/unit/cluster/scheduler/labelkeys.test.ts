import * as assert from 'assert';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };

/**
 * matchLabelKeys and mismatchLabelKeys (Kubernetes 1.34): a Pod's creation merges them into the selectors of its
 * affinity terms and spread constraints, which is what makes `matchLabelKeys: [pod-template-hash]` keep a
 * rolling update's new pods apart only from each other.
 */
describe('apiserver: matchLabelKeys merged at pod creation', () => {
  let pg: KubePlayground;
  afterEach(() => pg?.close());

  const antiAffinity = (extra: Record<string, unknown>) => ({
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', ...extra }] },
  });
  const deploy = (image: string, affinity: unknown, spread?: unknown[]) => pg.apply(JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { affinity, ...(spread ? { topologySpreadConstraints: spread } : {}), containers: [{ name: 'c', image }] } },
    },
  }));

  it('appends key In (value) to the pod\'s selectors, and leaves the template as written', () => {
    pg = new KubePlayground({ seed: 5 });
    const spread = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['pod-template-hash', 'absent'] }];
    deploy('nginx:1.27', antiAffinity({ matchLabelKeys: ['pod-template-hash'] }), spread);
    pg.runUntil(() => false, 10_000);
    const pods = [...pg.store.list('/pods', 'default')];
    assert.strictEqual(pods.length, 3);
    const hash = pods[0].metadata.labels!['pod-template-hash'];
    const term = pods[0].spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    assert.deepStrictEqual(term.labelSelector, { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'pod-template-hash', operator: 'In', values: [hash] }] });
    assert.deepStrictEqual(term.matchLabelKeys, ['pod-template-hash'], 'the keys stay');
    // A key the pod does not carry adds nothing.
    assert.deepStrictEqual(pods[0].spec.topologySpreadConstraints[0].labelSelector.matchExpressions, [{ key: 'pod-template-hash', operator: 'In', values: [hash] }]);
    const d = pg.api.get(DEPLOYMENTS, 'default', 'web');
    assert.strictEqual(d.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions, undefined);
  });

  it('lets a rolling update\'s new pods share nodes with the old ones under one-per-node anti-affinity keyed by pod-template-hash', () => {
    // kind's three workers, three replicas: without the merge, no node is free of app=web pods for the surge pod.
    for (const keyed of [true, false]) {
      pg = new KubePlayground({ seed: 5 });
      deploy('nginx:1.27', antiAffinity(keyed ? { matchLabelKeys: ['pod-template-hash'] } : {}));
      pg.runUntil(() => false, 20_000);
      deploy('nginx:1.28', antiAffinity(keyed ? { matchLabelKeys: ['pod-template-hash'] } : {}));
      pg.runUntil(() => false, 60_000);
      const images = [...pg.store.list('/pods', 'default')].filter((p) => !p.metadata.deletionTimestamp).map((p) => `${p.spec.containers[0].image} ${p.spec.nodeName ?? 'Pending'}`).sort();
      if (keyed) {
        assert.deepStrictEqual(images.map((s) => s.split(' ')[0]), ['nginx:1.28', 'nginx:1.28', 'nginx:1.28'], images.join('\n'));
        assert.strictEqual(new Set(images.map((s) => s.split(' ')[1])).size, 3, 'one new pod per worker');
      } else {
        assert.ok(images.includes('nginx:1.28 Pending'), `the surge pod waits: ${images.join(', ')}`);
      }
      pg.close();
    }
  });

  it('matches no pod with an affinity term that has no labelSelector, as upstream\'s LabelSelectorAsSelector(nil)', () => {
    pg = new KubePlayground({ seed: 5 });
    pg.apply(JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 5, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } }, containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      },
    }));
    pg.runUntil(() => false, 20_000);
    const pods = [...pg.store.list('/pods', 'default')];
    assert.strictEqual(pods.filter((p) => p.spec.nodeName).length, 5, 'all five run: the term keeps no pod away');
  });

  it('refuses what upstream refuses, in its words and at its paths', () => {
    pg = new KubePlayground({ seed: 5 });
    const pod = (name: string, affinity: unknown) => pg.api.create(PODS, 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web', tier: 'a' } }, spec: { affinity, containers: [{ name: 'c', image: 'nginx' }] },
    } as KObject);
    const message = (f: () => unknown) => { try { f(); } catch (e: any) { return e.status.message; } return 'created'; };
    // The same key in both lists: the merged `app In` then `app NotIn` repeat it, and the lists overlap.
    assert.strictEqual(message(() => pod('both', antiAffinity({ matchLabelKeys: ['app'], mismatchLabelKeys: ['app'], labelSelector: { matchLabels: { tier: 'a' } } }))),
      'Pod "both" is invalid: [spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector, '
      + 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and mismatchLabelKeys]');
    assert.strictEqual(message(() => pod('nosel', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['app'] }] } })),
      'Pod "nosel" is invalid: spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set');
    // A key once in the selector's own matchLabels passes for a template, and the pod made from it is refused.
    assert.strictEqual(message(() => pod('dup', antiAffinity({ matchLabelKeys: ['app'] }))),
      'Pod "dup" is invalid: spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector');
    assert.strictEqual(message(() => pod('fine', antiAffinity({ mismatchLabelKeys: ['tier'] }))), 'created');
  });
});
