/**
 * `kubectl rollout undo` for DaemonSets and StatefulSets, done the way
 * kubectl does it on the client side: find the ControllerRevision with the
 * wanted revision (default: the one before the newest) and put its template
 * back into the object. The controller then sees a template equal to that
 * revision and renumbers it as the newest.
 */
import type { Api, GVR, KObject } from '../../contract.js';
import { CONTROLLERREVISIONS } from './gvr.js';
import { stableStringify } from './hash.js';
import { templateForPatch } from './history.js';
import { deepCopy } from './owner.js';

export function rolloutUndoFromHistory(api: Api, gvr: GVR, namespace: string, name: string, toRevision = 0): string {
  const obj = api.get(gvr, namespace, name);
  const kind = `${gvr.resource.replace(/s$/, '')}.${gvr.group || 'core'}`;
  const history = api
    .list(CONTROLLERREVISIONS, namespace)
    .items.filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === obj.metadata.uid))
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  if (!history.length) throw new Error(`no rollout history found for ${kind} "${name}"`);
  let target: KObject | undefined;
  if (toRevision) {
    target = history.find((r) => r.revision === toRevision);
    if (!target) throw new Error(`unable to find specified revision ${toRevision} in history`);
  } else {
    if (history.length < 2) throw new Error('no last revision to roll back to');
    target = history[history.length - 2];
  }
  const template = deepCopy(target.data?.spec?.template ?? {});
  delete template.$patch;
  if (template.metadata?.creationTimestamp === null) delete template.metadata.creationTimestamp;
  if (stableStringify(templateForPatch(template)) === stableStringify(templateForPatch(obj.spec?.template))) {
    return `${kind}/${name} skipped rollback (current template already matches revision ${target.revision})`;
  }
  api.patch(gvr, namespace, name, 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
  return `${kind}/${name} rolled back`;
}
