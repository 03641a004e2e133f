/**
 * The clusterrole-aggregation controller (pkg/controller/clusterroleaggregation):
 * a ClusterRole with an aggregationRule gets, as its rules, the rules of every
 * ClusterRole its selectors match, sorted by role name, without repeats. So a
 * new role labelled `rbac.authorization.k8s.io/aggregate-to-view: "true"`
 * shows up in `view` (and through it in `edit` and `admin`), in
 * `kubectl get clusterrole view -o yaml` as in what RBAC allows.
 */
import type { ComponentContext, KObject } from '../contract';
import type { ChangeRecord, Store } from '../store/store';
import { TapController } from '../runtime/tapcontroller';
import { deepEqual } from '../runtime/objects';
import { isStatusError } from '../apiserver/status';
import { labelSelectorMatches } from '../../../kube/src/labels';

const COMPONENT = 'clusterrole-aggregation-controller';
const TABLE = 'rbac.authorization.k8s.io/clusterroles';
const GVR = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };

/** The rules an aggregating role should hold now, or undefined when it aggregates nothing. */
function aggregatedRules(store: Store, role: KObject): any[] | undefined {
  const selectors = (role as any).aggregationRule?.clusterRoleSelectors;
  if (!Array.isArray(selectors)) return undefined;
  const matched = new Map<string, KObject>();
  for (const cr of store.list(TABLE)) {
    if (selectors.some((sel: any) => sel && typeof sel === 'object' && labelSelectorMatches(sel, cr.metadata.labels ?? {}))) matched.set(cr.metadata.name!, cr);
  }
  const rules: any[] = [];
  for (const name of [...matched.keys()].sort()) {
    // A role is never aggregated into itself.
    if (name === role.metadata.name) continue;
    for (const r of (matched.get(name) as any).rules ?? []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
  }
  return rules;
}

export class ClusterRoleAggregationController extends TapController {
  protected readonly scope = { only: [TABLE] };
  readonly name = COMPONENT;

  constructor(ctx: ComponentContext, store: Store) {
    super(ctx, store, (k, message) => `error syncing clusterrole ${k}: ${message}`);
  }

  protected seed(): void {
    this.enqueueAggregating();
  }

  protected observe(table: string, _rec: ChangeRecord): void {
    // Any ClusterRole that comes, changes or goes may change what every aggregating role gathers.
    if (table === TABLE) this.enqueueAggregating();
  }

  private enqueueAggregating(): void {
    for (const cr of this.store.list(TABLE)) if ((cr as any).aggregationRule) this.queue.add(cr.metadata.name!);
  }

  protected sync(name: string): void {
    const role = this.store.get(TABLE, undefined, name);
    if (!role) return;
    const rules = aggregatedRules(this.store, role);
    if (!rules || deepEqual(rules, (role as any).rules ?? [])) return;
    try {
      this.ctx.api.update(GVR, undefined, { ...role, rules } as KObject);
    } catch (e) {
      // Changed meanwhile: its own event brings it back.
      if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
    }
  }
}
