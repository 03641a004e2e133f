/**
 * Who the playground's own writers are, as the apiserver of a kind cluster sees them. kubeadm starts
 * kube-controller-manager with --use-service-account-credentials, so each controller writes with the token of
 * its own service account in kube-system (cmd/kube-controller-manager/app: `ClientBuilder.ClientOrDie("<name>")`;
 * the names are those of plugin/pkg/auth/authorizer/rbac/bootstrappolicy/controller_policy.go's
 * system:controller:<name> roles). The kubelet is system:node:<node> in system:nodes (its client certificate),
 * kube-scheduler is system:kube-scheduler, and the user of kind's kubeconfig is kubeadm's admin.conf
 * (cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go getKubeConfigSpecsBase: CN kubernetes-admin, O kubeadm:cluster-admins).
 *
 * The identity travels as WriteOptions.actor, which only admission reads (request.userInfo of a
 * ValidatingAdmissionPolicy): RBAC and the escalation check go on trusting in-process writes, as the
 * playground has no system:controller:* roles. Each identity is one frozen object, shared by all its writes.
 */
import type { Api, ComponentContext, DeleteOptions, WriteOptions } from '../contract';
import { serviceAccountUser, type UserInfo } from './issuer';
import { API_ROOT, rootApi } from '../runtime/informer';

export type Actor = Readonly<UserInfo>;

const AUTHENTICATED = 'system:authenticated';

function frozen(u: UserInfo): Actor {
  Object.freeze(u.groups);
  return Object.freeze(u);
}

const controllers = new Map<string, Actor>();
/** A kube-controller-manager controller's service account, kube-system/<name>. */
export function controllerActor(name: string): Actor {
  let a = controllers.get(name);
  if (!a) controllers.set(name, (a = frozen(serviceAccountUser('kube-system', name))));
  return a;
}

/** kube-scheduler's client certificate (kubeadm's scheduler.conf): system:kube-scheduler, no group but the authenticated one. */
export const SCHEDULER_ACTOR: Actor = frozen({ username: 'system:kube-scheduler', groups: [AUTHENTICATED] });

/** kube-controller-manager's own credentials, for the controllers started with its root client (the tokens controller). */
export const CONTROLLER_MANAGER_ACTOR: Actor = frozen({ username: 'system:kube-controller-manager', groups: [AUTHENTICATED] });

/** The user of kind's kubeconfig (kubeadm 1.29+'s admin.conf): what the playground's own kubectl-like operations act as. */
export const ADMIN_ACTOR: Actor = frozen({ username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', AUTHENTICATED] });

const nodes = new Map<string, { actor: Actor; opts: WriteOptions; handOver: WriteOptions }>();
function nodeEntry(node: string) {
  let e = nodes.get(node);
  if (!e) {
    const actor = frozen({ username: `system:node:${node}`, groups: ['system:nodes', AUTHENTICATED] });
    e = { actor, opts: Object.freeze({ actor }), handOver: Object.freeze({ actor, handOver: true }) };
    nodes.set(node, e);
  }
  return e;
}
/** node's kubelet: system:node:<node> in system:nodes. */
export function kubeletActor(node: string | undefined): Actor {
  return nodeEntry(node ?? '').actor;
}
/** The write options of node's kubelet (system:node:<node>); `handOver` for its fresh status objects. */
export function kubeletOptions(node: string | undefined, handOver = false): WriteOptions {
  const e = nodeEntry(node ?? '');
  return handOver ? e.handOver : e.opts;
}

/**
 * An Api whose writes carry `actor` where the caller gave none. A call without options passes one shared
 * frozen object; only a call that has options of its own gets a copy with the actor added.
 */
export function actingAs(api: Api, actor: Actor): Api {
  const bare: WriteOptions = Object.freeze({ actor });
  const withActor = <T extends WriteOptions>(o: T | undefined): T =>
    (o === undefined ? bare : o.actor || o.user ? o : { ...o, actor }) as T;
  const wrapped: Api & { [API_ROOT]: Api } = {
    // The wrapped Api's informers serve this one too (runtime/informer.ts): the components still share them.
    [API_ROOT]: rootApi(api),
    create: (gvr, ns, obj, o, sub, parent) => api.create(gvr, ns, obj, withActor(o), sub, parent),
    get: (...a) => api.get(...a),
    list: (...a) => api.list(...a),
    checkContinue: api.checkContinue && ((...a) => api.checkContinue!(...a)),
    update: (gvr, ns, obj, o, sub) => api.update(gvr, ns, obj, withActor(o), sub),
    patch: (gvr, ns, name, type, p, o, sub) => api.patch(gvr, ns, name, type, p, withActor(o), sub),
    delete: (gvr, ns, name, o?: DeleteOptions) => api.delete(gvr, ns, name, withActor(o)),
    watch: (...a) => api.watch(...a),
  };
  return wrapped;
}

/** A component's context whose writes are made as `actor`. */
export function contextAs(ctx: ComponentContext, actor: Actor): ComponentContext {
  return { ...ctx, api: actingAs(ctx.api, actor) };
}
