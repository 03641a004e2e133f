/**
 * Rollback. Two ways in: the deprecated `deprecated.deployment.rollback.to`
 * annotation the controller still honours (upstream's rollback.go), and
 * what modern `kubectl rollout undo` does on the client side: copy the
 * chosen ReplicaSet's template into the deployment. The controller then finds
 * that ReplicaSet as the "new" one and raises its revision.
 */
import type { Api, KObject } from '../../contract.js';
import { DEPLOYMENTS, REPLICASETS } from '../util/gvr.js';
import { deepCopy } from '../util/owner.js';
import type { DeploymentController } from './controller.js';
import { COMPONENT } from './controller.js';
import { getAllReplicaSetsAndSyncRevision } from './sync.js';
import { HASH_LABEL, ROLLBACK_TO, Reason, deploymentAnnotationsFrom, lastRevision, revisionOf, templatesEqualIgnoreHash } from './util.js';

export function rollbackTo(d: KObject): number | undefined {
  const v = d.metadata.annotations?.[ROLLBACK_TO];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

function templateFrom(rs: KObject): any {
  const t = deepCopy(rs.spec.template);
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  return t;
}

export function rollback(dc: DeploymentController, d: KObject, rsList: KObject[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const all = [...oldRSs, ...(newRS ? [newRS] : [])];
  let to = rollbackTo(d)!;
  const warn = (reason: string, msg: string) => dc.ctx.events.event({ component: COMPONENT }, d, 'Warning', reason, msg);
  if (to === 0) {
    to = lastRevision(all);
    if (to === 0) {
      warn(Reason.RollbackRevisionNotFound, 'Unable to find last revision.');
      return clearRollbackTo(dc, d);
    }
  }
  const rs = all.find((x) => revisionOf(x) === to);
  if (!rs) {
    warn(Reason.RollbackRevisionNotFound, 'Unable to find the revision to rollback to.');
    return clearRollbackTo(dc, d);
  }
  if (templatesEqualIgnoreHash(d.spec.template, rs.spec.template)) {
    warn(Reason.RollbackTemplateUnchanged, `The rollback revision contains the same template as current deployment "${d.metadata.name}"`);
    return clearRollbackTo(dc, d);
  }
  d.spec = { ...d.spec, template: templateFrom(rs) };
  d.metadata.annotations = deploymentAnnotationsFrom(d, rs);
  clearRollbackTo(dc, d);
  dc.ctx.events.event({ component: COMPONENT }, d, 'Normal', Reason.RollbackDone, `Rolled back deployment "${d.metadata.name}" to revision ${to}`);
}

function clearRollbackTo(dc: DeploymentController, d: KObject): void {
  const copy = deepCopy(d);
  if (copy.metadata.annotations) delete copy.metadata.annotations[ROLLBACK_TO];
  delete copy.status;
  const res = dc.ctx.api.update(DEPLOYMENTS, d.metadata.namespace, copy).object;
  dc.deployments.upsert(res);
}

/**
 * `kubectl rollout undo [--to-revision=N]` done the modern way, for the
 * playground's rolloutUndo: find the ReplicaSet with that revision (default:
 * the previous one) and write its template and annotations into the
 * deployment. Returns kubectl's message.
 */
export function rolloutUndoDeployment(api: Api, namespace: string, name: string, toRevision = 0): string {
  const d = api.get(DEPLOYMENTS, namespace, name);
  const rss = api.list(REPLICASETS, namespace).items.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid));
  let to = toRevision;
  if (to === 0) to = lastRevision(rss);
  const rs = rss.find((x) => revisionOf(x) === to);
  if (!rs || to === 0) {
    throw new Error(toRevision ? `unable to find specified revision ${toRevision} in history` : 'no rollout history found for deployment "' + name + '"');
  }
  if (d.spec?.paused) throw new Error("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  if (templatesEqualIgnoreHash(rs.spec.template, d.spec.template)) return `deployment.apps/${name} skipped rollback (current template already matches revision ${to})`;
  api.patch(DEPLOYMENTS, namespace, name, 'json', [
    { op: 'replace', path: '/spec/template', value: templateFrom(rs) },
    { op: 'replace', path: '/metadata/annotations', value: deploymentAnnotationsFrom(d, rs) },
  ]);
  return `deployment.apps/${name} rolled back`;
}
