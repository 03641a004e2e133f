/**
 * The pod row of upstream's printPod: READY, STATUS and RESTARTS from the
 * shared summary (kube/src/printPod.ts), then age, IP, node, nominated node
 * and readiness gates.
 */
import { AGE_COL, NAME_COL, Printer, Row, col, since } from './format';
import { summarizePod } from '../../../../kube/src/printPod';

export function podRow(pod: any, now: number): Row {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const phase: string = status.phase ?? '';
  const row: Row = { cells: [] };
  if (phase === 'Succeeded') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  const { reason, ready: readyContainers, total: totalContainers, restarts, lastRestart } = summarizePod(pod);

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart) restartsStr = `${restarts} (${since(lastRestart, now)} ago)`;

  const podIP = (status.podIPs && status.podIPs[0]?.ip) || status.podIP || '<none>';
  let gates = '<none>';
  const rg: any[] = spec.readinessGates ?? [];
  if (rg.length) {
    let ok = 0;
    for (const g of rg) {
      const c = (status.conditions ?? []).find((x: any) => x.type === g.conditionType);
      if (c && c.status === 'True') ok++;
    }
    gates = `${ok}/${rg.length}`;
  }
  row.cells.push(pod.metadata?.name, `${readyContainers}/${totalContainers}`, reason, restartsStr, since(pod.metadata?.creationTimestamp, now),
    podIP, spec.nodeName || '<none>', status.nominatedNodeName || '<none>', gates);
  return row;
}

export const podPrinter: Printer = {
  columns: [
    NAME_COL,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COL,
    col('IP', 'string', 'podIP is the IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'string', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  row: podRow,
};
