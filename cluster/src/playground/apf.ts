/**
 * kube-apiserver's API Priority and Fairness machinery, as far as a learner can see it:
 *
 * - the priority-and-fairness-config-producer post-start hook (pkg/registry/flowcontrol/ensurer): at start and then
 *   every minute, each mandatory and suggested object is created when missing, annotated
 *   `apf.kubernetes.io/autoupdate-spec: "true"`; a mandatory one always has its spec put back (the exempt level's
 *   `exempt` fields excepted), a suggested one only while its annotation says "true";
 * - the config consumer (apf_controller.go): each FlowSchema's Dangling condition says whether the level it names
 *   exists, with upstream's reasons and messages, written through /status;
 * - the classification of each request (for the X-Kubernetes-PF-FlowSchema-UID and -PriorityLevel-UID headers).
 */
import type { Component, ComponentContext, KObject } from '../contract';
import type { ApiServer } from '../apiserver/api';
import type { ChangeRecord, Store } from '../store/store';
import { isStatusError } from '../apiserver/status';
import { deepEqual, rfc3339 } from '../runtime/objects';
import { WorkQueue } from '../runtime/queue';
import { APISERVER_WRITE } from '../auth/identities';
import {
  AUTOUPDATE_ANNOTATION, FLOW_SCHEMAS, PRIORITY_LEVELS, byPrecedence, flowSchemaMatches, mandatoryFlowSchemas, mandatoryPriorityLevels,
  suggestedFlowSchemas, suggestedPriorityLevels, type FlowRequest,
} from '../apiserver/flowcontrol';

const FS_GVR = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas' };
const PL_GVR = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'prioritylevelconfigurations' };
/** The ensurer's period (ensureAPFBootstrapConfiguration polls every minute). */
const ENSURE_EVERY_MS = 60_000;

function ensureOne(api: ApiServer, table: string, gvr: typeof FS_GVR, desired: KObject, mandatory: boolean): void {
  const existing = api.store.get(table, undefined, desired.metadata.name!) as any;
  const want = desired as any;
  if (!existing) {
    api.create(gvr, undefined, { ...want, metadata: { ...want.metadata, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } } } as KObject, APISERVER_WRITE);
    return;
  }
  const annotation = existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION];
  // A suggested object a user took over (annotation "false", or absent on an edited one) is left alone.
  if (!mandatory && annotation !== 'true') return;
  let spec = want.spec;
  // The exempt level's `exempt` settings are the user's to tune (mandatory exempt ensurer keeps them).
  if (mandatory && spec.type === 'Exempt' && existing.spec?.exempt) spec = { ...spec, exempt: existing.spec.exempt };
  if (deepEqual(existing.spec, spec) && annotation === 'true') return;
  const annotations = { ...(existing.metadata.annotations ?? {}), [AUTOUPDATE_ANNOTATION]: 'true' };
  api.update(gvr, undefined, { ...existing, metadata: { ...existing.metadata, annotations }, spec } as KObject, APISERVER_WRITE);
}

/** One pass of the ensurer: the levels before the schemas that name them, mandatory ones first. */
export function ensureAPFBootstrap(api: ApiServer): void {
  for (const pl of mandatoryPriorityLevels()) ensureOne(api, PRIORITY_LEVELS, PL_GVR, pl, true);
  for (const pl of suggestedPriorityLevels()) ensureOne(api, PRIORITY_LEVELS, PL_GVR, pl, false);
  for (const fs of mandatoryFlowSchemas()) ensureOne(api, FLOW_SCHEMAS, FS_GVR, fs, true);
  for (const fs of suggestedFlowSchemas()) ensureOne(api, FLOW_SCHEMAS, FS_GVR, fs, false);
}

export interface FlowClassification {
  flowSchema: KObject;
  priorityLevel: KObject;
}

/** The ensurer, the Dangling condition, and the classification the HTTP layer asks for. */
export class APFController implements Component {
  readonly name = 'priority-and-fairness';
  private readonly queue: WorkQueue;
  private untap?: () => void;
  private timer?: number;
  /** FlowSchemas in matching order; rebuilt after a FlowSchema changes. */
  private sorted?: KObject[];

  constructor(private readonly ctx: ComponentContext, private readonly api: ApiServer, private readonly store: Store) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { onError: (k, e) => ctx.log(this.name, `${k} failed with: ${(e as Error).message}`) });
  }

  start(): void {
    this.untap = this.store.tap((table, rec) => this.observe(table, rec), { only: [FLOW_SCHEMAS, PRIORITY_LEVELS] });
    this.ensure();
    for (const fs of this.store.list(FLOW_SCHEMAS)) this.queue.add(fs.metadata.name!);
  }

  stop(): void {
    this.untap?.();
    if (this.timer !== undefined) this.ctx.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.queue.stop();
  }

  private ensure(): void {
    try {
      ensureAPFBootstrap(this.api);
    } catch (e) {
      // "APF bootstrap ensurer ran into error, will retry later".
      if (!isStatusError(e)) throw e;
    }
    this.timer = this.ctx.clock.setTimer(ENSURE_EVERY_MS, () => this.ensure());
  }

  private observe(table: string, rec: ChangeRecord): void {
    if (table === FLOW_SCHEMAS) {
      this.sorted = undefined;
      this.queue.add(rec.object.metadata.name!);
    } else if (table === PRIORITY_LEVELS) {
      // A level coming or going changes the Dangling condition of the schemas that name it.
      for (const fs of this.store.list(FLOW_SCHEMAS)) {
        if ((fs as any).spec?.priorityLevelConfiguration?.name === rec.object.metadata.name) this.queue.add(fs.metadata.name!);
      }
    }
  }

  /** presyncFlowSchemaStatus: Dangling False/Found or True/NotFound, the transition time moving with the status. */
  private sync(name: string): void {
    const fs = this.store.get(FLOW_SCHEMAS, undefined, name) as any;
    if (!fs || fs.metadata.deletionTimestamp) return;
    const pl = fs.spec?.priorityLevelConfiguration?.name ?? '';
    const dangling = !this.store.get(PRIORITY_LEVELS, undefined, pl);
    const status = dangling ? 'True' : 'False';
    const reason = dangling ? 'NotFound' : 'Found';
    const message = dangling
      ? `This FlowSchema references the PriorityLevelConfiguration object named "${pl}" but there is no such object`
      : `This FlowSchema references the PriorityLevelConfiguration object named "${pl}" and it exists`;
    const conditions: any[] = Array.isArray(fs.status?.conditions) ? fs.status.conditions.map((c: any) => ({ ...c })) : [];
    const cur = conditions.find((c) => c.type === 'Dangling');
    if (cur && cur.status === status && cur.reason === reason && cur.message === message) return;
    const next = { type: 'Dangling', status, lastTransitionTime: rfc3339(this.ctx.clock.now()), reason, message };
    if (cur) Object.assign(cur, next);
    else conditions.push(next);
    try {
      this.api.update(FS_GVR, undefined, { ...fs, status: { ...(fs.status ?? {}), conditions } } as KObject, APISERVER_WRITE, 'status');
    } catch (e) {
      if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
    }
  }

  /** The FlowSchema a request matches and the level it names; undefined when the level is missing. */
  classify(r: FlowRequest): FlowClassification | undefined {
    if (!this.sorted) this.sorted = [...this.store.list(FLOW_SCHEMAS)].sort(byPrecedence);
    const levelOf = (f: KObject) => this.store.get(PRIORITY_LEVELS, undefined, (f as any).spec?.priorityLevelConfiguration?.name ?? '');
    // A dangling schema is passed over, as the config consumer leaves it out of the classifier.
    for (const f of this.sorted) {
      if (!flowSchemaMatches(f, r)) continue;
      const pl = levelOf(f);
      if (pl) return { flowSchema: f, priorityLevel: pl };
    }
    // No match (a user narrowed what catch-all covers): the catch-all schema is used.
    const fs = this.store.get(FLOW_SCHEMAS, undefined, 'catch-all');
    const pl = fs && levelOf(fs);
    return fs && pl ? { flowSchema: fs, priorityLevel: pl } : undefined;
  }
}
