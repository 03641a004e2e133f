/**
 * The leader-election Leases of a kubeadm control plane: kube-controller-manager
 * and kube-scheduler each hold `kube-system/<component>` as
 * `<node>_<uuid>` (client-go's leaderelection with the default 15 s lease,
 * renewed every 2 s), and say `<identity> became leader` in a LeaderElection
 * event when they take it. One instance of each runs here, so each keeps its
 * lease; a lease someone deletes or hands over is taken again at the next
 * retry, with leaseTransitions counting the handovers as upstream does. Each writes its lease as itself: the
 * resource lock's client comes from the component's own kubeconfig (kubeadm's controller-manager.conf and
 * scheduler.conf: system:kube-controller-manager, system:kube-scheduler), not a controller's service account.
 */
import type { Component, ComponentContext, KObject, TimerHandle } from '../contract';
import { GVRS } from '../scheduler/watch';
import { CONTROL_PLANE_NODE } from '../kubelet';
import { newUid } from '../apiserver/meta';
import { CONTROLLER_MANAGER_ACTOR, SCHEDULER_ACTOR, writeAs } from '../auth/identities';

const LEASE_DURATION_SECONDS = 15;
const RETRY_MS = 2000;
const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The components that elect a leader, with the event source each records under and the user each writes as. */
const ELECTORS = [
  { lease: 'kube-controller-manager', source: { component: 'kube-controller-manager' }, write: writeAs(CONTROLLER_MANAGER_ACTOR) },
  { lease: 'kube-scheduler', source: { component: 'default-scheduler' }, write: writeAs(SCHEDULER_ACTOR) },
];

export class LeaderElection implements Component {
  readonly name = 'leader-election';
  private timer: TimerHandle | undefined;
  private readonly identities: string[];

  constructor(private readonly ctx: ComponentContext) {
    this.identities = ELECTORS.map(() => `${CONTROL_PLANE_NODE}_${newUid(ctx.rand)}`);
  }

  start(): void {
    // The controller manager and scheduler of a kubeadm cluster run on its control-plane node; a cluster without one
    // (a state saved before it had one, or `controlPlane: false`) has no such processes to hold leases.
    try {
      this.ctx.api.get(GVRS.nodes, undefined, CONTROL_PLANE_NODE);
    } catch {
      return;
    }
    this.tick();
  }

  stop(): void {
    if (this.timer !== undefined) this.ctx.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    ELECTORS.forEach((e, i) => this.tryAcquireOrRenew(e, this.identities[i]));
    this.timer = this.ctx.clock.setTimer(RETRY_MS, () => this.tick());
  }

  private tryAcquireOrRenew({ lease: name, source, write }: typeof ELECTORS[number], identity: string): void {
    const now = this.ctx.clock.now();
    let lease: KObject | undefined;
    try {
      lease = this.ctx.api.get(GVRS.leases, 'kube-system', name);
    } catch {
      lease = undefined;
    }
    try {
      if (!lease) {
        const created = this.ctx.api.create(GVRS.leases, 'kube-system', {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-system' },
          spec: { holderIdentity: identity, leaseDurationSeconds: LEASE_DURATION_SECONDS, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        }, write).object;
        this.becameLeader(created, source, identity);
        return;
      }
      const spec = lease.spec ?? {};
      if (spec.holderIdentity === identity) {
        this.ctx.api.update(GVRS.leases, 'kube-system', { ...lease, spec: { ...spec, renewTime: microTime(now) } }, write);
        return;
      }
      // Someone else's lease: taken only once it has expired (or has no holder), as client-go does.
      const renewed = spec.renewTime ? Date.parse(spec.renewTime) : 0;
      const expired = !spec.holderIdentity || renewed + (spec.leaseDurationSeconds ?? LEASE_DURATION_SECONDS) * 1000 <= now;
      if (!expired) return;
      const taken = this.ctx.api.update(GVRS.leases, 'kube-system', {
        ...lease,
        spec: {
          ...spec, holderIdentity: identity, leaseDurationSeconds: LEASE_DURATION_SECONDS, acquireTime: microTime(now), renewTime: microTime(now),
          leaseTransitions: (spec.leaseTransitions ?? 0) + (spec.holderIdentity ? 1 : 0),
        },
      }, write).object;
      this.becameLeader(taken, source, identity);
    } catch {
      // A conflict or a missing namespace: the next retry tries again.
    }
  }

  private becameLeader(lease: KObject, source: { component: string }, identity: string): void {
    this.ctx.events.event(source, lease, 'Normal', 'LeaderElection', `${identity} became leader`);
    this.ctx.log(source.component, `successfully acquired lease kube-system/${lease.metadata.name}`);
  }
}
