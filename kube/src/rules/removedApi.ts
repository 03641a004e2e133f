/**
 * Removed and deprecated apiVersions, judged at the configured Kubernetes
 * version: an error once the version is no longer served, a warning while it
 * is deprecated, naming the replacement either way.
 */
import { apiStatusAt, removedApi } from '../removed';
import type { Rule } from './context';
import { isObject } from './context';

export const removedApiRule: Rule = {
  codes: ['removed-api', 'deprecated-api'],
  check(obj, ctx, out) {
    const entry = removedApi(ctx.apiVersion, ctx.kind);
    if (!entry) return;
    const status = apiStatusAt(entry, ctx.kubernetesVersion);
    if (!status) return;
    const instead = entry.replacement ? ` Use ${entry.replacement} instead.` : ' It has no replacement.';
    // The selector note matters only to an object that has none to carry over.
    const noteApplies = entry.note && !(entry.note.startsWith('spec.selector') && isObject(obj.spec) && obj.spec.selector !== undefined);
    const note = noteApplies ? ` (${entry.note})` : '';
    const data = { replacement: entry.replacement, removedIn: entry.removedIn, deprecatedIn: entry.deprecatedIn };
    if (status === 'removed') {
      out.push({ code: 'removed-api', severity: 'error', path: ['apiVersion'],
        message: `${ctx.kind} in ${ctx.apiVersion} is no longer served since Kubernetes ${entry.removedIn} (deprecated in ${entry.deprecatedIn}).${instead}${note}`, data });
    } else {
      out.push({ code: 'deprecated-api', severity: 'warning', path: ['apiVersion'],
        message: `${ctx.kind} in ${ctx.apiVersion} is deprecated since Kubernetes ${entry.deprecatedIn}${entry.removedIn ? ` and removed in ${entry.removedIn}` : ''}.${instead}${note}`, data });
    }
  },
};
