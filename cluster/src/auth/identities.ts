/**
 * Who the playground's own writers are, as the apiserver of a kind cluster sees them. kubeadm starts
 * kube-controller-manager with --use-service-account-credentials, so each controller writes with the token of
 * its own service account in kube-system (cmd/kube-controller-manager/app: `ClientBuilder.ClientOrDie("<name>")`;
 * the names are those of plugin/pkg/auth/authorizer/rbac/bootstrappolicy/controller_policy.go's
 * system:controller:<name> roles). The kubelet is system:node:<node> in system:nodes (its client certificate),
 * kube-scheduler is system:kube-scheduler, and the user of kind's kubeconfig is kubeadm's admin.conf
 * (cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go getKubeConfigSpecsBase: CN kubernetes-admin, O kubeadm:cluster-admins).
 *
 * kube-apiserver's own writes (its post-start hooks and in-process controllers: the system namespaces, the default
 * Service, RBAC and API Priority and Fairness bootstrap, the ServiceCIDR and IPAddress repair, the CRD and APIService
 * controllers) go through its loopback client, whose token authenticates as system:apiserver in system:authenticated
 * and system:masters, with a uid made when the apiserver starts (staging/src/k8s.io/apiserver/pkg/server/config.go
 * AuthorizeClientBearerToken; system:authenticated since kubernetes#127902, in 1.30 and later). Processes in pods (ingress-nginx, the local-path provisioner,
 * kube-webhook-certgen) write with their pod's service-account token.
 *
 * The identity travels as WriteOptions.actor, which only admission reads (request.userInfo of a
 * ValidatingAdmissionPolicy): RBAC and the escalation check go on trusting in-process writes, as the
 * playground has no system:controller:* roles. Each identity is one frozen object, shared by all its writes.
 */
import type { Api, ComponentContext, DeleteOptions, KObject, WriteOptions } from '../contract';
import { serviceAccountUser, type UserInfo } from './issuer';
import { API_ROOT, rootApi } from '../runtime/informer';
import { deepFreeze } from '../runtime/objects';

export type Actor = Readonly<UserInfo>;

const AUTHENTICATED = 'system:authenticated';

const serviceAccounts = new Map<string, Actor>();
/** The user a service account's token authenticates as (system:serviceaccount:<ns>:<name>), one object per account. */
export function serviceAccountActor(namespace: string, name: string): Actor {
  const key = `${namespace}/${name}`;
  let a = serviceAccounts.get(key);
  if (!a) serviceAccounts.set(key, (a = deepFreeze<Actor>(serviceAccountUser(namespace, name))));
  return a;
}

/** A kube-controller-manager controller's service account, kube-system/<name>. */
export function controllerActor(name: string): Actor {
  return serviceAccountActor('kube-system', name);
}

/** A process in `pod`: its service account's token (the admission plugin sets `default` when the pod names none). */
export function podActor(pod: KObject): Actor {
  return serviceAccountActor(pod.metadata.namespace ?? 'default', pod.spec?.serviceAccountName || 'default');
}

/**
 * kube-apiserver's loopback client: system:apiserver in system:authenticated and system:masters. Upstream's uid is a
 * fresh UUID each time the apiserver starts; the playground's is one fixed UUID, so that runs stay deterministic.
 */
export const APISERVER_ACTOR: Actor = deepFreeze<Actor>({ username: 'system:apiserver', uid: '7b3e9c41-2f6a-4d8e-9a05-c1d2e3f4a5b6', groups: [AUTHENTICATED, 'system:masters'] });

/** kube-scheduler's client certificate (kubeadm's scheduler.conf): system:kube-scheduler, no group but the authenticated one. */
export const SCHEDULER_ACTOR: Actor = deepFreeze<Actor>({ username: 'system:kube-scheduler', groups: [AUTHENTICATED] });

/** kube-controller-manager's own credentials, for the controllers started with its root client (the tokens controller). */
export const CONTROLLER_MANAGER_ACTOR: Actor = deepFreeze<Actor>({ username: 'system:kube-controller-manager', groups: [AUTHENTICATED] });

/** The user of kind's kubeconfig (kubeadm 1.29+'s admin.conf): what the playground's own kubectl-like operations act as. */
export const ADMIN_ACTOR: Actor = deepFreeze<Actor>({ username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', AUTHENTICATED] });

const writes = new WeakMap<Actor, WriteOptions>();
/** The write options `{ actor }` of an identity: one shared frozen object per actor. */
export function writeAs(actor: Actor): WriteOptions {
  let o = writes.get(actor);
  if (!o) writes.set(actor, (o = Object.freeze({ actor })));
  return o;
}

/** What the apiserver writes through its loopback client. */
export const APISERVER_WRITE = writeAs(APISERVER_ACTOR);
/** What kubeadm, kind's installer and the user's kubectl write with kind's admin.conf. */
export const ADMIN_WRITE = writeAs(ADMIN_ACTOR);

const nodes = new Map<string, { actor: Actor; opts: WriteOptions; handOver: WriteOptions }>();
function nodeEntry(node: string) {
  let e = nodes.get(node);
  if (!e) {
    const actor = deepFreeze<Actor>({ username: `system:node:${node}`, groups: ['system:nodes', AUTHENTICATED] });
    e = { actor, opts: writeAs(actor), handOver: Object.freeze({ actor, handOver: true }) };
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
  const bare = writeAs(actor);
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
