/**
 * The namespace controller (pkg/controller/namespace): a namespace marked
 * for deletion is Terminating; its content is deleted, the status carries
 * the upstream deletion conditions, and once nothing is left the
 * `kubernetes` finalizer comes off and the namespace is gone.
 * It also plays two small controllers every namespace meets at birth: the
 * service account controller (`default` ServiceAccount) and the root CA
 * publisher (`kube-root-ca.crt` ConfigMap).
 */
import type { Component, ComponentContext, KObject } from '../../contract';
import type { ChangeRecord, Store } from '../../store/store';
import { WorkQueue } from '../../runtime/queue';
import { allResources, gvrOf, storageId } from '../../apiserver/resources';
import { isStatusError } from '../../apiserver/status';
import { rfc3339 } from '../../runtime/objects';
import { controllerActor } from '../../auth/identities';

// The two controllers this one stands in for, each with its own service account (core.go, certificates.go).
const SA_WRITER = Object.freeze({ actor: controllerActor('service-account-controller') });
const ROOT_CA_WRITER = Object.freeze({ actor: controllerActor('root-ca-cert-publisher') });
import { deletionConditions } from './conditions';

export const NS_CONTROLLER = 'namespace-controller';
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
/** A stand-in for the CA when the cluster serves no HTTPS (tests, benchmarks). */
export const ROOT_CA_STANDIN = '-----BEGIN CERTIFICATE-----\nMIIBkubeplaySimulatedClusterRootCA\n-----END CERTIFICATE-----\n';

export class NamespaceController implements Component {
  readonly name = NS_CONTROLLER;
  private queue: WorkQueue;
  private untap: (() => void) | undefined;

  constructor(
    private readonly ctx: ComponentContext,
    private readonly store: Store,
    /** The CA that signs the apiserver's certificate, published as kube-root-ca.crt (a stand-in when the cluster serves no HTTPS). */
    private readonly rootCa: string = ROOT_CA_STANDIN,
  ) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), {
      onError: (k, e) => ctx.log(NS_CONTROLLER, `error syncing namespace ${k}: ${(e as Error).message}`),
    });
  }

  start(): void {
    // Of Events it wants only deletions (see observe): the event recorder may keep its writes back from it.
    this.untap = this.store.tap((table, rec) => this.observe(table, rec), { deletionsOnly: ['/events'] });
    // The namespaces there at start get their `default` account and CA ConfigMap before anything else runs, as a
    // cluster's system namespaces have them long before a user's first pod (whose kubelet mounts the CA).
    for (const ns of this.store.list('/namespaces')) {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
      else this.ensureDefaults(ns.metadata.name!);
    }
  }

  stop(): void {
    this.untap?.();
    this.queue.stop();
  }

  private observe(table: string, rec: ChangeRecord): void {
    if (table === '/namespaces') {
      if (rec.type !== 'DELETED') this.queue.add(rec.object.metadata.name!);
      return;
    }
    const ns = rec.object.metadata.namespace;
    // The serviceaccounts controller and the root-ca-cert-publisher put back a deleted `default` account or CA ConfigMap.
    if (rec.type === 'DELETED' && ns && ((table === '/serviceaccounts' && rec.object.metadata.name === 'default')
      || (table === '/configmaps' && rec.object.metadata.name === 'kube-root-ca.crt'))) {
      this.queue.add(ns);
      return;
    }
    // Content leaving a terminating namespace: look again.
    if (ns && (rec.type === 'DELETED' || rec.object.metadata.deletionTimestamp)) {
      const nsObj = this.store.get('/namespaces', undefined, ns);
      if (nsObj?.metadata.deletionTimestamp) this.queue.add(ns);
    }
  }

  private sync(name: string): void {
    const ns = this.store.get('/namespaces', undefined, name);
    if (!ns) return;
    if (!ns.metadata.deletionTimestamp) {
      this.ensureDefaults(name);
      return;
    }
    this.finalizeContent(ns);
  }

  /** ServiceAccount `default` and ConfigMap `kube-root-ca.crt`, as their controllers create them in every namespace. */
  private ensureDefaults(ns: string): void {
    const tryCreate = (resource: string, obj: KObject) => {
      try {
        this.ctx.api.create({ group: '', version: 'v1', resource }, ns, obj, resource === 'serviceaccounts' ? SA_WRITER : ROOT_CA_WRITER);
      } catch (e) {
        if (!isStatusError(e) || (e.code !== 409 && e.code !== 403 && e.code !== 404)) throw e;
      }
    };
    if (!this.store.get('/serviceaccounts', ns, 'default')) {
      tryCreate('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    }
    const cm = this.store.get('/configmaps', ns, 'kube-root-ca.crt');
    if (cm && cm.data?.['ca.crt'] !== this.rootCa) {
      // The root-ca-cert-publisher puts the current CA back (a state saved with another one, or an edit).
      try {
        this.ctx.api.update({ group: '', version: 'v1', resource: 'configmaps' }, ns, { ...cm, data: { ...(cm.data ?? {}), 'ca.crt': this.rootCa } }, ROOT_CA_WRITER);
      } catch (e) {
        if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
      }
    }
    if (!cm) {
      tryCreate('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: ns, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
        data: { 'ca.crt': this.rootCa },
      });
    }
  }

  private finalizeContent(ns: KObject): void {
    const name = ns.metadata.name!;
    const remaining = new Map<string, number>();
    const finalizersLeft = new Map<string, number>();
    for (const info of allResources(this.store)) {
      // A version served from another's storage (events.k8s.io events, autoscaling/v1) is deleted with that one.
      if (!info.namespaced || info.storage) continue;
      const table = storageId(info);
      const items = [...this.store.list(table, name)];
      if (!items.length) continue;
      // ProcessContentTotals prints `%s.%s` of resource and group: a core resource keeps the dot (`pods.`).
      const gr = `${info.resource}.${info.group}`;
      remaining.set(gr, items.length);
      for (const o of items) {
        for (const f of o.metadata.finalizers ?? []) finalizersLeft.set(f, (finalizersLeft.get(f) ?? 0) + 1);
        if (o.metadata.deletionTimestamp) continue;
        try {
          this.ctx.api.delete(gvrOf(info), name, o.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: o.metadata.uid } });
          this.ctx.count(NS_CONTROLLER, 'deleted');
        } catch (e) {
          if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
        }
      }
    }
    // Count again: what was deleted outright is gone already.
    let left = 0;
    const leftBy = new Map<string, number>();
    for (const [gr] of remaining) {
      const [resource, ...g] = gr.split('.');
      const n = this.store.count(storageId({ group: g.join('.'), resource }), name);
      if (n) leftBy.set(gr, n);
      left += n;
    }
    const status = { ...(ns.status ?? {}), phase: 'Terminating', conditions: deletionConditions(rfc3339(this.ctx.clock.now()), leftBy, finalizersLeft, ns.status?.conditions) };
    if (JSON.stringify(status) !== JSON.stringify(ns.status)) {
      this.write(() => this.ctx.api.update(NAMESPACES, undefined, { ...ns, status }, {}, 'status'));
    }
    if (left > 0) return;
    const current = this.store.get('/namespaces', undefined, name);
    if (!current) return;
    const specFinalizers = (current.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes');
    this.write(() => this.ctx.api.update(NAMESPACES, undefined, { ...current, spec: { ...current.spec, finalizers: specFinalizers } }, {}, 'finalize'));
    this.ctx.log(NS_CONTROLLER, `namespace ${name} is empty; removed the kubernetes finalizer`);
  }

  private write(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
  }
}
