/**
 * Server-side printing for `kubectl get`: a meta.k8s.io Table with upstream's
 * columns per kind. The server always sends every column (priority 1 are the
 * `-o wide` ones); kubectl picks what to show.
 */
import type { KObject } from '../../contract';
import { encode } from '../encode';
import { Column, Printer, Row, col, NAME_COL } from './format';
import { podPrinter } from './pods';
import {
  cronJobPrinter, daemonSetPrinter, deploymentPrinter, jobPrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter,
} from './workloads';
import { endpointSlicePrinter, endpointsPrinter, ingressPrinter, networkPolicyPrinter, servicePrinter } from './network';
import {
  configMapPrinter, eventPrinter, hpaPrinter, leasePrinter, namespacePrinter, nodePrinter, pdbPrinter, priorityClassPrinter, pvPrinter,
  pvcPrinter, roleBindingPrinter, roleCreatedAtPrinter, secretPrinter, serviceAccountPrinter, storageClassPrinter,
} from './core';
import { componentStatusPrinter, controllerRevisionPrinter, ingressClassPrinter, podTemplatePrinter, resourceQuotaPrinter, webhookConfigurationPrinter } from './more';
import {
  apiServicePrinter, certificateSigningRequestPrinter, csiStorageCapacityPrinter, deviceClassPrinter, resourceClaimPrinter,
  resourceClaimTemplatePrinter, resourceSlicePrinter, runtimeClassPrinter, validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter, volumeAttributesClassPrinter,
} from './extensions';
import { flowSchemaPrinter, ipAddressPrinter, priorityLevelPrinter, serviceCIDRPrinter } from './flowcontrol';

/** Keyed by `group/resource`, as the apiserver registers its printers per resource. */
const PRINTERS: Record<string, Printer> = {
  '/pods': podPrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/nodes': nodePrinter,
  '/namespaces': namespacePrinter,
  '/events': eventPrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  '/persistentvolumeclaims': pvcPrinter,
  '/persistentvolumes': pvPrinter,
  '/replicationcontrollers': replicationControllerPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'batch/jobs': jobPrinter,
  'batch/cronjobs': cronJobPrinter,
  'events.k8s.io/events': eventPrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'networking.k8s.io/ingresses': ingressPrinter,
  'networking.k8s.io/networkpolicies': networkPolicyPrinter,
  'storage.k8s.io/storageclasses': storageClassPrinter,
  'policy/poddisruptionbudgets': pdbPrinter,
  'autoscaling/horizontalpodautoscalers': hpaPrinter,
  'coordination.k8s.io/leases': leasePrinter,
  'scheduling.k8s.io/priorityclasses': priorityClassPrinter,
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/roles': roleCreatedAtPrinter,
  'rbac.authorization.k8s.io/clusterroles': roleCreatedAtPrinter,
  'apps/controllerrevisions': controllerRevisionPrinter,
  '/resourcequotas': resourceQuotaPrinter,
  '/podtemplates': podTemplatePrinter,
  'networking.k8s.io/ingressclasses': ingressClassPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhookConfigurationPrinter,
  '/componentstatuses': componentStatusPrinter,
  'apiregistration.k8s.io/apiservices': apiServicePrinter,
  'node.k8s.io/runtimeclasses': runtimeClassPrinter,
  'storage.k8s.io/volumeattributesclasses': volumeAttributesClassPrinter,
  'storage.k8s.io/csistoragecapacities': csiStorageCapacityPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicies': validatingAdmissionPolicyPrinter,
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': validatingAdmissionPolicyBindingPrinter,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestPrinter,
  'resource.k8s.io/deviceclasses': deviceClassPrinter,
  'resource.k8s.io/resourceclaims': resourceClaimPrinter,
  'resource.k8s.io/resourceclaimtemplates': resourceClaimTemplatePrinter,
  'resource.k8s.io/resourceslices': resourceSlicePrinter,
  'flowcontrol.apiserver.k8s.io/flowschemas': flowSchemaPrinter,
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': priorityLevelPrinter,
  'networking.k8s.io/servicecidrs': serviceCIDRPrinter,
  'networking.k8s.io/ipaddresses': ipAddressPrinter,
};

/** Upstream's default table convertor for kinds without a printer: Name and Created At. */
const defaultPrinter: Printer = {
  columns: [NAME_COL, col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  row: (o) => ({ cells: [o.metadata?.name, o.metadata?.creationTimestamp ?? ''] }),
};

export function printerFor(group: string, resource: string): Printer {
  return PRINTERS[`${group}/${resource}`] ?? defaultPrinter;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function columnDefinition(c: Column) {
  return { name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority ?? 0 };
}

export interface TableOptions {
  apiVersion: string;
  now: number;
  includeObject: IncludeObject;
  listMeta?: Record<string, unknown>;
  /** Omit column definitions (watch events after the first). */
  noColumns?: boolean;
}

function rowObject(obj: KObject, include: IncludeObject, apiVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
}

/** The same Table as `toTable`, as JSON text, with each row's metadata taken from the encoding cache. */
export function toTableJson(printer: Printer, objs: KObject[], opts: TableOptions): string {
  if (printer.order && objs.length > 1) objs = printer.order(objs);
  const rows = new Array<string>(objs.length);
  for (let i = 0; i < objs.length; i++) {
    const o = objs[i];
    const r: Row = printer.row(o, opts.now);
    let text = `{"cells":${JSON.stringify(r.cells)}`;
    if (r.conditions) text += `,"conditions":${JSON.stringify(r.conditions)}`;
    if (opts.includeObject === 'Metadata') text += `,"object":{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(opts.apiVersion)},"metadata":${encode(o.metadata)}}`;
    else if (opts.includeObject === 'Object') text += `,"object":${encode(o)}`;
    rows[i] = text + '}';
  }
  const columns = opts.noColumns ? [] : printer.columns.map(columnDefinition);
  return `{"kind":"Table","apiVersion":${JSON.stringify(opts.apiVersion)},"metadata":${JSON.stringify(opts.listMeta ?? {})},"columnDefinitions":${JSON.stringify(columns)},"rows":[${rows.join(',')}]}`;
}

export function toTable(printer: Printer, objs: KObject[], opts: TableOptions) {
  if (printer.order && objs.length > 1) objs = printer.order(objs);
  const rows = objs.map((o) => {
    const r: Row = printer.row(o, opts.now);
    const out: Record<string, unknown> = { cells: r.cells };
    if (r.conditions) out.conditions = r.conditions;
    const object = rowObject(o, opts.includeObject, opts.apiVersion);
    if (object !== undefined) out.object = object;
    return out;
  });
  return {
    kind: 'Table',
    apiVersion: opts.apiVersion,
    metadata: opts.listMeta ?? {},
    columnDefinitions: opts.noColumns ? [] : printer.columns.map(columnDefinition),
    rows,
  };
}
