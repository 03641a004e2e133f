import * as assert from 'assert';
import { goSort } from '../../../client/src/model/describe/gosort';
import { describeEvents, listOrder } from '../../../client/src/model/describe/common';
import { describe as describeAny, describedVersion } from '../../../client/src/model/describe';
import { PrefixWriter } from '../../../client/src/model/describe/writer';
import { ClusterStore } from '../../../client/src/model/store';

const T0 = Date.parse('2026-12-01T07:04:00Z');

/** The Reason column of a describe text's Events table, top to bottom. */
function reasons(text: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Events:'));
  return lines.slice(at + 3).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)[1]);
}

/**
 * Events recorded from kubectl 1.32 against the playground: `name@second` in the
 * order the apiserver listed them (second `--` = eventTime only, no lastTimestamp),
 * and the order `kubectl describe` printed them (by the number after the dash).
 */
const KUBECTL_20 = {
  listed: '0390-016@01 0588-010@-- 1500-000@01 2239-018@01 3868-015@01 5048-002@01 5217-012@-- 5327-017@01 5915-001@01 5964-011@01 6940-013@-- 7056-006@01 8225-009@-- 8340-007@-- 8417-019@-- 8915-008@-- 9183-014@01 9522-005@01 9927-003@-- 9941-004@01',
  printed: '008 009 003 019 007 010 012 013 002 005 017 006 004 015 018 016 014 011 000 001',
};
const KUBECTL_60 = {
  listed: '0118-044@03 0187-059@03 0248-011@-- 0329-036@02 0590-043@02 1039-032@01 1596-019@03 1771-045@01 1948-038@-- 2197-018@-- 2227-020@01 2559-048@03 2611-012@01 3141-006@02 3233-046@01 3459-030@01 3555-021@-- 3799-009@02 4230-057@-- 4414-014@01 4582-028@01 4668-031@03 4777-047@-- 4933-056@02 4935-013@01 5347-029@02 5517-027@02 5567-049@01 5637-034@01 5901-050@03 6061-001@02 6189-040@01 6189-051@02 6506-008@-- 6725-035@01 6900-023@03 6994-016@-- 6998-037@03 7064-055@03 7146-022@03 7543-052@-- 7687-004@01 7921-033@-- 8280-042@03 8307-054@01 8571-010@02 8750-025@03 8863-007@-- 8985-058@03 9024-005@03 9025-041@03 9404-024@-- 9452-017@-- 9516-002@-- 9572-026@-- 9709-000@02 9744-015@-- 9759-053@-- 9912-039@01 9922-003@01',
  printed: '021 018 011 008 016 052 015 017 038 057 033 026 007 002 047 024 053 045 020 014 028 030 046 012 013 054 003 049 034 004 032 040 035 039 001 006 051 036 043 000 009 056 027 010 029 042 025 050 058 005 041 031 044 023 048 022 019 055 037 059',
};

function recorded(listed: string): any[] {
  return listed.split(' ').map((s) => {
    const [name, sec] = s.split('@');
    const e: any = { metadata: { name: `sortme.${name}`, namespace: 'default' }, reason: `R${name.split('-')[1]}`, type: 'Normal', message: 'm', count: 1, source: { component: 'test' } };
    if (sec === '--') e.eventTime = '2026-12-01T07:00:02.000000Z';
    else e.firstTimestamp = e.lastTimestamp = `2026-12-01T07:00:${sec}Z`;
    return e;
  });
}

describe('client describe: the order of Events, as kubectl sorts them', () => {
  for (const [n, rec] of [[20, KUBECTL_20], [60, KUBECTL_60]] as const) {
    it(`puts ${n} events with shared seconds in the order kubectl 1.32 printed (Go's unstable sort.Sort)`, () => {
      const events = recorded(rec.listed);
      const w = new PrefixWriter();
      describeEvents(w, events, T0);
      assert.deepStrictEqual(reasons(w.toString()).join(' '), rec.printed.split(' ').map((x) => `R${x}`).join(' '));
      // A stable sort by the same key gives another order: ties are where kubectl differs from JavaScript.
      const stable = [...events].sort((a, b) => (Date.parse(a.lastTimestamp ?? '') || 0) - (Date.parse(b.lastTimestamp ?? '') || 0));
      assert.notDeepStrictEqual(stable.map((e) => e.reason.slice(1)).join(' '), rec.printed);
    });
  }

  it('sorts up to 12 elements as an insertion sort (ties keep their order) and any length by the key', () => {
    const xs = [3, 1, 2, 1, 3, 2, 1].map((k, i) => ({ k, i }));
    goSort(xs, (a, b) => a.k < b.k);
    assert.deepStrictEqual(xs.map((x) => x.i), [1, 3, 6, 2, 5, 0, 4]);
    const many = Array.from({ length: 500 }, (_, i) => ({ k: (i * 7919) % 13, i }));
    goSort(many, (a, b) => a.k < b.k);
    assert.ok(many.every((x, i) => i === 0 || many[i - 1].k <= x.k));
    assert.strictEqual(new Set(many.map((x) => x.i)).size, 500);
  });

  it('prints a container event\'s message without its fieldPath, as kubectl 1.32 does', () => {
    const w = new PrefixWriter();
    describeEvents(w, [{ metadata: { name: 'p.1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{nginx}' },
      type: 'Normal', reason: 'Pulling', message: 'Pulling image "nginx"', count: 1, source: { component: 'kubelet' }, firstTimestamp: '2026-12-01T07:03:50Z', lastTimestamp: '2026-12-01T07:03:50Z' } as any], T0);
    assert.match(w.toString(), /^  Normal  Pulling  10s   kubelet  Pulling image "nginx"$/m);
  });

  it('orders listed events by namespace and name, as the apiserver lists them to kubectl', () => {
    const ev = (ns: string, name: string): any => ({ metadata: { namespace: ns, name } });
    assert.deepStrictEqual(listOrder([ev('kube-system', 'a'), ev('default', 'n.2'), ev('default', 'n.10'), ev('default', 'm')]).map((e) => `${e.metadata.namespace}/${e.metadata.name}`),
      ['default/m', 'default/n.10', 'default/n.2', 'kube-system/a']);
  });

  /** A node just registered, as kubectl 1.32 described it against the playground. */
  function registeredNode(): { store: ClusterStore; node: any } {
    const store = new ClusterStore();
    const node: any = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kubeplay-worker', uid: 'c0e3435a', resourceVersion: '10', creationTimestamp: '2026-12-01T07:03:30Z' }, spec: {}, status: { nodeInfo: {} } };
    store.apply('nodes', 'ADDED', node);
    const kubelet = (suffix: string, reason: string): any => ({
      metadata: { namespace: 'default', name: `kubeplay-worker.${suffix}`, resourceVersion: suffix },
      involvedObject: { kind: 'Node', name: 'kubeplay-worker', uid: 'kubeplay-worker' },
      reason, type: 'Normal', message: reason, count: 1, source: { component: 'kubelet' },
      firstTimestamp: '2026-12-01T07:03:31Z', lastTimestamp: '2026-12-01T07:03:31Z',
    });
    const registered: any = { ...kubelet('18ed0f4421535c9e', 'RegisteredNode'), source: { component: 'node-controller' }, involvedObject: { kind: 'Node', name: 'kubeplay-worker', uid: 'c0e3435a' } };
    // kube-proxy writes through events.k8s.io: eventTime (a second later), no lastTimestamp.
    const proxy: any = { ...kubelet('18ed0f445cee26c9', 'Starting'), source: {}, message: '', reportingComponent: 'kube-proxy', eventTime: '2026-12-01T07:03:32.682000Z', firstTimestamp: undefined, lastTimestamp: undefined };
    // Arrival order in the watch differs from the apiserver's list order.
    for (const e of [proxy, kubelet('18ed0f443334ffc6', 'NodeReady'), registered, kubelet('18ed0f4421535c98', 'NodeAllocatableEnforced'), kubelet('18ed0f4421535c97', 'NodeHasSufficientPID'),
      kubelet('18ed0f4421535c96', 'NodeHasNoDiskPressure'), kubelet('18ed0f4421535c95', 'NodeHasSufficientMemory'), kubelet('18ed0f4421535c94', 'Starting')]) store.apply('events', 'ADDED', e);
    return { store, node };
  }

  it('describes a node\'s events in kubectl\'s order: the eventTime-only Starting of kube-proxy first, then the uid\'s events, then those filed under its name', () => {
    const { store, node } = registeredNode();
    const text = describeAny(store, node, T0);
    assert.deepStrictEqual(reasons(text), ['Starting', 'RegisteredNode', 'Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeAllocatableEnforced', 'NodeReady']);
    assert.match(text, /^  Normal  Starting\s+27s\s+kube-proxy\s*$/m);
    assert.match(text, /^  Normal  RegisteredNode\s+29s\s+node-controller\s+RegisteredNode$/m);
  });

  it('tells an open describe tab that its object or one of its events changed, and that the object is gone', () => {
    const { store, node } = registeredNode();
    const v0 = describedVersion(store, 'nodes', undefined, 'kubeplay-worker');
    assert.ok(v0);
    assert.strictEqual(describedVersion(store, 'nodes', undefined, 'kubeplay-worker'), v0, 'nothing changed, same version');
    store.apply('events', 'ADDED', {
      metadata: { namespace: 'default', name: 'kubeplay-worker.18ed0f5000000000', resourceVersion: '30' },
      involvedObject: { kind: 'Node', name: 'kubeplay-worker', uid: 'kubeplay-worker' }, reason: 'NodeNotSchedulable', type: 'Normal', lastTimestamp: '2026-12-01T07:04:00Z',
    } as any);
    const v1 = describedVersion(store, 'nodes', undefined, 'kubeplay-worker');
    assert.notStrictEqual(v1, v0, 'an event filed under the node name counts');
    store.apply('nodes', 'MODIFIED', { ...node, metadata: { ...node.metadata, resourceVersion: '31' }, spec: { unschedulable: true } });
    const v2 = describedVersion(store, 'nodes', undefined, 'kubeplay-worker');
    assert.notStrictEqual(v2, v1, 'the node itself counts');
    store.apply('nodes', 'DELETED', node);
    assert.strictEqual(describedVersion(store, 'nodes', undefined, 'kubeplay-worker'), undefined);
  });
});
