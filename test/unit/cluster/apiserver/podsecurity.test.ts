/** Pod Security Admission in the playground: enforce refuses pods, warn warns (pods and workloads), a new enforce level reports what already breaks it. */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { errorText } from './statusOf';

const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'secure', labels } }) as KObject;
const pod = (name: string, spec: any = { containers: [{ name: 'app', image: 'nginx' }] }) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'secure' }, spec }) as KObject;
const compliant = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] };
const RESTRICTED_APP = 'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), '
  + 'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

describe('cluster/apiserver: PodSecurity admission', () => {
  it('refuses what the enforce level forbids, with the final pod name; lets a compliant pod in', () => {
    const pg = newTestPlayground();
    pg.api.create(R.namespaces, undefined, ns({ 'pod-security.kubernetes.io/enforce': 'restricted' }));
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'secure', pod('web'))), `403 pods "web" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_APP}`);
    assert.strictEqual(pg.api.create(R.pods, 'secure', pod('ok', compliant)).warnings, undefined);
    // warn defaults to a stricter enforce level (since 1.26): a workload whose pods would be refused says so.
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'secure' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } } } as KObject;
    assert.deepStrictEqual(pg.api.create(R.deployments, 'secure', dep).warnings, [`would violate PodSecurity "restricted:latest": ${RESTRICTED_APP}`]);
    pg.close();
  });

  it('warns for pods and workloads at the warn level, never refusing a workload; its pods are refused one by one', () => {
    const pg = newTestPlayground();
    pg.api.create(R.namespaces, undefined, ns({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.32' }));
    const r = pg.api.create(R.pods, 'secure', pod('web'));
    assert.deepStrictEqual(r.warnings, [`would violate PodSecurity "restricted:v1.32": ${RESTRICTED_APP}`]);
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'priv', namespace: 'secure' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'priv' } }, template: { metadata: { labels: { app: 'priv' } }, spec: { containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }] } } } } as KObject;
    const d = pg.api.create(R.deployments, 'secure', dep);
    assert.match(String(d.warnings?.[0]), /^would violate PodSecurity "restricted:v1\.32": privileged \(container "app" must not set securityContext\.privileged=true\), allowPrivilegeEscalation != false/);
    pg.advance(5000);
    const ev = pg.api.list(R.events, 'secure').items.find((e: any) => e.reason === 'FailedCreate');
    assert.ok(ev);
    assert.match(ev.message, /^Error creating: pods "priv-[a-z0-9]+-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:latest": privileged \(container "app" must not set securityContext\.privileged=true\)$/);
    pg.close();
  });

  it('refuses bad labels, and warns about existing pods when enforce gets stricter', () => {
    const pg = newTestPlayground();
    assert.strictEqual(errorText(() => pg.api.create(R.namespaces, undefined, ns({ 'pod-security.kubernetes.io/enforce': 'strict' }))),
      '422 Namespace "secure" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
    pg.api.create(R.namespaces, undefined, ns({}));
    for (const n of ['b', 'a', 'c']) pg.api.create(R.pods, 'secure', pod(n));
    pg.api.create(R.pods, 'secure', pod('host', { hostNetwork: true, containers: [{ name: 'app', image: 'nginx' }] }));
    const cur = pg.api.get(R.namespaces, undefined, 'secure');
    const r = pg.api.update(R.namespaces, undefined, { ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    assert.deepStrictEqual(r.warnings, [
      'existing pods in namespace "secure" violate the new PodSecurity enforce level "restricted:latest"',
      'a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
      'host: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    ]);
    // Loosening it says nothing; the pods that are there stay.
    const now = pg.api.get(R.namespaces, undefined, 'secure');
    assert.strictEqual(pg.api.update(R.namespaces, undefined, { ...now, metadata: { ...now.metadata, labels: { ...now.metadata.labels, 'pod-security.kubernetes.io/enforce': 'baseline' } } }).warnings, undefined);
    assert.strictEqual(pg.api.list(R.pods, 'secure').items.length, 4);
    pg.close();
  });

  it('judges pod updates only when containers or images change', () => {
    const pg = newTestPlayground();
    pg.api.create(R.namespaces, undefined, ns({}));
    pg.api.create(R.pods, 'secure', pod('web'));
    const cur = pg.api.get(R.namespaces, undefined, 'secure');
    pg.api.update(R.namespaces, undefined, { ...cur, metadata: { ...cur.metadata, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    const p = pg.api.get(R.pods, 'secure', 'web');
    pg.api.update(R.pods, 'secure', { ...p, metadata: { ...p.metadata, labels: { tier: 'front' } } });
    const q = pg.api.get(R.pods, 'secure', 'web');
    assert.match(errorText(() => pg.api.update(R.pods, 'secure', { ...q, spec: { ...q.spec, containers: [{ ...q.spec.containers[0], image: 'nginx:1.27' }] } })), /^403 pods "web" is forbidden: violates PodSecurity/);
    pg.close();
  });
});
