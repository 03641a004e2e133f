/**
 * Printers for the API Priority and Fairness objects and the service-IP objects (pkg/printers/internalversion/printers.go
 * printFlowSchema, printPriorityLevelConfiguration, printServiceCIDR, printIPAddress). Column descriptions are the
 * types' SwaggerDoc, as upstream registers them.
 */
import { AGE_COL, NAME_COL, Printer, age, col } from './format';
import { byPrecedence } from '../../apiserver/flowcontrol';

const D = {
  plName: "`name` is the name of the priority level configuration being referenced Required.",
  prec: "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. Note that if the precedence is not specified, it will be set to 1000 as default.",
  dm: "`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus will always be the empty string.",
  type: "`type` indicates whether this priority level is subject to limitation on request execution.  A value of `\"Exempt\"` means that requests of this priority level are not subject to a limit (and thus are never queued) and do not detract from the capacity made available to other priority levels.  A value of `\"Limited\"` means that (a) requests of this priority level _are_ subject to limits and (b) some of the server's limited capacity is made available exclusively to this priority level. Required.",
  ncs: "`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level. This is the number of execution seats available at this priority level. This is used both for requests dispatched from this priority level as well as requests dispatched from other priority levels borrowing seats from this level. The server's concurrency limit (ServerCL) is divided among the Limited priority levels in proportion to their NCS values:\n\nNominalCL(i)  = ceil( ServerCL \\* NCS(i) / sum_ncs ) sum_ncs = sum[priority level k] NCS(k)\n\nBigger numbers mean a larger nominal concurrency limit, at the expense of every other priority level.\n\nIf not specified, this field defaults to a value of 30.\n\nSetting this field to zero supports the construction of a \"jail\" for this priority level that is used to hold some request(s)",
  queues: "`queues` is the number of queues for this priority level. The queues exist independently at each apiserver. The value must be positive.  Setting it to 1 effectively precludes shufflesharding and thus makes the distinguisher method of associated flow schemas irrelevant.  This field has a default value of 64.",
  hand: "`handSize` is a small positive number that configures the shuffle sharding of requests into queues.  When enqueuing a request at this priority level the request's flow identifier (a string pair) is hashed and the hash value is used to shuffle the list of queues and deal a hand of the size specified here.  The request is put into one of the shortest queues in that hand. `handSize` must be no larger than `queues`, and should be significantly smaller (so that a few heavy flows do not saturate most of the queues).  See the user-facing documentation for more extensive guidance on setting this field.  This field has a default value of 8.",
  qll: "`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time; excess requests are rejected.  This value must be positive.  If not specified, it will be defaulted to 50.",
  cidrs: "CIDRs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP family. This field is immutable.",
  parent: "ParentRef references the resource that an IPAddress is attached to. An IPAddress must reference a parent object."
};

/**
 * MISSINGPL is the Dangling condition's status, `?` before the config consumer has written one; a list comes
 * sorted as FlowSchemaSequence sorts it (printFlowSchemaList): matchingPrecedence, then name.
 */
export const flowSchemaPrinter: Printer = {
  columns: [
    NAME_COL,
    col('PriorityLevel', 'string', D.plName),
    col('MatchingPrecedence', 'string', D.prec),
    col('DistinguisherMethod', 'string', D.dm),
    AGE_COL,
    col('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  row: (o, now) => {
    const dangling = (o.status?.conditions ?? []).find((c: any) => c?.type === 'Dangling');
    return {
      cells: [o.metadata.name, o.spec?.priorityLevelConfiguration?.name ?? '', o.spec?.matchingPrecedence ?? 0,
        o.spec?.distinguisherMethod ? String(o.spec.distinguisherMethod.type ?? '') : '<none>', age(o, now), dangling ? String(dangling.status ?? '') : '?'],
    };
  },
  order: (objs) => [...objs].sort(byPrecedence),
};

/** `<none>` for what an Exempt level (no `limited`) or a Reject one (no queuing) lacks. */
export const priorityLevelPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Type', 'string', D.type),
    col('NominalConcurrencyShares', 'string', D.ncs),
    col('Queues', 'string', D.queues),
    col('HandSize', 'string', D.hand),
    col('QueueLengthLimit', 'string', D.qll),
    AGE_COL,
  ],
  row: (o, now) => {
    const lim = o.spec?.limited;
    const q = lim?.limitResponse?.queuing;
    const none = '<none>';
    return {
      cells: [o.metadata.name, o.spec?.type ?? '', lim ? lim.nominalConcurrencyShares ?? 0 : none, q ? q.queues ?? 0 : none,
        q ? q.handSize ?? 0 : none, q ? q.queueLengthLimit ?? 0 : none, age(o, now)],
    };
  },
};

export const serviceCIDRPrinter: Printer = {
  columns: [NAME_COL, col('CIDRs', 'string', D.cidrs), AGE_COL],
  row: (o, now) => ({ cells: [o.metadata.name, (o.spec?.cidrs ?? []).join(','), age(o, now)] }),
};

/**
 * PARENTREF is `resource[.group]/[namespace/]name`, lowercased. printIPAddress also appends the age, but only two
 * columns are defined, so kubectl prints NAME and PARENTREF.
 */
export const ipAddressPrinter: Printer = {
  columns: [NAME_COL, col('ParentRef', 'string', D.parent)],
  row: (o, now) => {
    const ref = o.spec?.parentRef;
    let parent = '<none>';
    if (ref) {
      parent = (ref.group ? `${ref.resource ?? ''}.${ref.group}` : String(ref.resource ?? '')).toLowerCase();
      if (ref.namespace) parent += '/' + ref.namespace;
      parent += '/' + (ref.name ?? '');
    }
    return { cells: [o.metadata.name, parent, age(o, now)] };
  },
};
