import type { ComponentContext, KObject } from '../../contract.js';
import type { Informers } from '../util/cache.js';
import { ReplicaManager } from '../replicaset/controller.js';
import { RCS } from '../util/gvr.js';
import { compileMapSelector } from '../util/selector.js';

/**
 * ReplicationControllers run through the ReplicaSet manager, as upstream
 * does; only the selector form (a plain map, defaulted from the template's
 * labels) and the event source differ.
 */
export function replicationController(ctx: ComponentContext, informers: Informers): ReplicaManager {
  return new ReplicaManager(ctx, informers, {
    component: 'replication-controller',
    kind: 'ReplicationController',
    apiVersion: 'v1',
    gvr: RCS,
    selector: (o: KObject) => compileMapSelector(o.spec?.selector ?? o.spec?.template?.metadata?.labels),
  });
}
