/**
 * The one place where the parts are put together, in start order. Each
 * engineer's area exports factories from its index.ts; this file only calls them.
 */
import { nodeTaintAdmission } from '../apiserver/nodetaint';
import type { Component, ComponentContext, KObject, PlaygroundOptions } from '../contract';
import type { Disks } from '../kubelet/disk';
import type { ExecWorld } from '../kubelet/execenv';
import type { ApiServer } from '../apiserver/api';
import type { Store } from '../store/store';
import { GarbageCollector } from '../controllers/garbagecollector';
import { NamespaceController } from '../controllers/namespace';
import { ROOT_CA_STANDIN } from '../controllers/namespace/namespace';
import { TokensController } from '../auth/tokenscontroller';
import { ClusterRoleAggregationController } from '../auth/aggregation';
import { workloadControllers } from '../controllers';
import { createNodeControllers } from '../controllers/nodelifecycle';
import { createScheduler } from '../scheduler';
import { createNodes, type NodeFleet } from '../kubelet';
import { clusterWorld } from '../kubelet/execenv';
import { createNetwork, type Network } from '../network';
import { IngressNginxController } from '../network/ingresscontroller';
import { createPersistentVolumeController, ensureDefaultStorageClass, LOCAL_PATH_NAMESPACE, storageAdmission } from '../storage';
import { serviceAccountAdmission } from '../auth/serviceaccount';
import { escalationAdmission } from '../auth/escalation';
import { defaultIngressClassAdmission } from '../apiserver/defaultingressclass';
import { webhookAdmission } from '../apiserver/webhooks';
import { validatingAdmissionPolicy } from '../apiserver/policy/vap';
import { ValidatingAdmissionPolicyStatusController } from '../apiserver/policy/typechecking';
import { limitRangerAdmission } from '../apiserver/limitranger';
import { podSecurityAdmission } from '../apiserver/podsecurity';
import { resourceQuotaAdmission } from '../apiserver/resourcequota';
import { ResourceQuotaController } from '../controllers/resourcequota/controller';
import { projectedToken } from '../auth/projected';
import type { TokenIssuer } from '../auth/issuer';
import type { PodApiServer } from '../network/apiserver';
import { LeaderElection } from './leaderelection';
import { KubeProxyProcesses } from './kubeproxy';
import { ConfigVersions } from '../kubelet/configversions';
import { APIServiceAvailability } from './aggregator';
import { APFController } from './apf';
import { IPAddressController, ServiceCIDRController } from '../network/ipaddresses';
import { CustomResourceDefinitionControllers } from '../apiserver/crd/controllers';
import { certificateAdmission } from '../apiserver/certificates';
import { CSRApprovingController, CSRCleanerController, CSRSigningController } from '../controllers/certificates/controllers';
import { CertificateAuthority } from '../auth/authority';
import { APISERVER_ACTOR, contextAs, controllerActor, CONTROLLER_MANAGER_ACTOR, SCHEDULER_ACTOR } from '../auth/identities';

export interface Wiring {
  components: Component[];
  fleet: NodeFleet;
  network: Network;
  /** API Priority and Fairness: the default objects, their status, and each request's classification. */
  apf: APFController;
  /** What a process in a container sees (exec sessions and the scripts the kubelet plays). */
  world: (pod: KObject, container: string) => ExecWorld;
}

export function wire(
  ctx: ComponentContext, api: ApiServer, store: Store, opts: PlaygroundOptions, restored: boolean, disks: Disks, tokens?: TokenIssuer,
  apiserver?: () => PodApiServer | undefined,
): Wiring {
  // Each controller writes as its kube-system service account, the apiserver's own loops as system:apiserver (auth/identities.ts).
  const as = (controller: string) => contextAs(ctx, controllerActor(controller));
  const loopback = contextAs(ctx, APISERVER_ACTOR);
  const network = createNetwork(ctx);
  // In upstream's order: LimitRanger among the first mutating plugins, ResourceQuota the last validating one.
  api.use(limitRangerAdmission(store));
  api.use(podSecurityAdmission(store));
  network.allocator.useStore(store);
  api.use(network.admission);
  api.use(storageAdmission(api));
  api.use(serviceAccountAdmission(store));
  api.use(nodeTaintAdmission());
  api.use(escalationAdmission(store));
  api.use(defaultIngressClassAdmission(store));
  api.use(certificateAdmission(store));
  // MutatingAdmissionWebhook, ValidatingAdmissionPolicy, ValidatingAdmissionWebhook: the policies' checks come first.
  api.use(validatingAdmissionPolicy(store));
  api.use(webhookAdmission(store));
  api.use(resourceQuotaAdmission(store, ctx.clock));
  ensureDefaultStorageClass(ctx);
  // A restored cluster already has its nodes: the fleet re-registers none and adopts what is there (a control-plane
  // node included, whose kubelet runs its static pods again; one the user removed, or a state saved without one, stays so).
  // kind's cluster has kindnet for its CNI: a node that joins, then or later, waits for its pod (kubelet/cni.ts). A
  // cluster saved before the playground had kindnet keeps its nodes Ready at once.
  const cni = (opts.controlPlane ?? true) && (!restored || !!store.get('apps/daemonsets', 'kube-system', 'kindnet'));
  const fleet = createNodes(ctx, restored ? 0 : opts.nodes ?? 3, opts.nodeCapacity ?? {}, !restored && (opts.controlPlane ?? true), cni);
  // Container scripts (a `sh -c` of commands the simulated shell knows) run against the cluster's DNS and kube-proxy.
  // The PIDs processes in pods have (ps, kill): kept with this cluster, so a reset or another playground starts afresh.
  const pidNamespaces = new Map<string, unknown>();
  // What ConfigMaps and Secrets were at the kubelet's last sync, for the volumes it writes then.
  const configVersions = new ConfigVersions(store, () => ctx.clock.now());
  const world = (pod: KObject, container: string) => clusterWorld({
    pidNamespaces,
    api: ctx.api,
    configAsOf: (table, ns, name, at, current) => configVersions.asOf(table, ns, name, at, current),
    now: () => ctx.clock.now(),
    resolve: (name) => network.resolve(name),
    dnsQuery: (qname, type, from) => network.dnsQuery(qname, type, from),
    dnsServing: (from) => network.dnsServing(from),
    dnsRefused: () => network.dnsRefused(),
    route: (ip, port, from) => network.route(ip, port, 'TCP', from),
    connect: (from, to, port, protocol) => network.connect(from, to, port, protocol),
    disks,
    token: tokens ? (p, src) => projectedToken(tokens, store, p, src, ctx.clock.now()) : undefined,
    ingress: network.ingress,
    apiserver,
    accessLog: (p, c, line) => fleet.engine.containerOutput(p.metadata.namespace ?? 'default', p.metadata.name!, c, `${line}\n`),
    connection: (p, c) => fleet.engine.serverConnection(p.metadata.namespace ?? 'default', p.metadata.name!, c),
    mainOutput: (p, c, text) => fleet.engine.containerOutput(p.metadata.namespace ?? 'default', p.metadata.name!, c, text),
    // The running instance of that container: an exec session left over from an earlier one ends nothing.
    endContainer: (p, c, code) => {
      const id = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? []), ...(p.status?.ephemeralContainerStatuses ?? [])].find((s: any) => s.name === c)?.containerID;
      fleet.engine.endContainer(p.metadata.namespace ?? 'default', p.metadata.name!, c, code, id);
    },
    signalScript: (p, c, sig) => fleet.engine.signalScript(p.metadata.namespace ?? 'default', p.metadata.name!, c, sig),
    playsScript: (p, c) => fleet.engine.playsScript(p.metadata.namespace ?? 'default', p.metadata.name!, c),
  }, pod, container);
  fleet.engine.setWorld(world);
  fleet.engine.setDisks(disks);
  const apf = new APFController(ctx, api, store);
  const components: Component[] = [
    apf,
    configVersions,
    // The apiextensions-apiserver's naming, establishing and finalizer controllers (part of kube-apiserver).
    new CustomResourceDefinitionControllers(loopback, store),
    new NamespaceController(as('namespace-controller'), store, opts.rootCaCert),
    new GarbageCollector(as('generic-garbage-collector'), store),
    network,
    new IPAddressController(ctx, api, store),
    new ServiceCIDRController(ctx, api, store),
    new IngressNginxController(ctx, (ns, pod, c, code, id) => { fleet.engine.endContainer(ns, pod, c, code, id); }),
    ...workloadControllers(ctx, as),
    ...createNodeControllers(ctx, as),
    // kind's local-path provisioner runs as a pod (playground/localpath.ts); a cluster saved before it had one keeps the stand-in.
    createPersistentVolumeController(as('persistent-volume-binder'), { provisionerPods: (opts.controlPlane ?? true) && (!restored || !!store.get('/namespaces', undefined, LOCAL_PATH_NAMESPACE)) }),
    new ResourceQuotaController(as('resourcequota-controller'), store),
    createScheduler(contextAs(ctx, SCHEDULER_ACTOR)),
    fleet as unknown as Component,
    // The tokens controller is started with the controller-manager's root client, not a service account's.
    ...(tokens ? [new TokensController(contextAs(ctx, CONTROLLER_MANAGER_ACTOR), store, tokens, opts.rootCaCert ?? ROOT_CA_STANDIN)] : []),
    new ClusterRoleAggregationController(as('clusterrole-aggregation-controller'), store),
    new CSRApprovingController(as('certificate-controller'), store),
    new CSRCleanerController(as('certificate-controller'), store),
    new ValidatingAdmissionPolicyStatusController(as('validatingadmissionpolicy-status-controller'), store),
    ...(opts.clusterSigningCa ? [new CSRSigningController(as('certificate-controller'), store, new CertificateAuthority(opts.clusterSigningCa.cert, opts.clusterSigningCa.key))] : []),
    new APIServiceAvailability(loopback, store),
    ...(opts.controlPlane ?? true ? [new LeaderElection(ctx)] : []),
    new KubeProxyProcesses(ctx),
  ];
  return { components, fleet, network, apf, world };
}
