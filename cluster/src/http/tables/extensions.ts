/**
 * Printers for the API-extension and cluster-setup kinds: APIServices (kube-aggregator's own ConvertToTable in
 * pkg/registry/apiservice/etcd/etcd.go), and from pkg/printers/internalversion/printers.go RuntimeClasses,
 * VolumeAttributesClasses, CSIStorageCapacities, ValidatingAdmissionPolicies and their bindings, and
 * CertificateSigningRequests.
 */
import { AGE_COL, NAME_COL, Printer, age, col, humanDuration } from './format';

/**
 * SERVICE is `Local` for an APIService the apiserver serves itself, else `namespace/name`; AVAILABLE is the
 * Available condition's status, with its reason in parentheses when not True, `Unknown` without one.
 */
export const apiServicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 'Whether this service is available.'),
    AGE_COL,
  ],
  row: (o, now) => {
    const svc = o.spec?.service;
    const service = svc ? `${svc.namespace ?? ''}/${svc.name ?? ''}` : 'Local';
    const c = (o.status?.conditions ?? []).find((x: any) => x?.type === 'Available');
    let available = 'Unknown';
    if (c) available = c.status === 'True' || !c.reason ? String(c.status ?? '') : `${c.status} (${c.reason})`;
    return { cells: [o.metadata.name, service, available, age(o, now)] };
  },
};

/** The Handler column's description is ObjectMeta's SwaggerDoc()["handler"], which does not exist: empty. */
export const runtimeClassPrinter: Printer = {
  columns: [NAME_COL, col('Handler', 'string', ''), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, o.handler ?? '', age(o, now)] }),
};

export const volumeAttributesClassPrinter: Printer = {
  columns: [NAME_COL, col('DriverName', 'string', 'Name of the CSI driver This field is immutable.'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, o.driverName ?? '', age(o, now)] }),
};

/** No Age column upstream; an unset capacity prints `<unset>`. */
export const csiStorageCapacityPrinter: Printer = {
  columns: [
    NAME_COL,
    col('StorageClassName', 'string', 'storageClassName represents the name of the StorageClass that the reported capacity applies to.'),
    col('Capacity', 'string', 'capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields.'),
  ],
  row: (o) => ({ cells: [o.metadata.name, o.storageClassName ?? '', o.capacity == null ? '<unset>' : String(o.capacity)] }),
};

export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'),
    col('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    AGE_COL,
  ],
  row: (o, now) => {
    const pk = o.spec?.paramKind;
    const paramKind = pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>';
    return { cells: [o.metadata.name, Array.isArray(o.spec?.validations) ? o.spec.validations.length : 0, paramKind, age(o, now)] };
  },
};

/** Go's generated String() of a *metav1.LabelSelector, which printValidatingAdmissionPolicyBinding prints as is. */
function goLabelSelectorString(sel: any): string {
  const labels = sel?.matchLabels && typeof sel.matchLabels === 'object' ? sel.matchLabels : {};
  const keys = Object.keys(labels).sort();
  const ml = `map[string]string{${keys.map((k) => `${k}: ${labels[k]},`).join('')}}`;
  const exprs = Array.isArray(sel?.matchExpressions) ? sel.matchExpressions : [];
  const me = exprs.map((e: any) => `LabelSelectorRequirement{Key:${e?.key ?? ''},Operator:${e?.operator ?? ''},Values:[${(e?.values ?? []).join(' ')}],}`).join(',');
  return `&LabelSelector{MatchLabels:${ml},MatchExpressions:[]LabelSelectorRequirement{${me}},}`;
}

/** ParamRef: `namespace/name`, `*\/name` without a namespace, the selector, or `<unset>`. */
export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    NAME_COL,
    col('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    col('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    AGE_COL,
  ],
  row: (o, now) => {
    const pr = o.spec?.paramRef;
    let param = '<unset>';
    if (pr) {
      if (pr.name) param = pr.namespace ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`;
      else if (pr.selector) param = goLabelSelectorString(pr.selector);
    }
    return { cells: [o.metadata.name, o.spec?.policyName ?? '', param, age(o, now)] };
  },
};

/** extractCSRStatus: Denied over Approved over Pending, then `,Failed`, then `,Issued` once a certificate is set. */
function csrCondition(o: any): string {
  const types = new Set((o.status?.conditions ?? []).map((c: any) => c?.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (o.status?.certificate) s += ',Issued';
  return s;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    NAME_COL,
    AGE_COL,
    col('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.'),
    col('Requestor', 'string', 'request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block.'),
    col('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    col('Condition', 'string', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".'),
  ],
  row: (o, now) => {
    const secs = o.spec?.expirationSeconds;
    const duration = typeof secs === 'number' ? humanDuration(secs * 1000) : '<none>';
    return { cells: [o.metadata.name, age(o, now), o.spec?.signerName || '<none>', o.spec?.username ?? '', duration, csrCondition(o)] };
  },
};

/**
 * resource.k8s.io (printers.go printDeviceClass, printResourceClaim, printResourceClaimTemplate, printResourceSlice).
 * A claim's STATE: `deleted` once it has a deletionTimestamp, `pending` while unallocated and not deleted, else
 * `allocated`, with `reserved` when some consumer has it reserved (resourceClaimState).
 */
export const deviceClassPrinter: Printer = { columns: [NAME_COL, AGE_COL], row: (o, now) => ({ cells: [o.metadata.name, age(o, now)] }) };

export const resourceClaimTemplatePrinter: Printer = deviceClassPrinter;

export function resourceClaimState(o: any): string {
  const states: string[] = [];
  const deleted = !!o.metadata?.deletionTimestamp;
  if (deleted) states.push('deleted');
  if (!o.status?.allocation) {
    if (!deleted) states.push('pending');
  } else {
    states.push('allocated');
    if (Array.isArray(o.status.reservedFor) && o.status.reservedFor.length) states.push('reserved');
  }
  return states.join(',');
}

export const resourceClaimPrinter: Printer = {
  columns: [NAME_COL, col('State', 'string', 'A summary of the current state (allocated, pending, reserved, etc.).'), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, resourceClaimState(o), age(o, now)] }),
};

/** The Node cell is the spec's *string nodeName: null for a slice of all nodes or a node selector. */
export const resourceSlicePrinter: Printer = {
  columns: [
    NAME_COL,
    col('Node', 'string', 'NodeName identifies the node which provides the resources in this pool. A field selector can be used to list only ResourceSlice objects belonging to a certain node.\n\nThis field can be used to limit access from nodes to ResourceSlices with the same node name. It also indicates to autoscalers that adding new nodes of the same type as some old node might also make new resources available.\n\nExactly one of NodeName, NodeSelector, AllNodes, and PerDeviceNodeSelection must be set. This field is immutable.'),
    col('Driver', 'string', 'Driver identifies the DRA driver providing the capacity information. A field selector can be used to list only ResourceSlice objects with a certain driver name.\n\nMust be a DNS subdomain and should end with a DNS domain owned by the vendor of the driver. It should use only lower case characters. This field is immutable.'),
    col('Pool', 'string', 'Name is used to identify the pool. For node-local devices, this is often the node name, but this is not required.\n\nIt must not be longer than 253 characters and must consist of one or more DNS sub-domains separated by slashes. This field is immutable.'),
    AGE_COL,
  ],
  row: (o, now) => ({ cells: [o.metadata.name, typeof o.spec?.nodeName === 'string' ? o.spec.nodeName : null, o.spec?.driver ?? '', o.spec?.pool?.name ?? '', age(o, now)] }),
};
