import type { ComponentContext, KObject } from '../../contract.js';
import type { Informers } from '../util/cache.js';
import { REPLICASETS } from '../util/gvr.js';
import { compileSelector } from '../util/selector.js';
import { ReplicaManager } from './controller.js';

export function replicaSetController(ctx: ComponentContext, informers: Informers): ReplicaManager {
  return new ReplicaManager(ctx, informers, {
    component: 'replicaset-controller',
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    gvr: REPLICASETS,
    selector: (o: KObject) => compileSelector(o.spec?.selector),
  });
}
