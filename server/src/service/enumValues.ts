/**
 * What completion and hover say about an enum field's values at one place: which of them the apiserver accepts
 * there (and why, in a line), which one the object gets when the field is left out, and a note short enough to
 * stand beside a completion label.
 */
import { defaultPullPolicy } from '../../../kube/src/pullPolicy';
import { templateRestartPolicies } from '../../../kube/src/rules/restartPolicy';
import type { FieldDef } from '../../../kube/src/schema/types';
import type { FieldPath } from './model';
import { get } from './workspace';

/** Whether `rest` is the restartPolicy of a workload's pod template (not a sidecar's, not a bare Pod's). */
function isTemplateRestartPolicy(rest: FieldPath): boolean {
  const n = rest.length;
  return rest[n - 1] === 'restartPolicy' && rest[n - 2] === 'spec' && rest[n - 3] === 'template';
}

/** The enum values the apiserver accepts at this place: a pod template's restartPolicy depends on its workload. */
export function allowedValues(values: string[], kind: string, rest: FieldPath, obj?: unknown): string[] {
  const allowed = isTemplateRestartPolicy(rest) ? templateRestartPolicies(kind, obj) : undefined;
  return allowed ? values.filter((v) => allowed.includes(v)) : values;
}

/** One line on why the list is shorter than the field's enum, or undefined where it is not. */
export function restrictionNote(kind: string, rest: FieldPath, obj: unknown, zh: boolean): string | undefined {
  const allowed = isTemplateRestartPolicy(rest) ? templateRestartPolicies(kind, obj) : undefined;
  if (!allowed) return undefined;
  const list = allowed.map((v) => `\`${v}\``).join(zh ? ' 或 ' : ' or ');
  if (allowed.length === 1 && allowed[0] === 'Always') {
    return zh ? `${kind} 的 Pod 模板只能用 ${list}：它的 Pod 要一直运行，apiserver 拒绝其他值。`
      : `A ${kind}'s pod template takes only ${list}: its pods run for ever, and the apiserver refuses the other values.`;
  }
  if (allowed.length === 1) {
    return zh ? `设置了 \`podFailurePolicy\` 的 ${kind} 的 Pod 模板只能用 ${list}。`
      : `A ${kind} with a \`podFailurePolicy\` takes only ${list} in its pod template.`;
  }
  return zh ? `${kind} 的 Pod 模板只能用 ${list}：它的 Pod 运行到结束为止，apiserver 拒绝默认值 \`Always\`。`
    : `A ${kind}'s pod template takes only ${list}: its pods run to completion, and the apiserver refuses the default \`Always\`.`;
}

/**
 * The value the object gets when the field at `rest` is left out, where upstream states it: a container's
 * imagePullPolicy by its image's tag (SetDefaults_Container, kube/src/pullPolicy.ts), once the image is written;
 * otherwise the schema's default.
 */
export function valueDefault(name: string, field: FieldDef | undefined, obj: unknown, rest: FieldPath): unknown {
  if (name === 'imagePullPolicy') {
    const image = (get(obj, rest.slice(0, -1)) as { image?: unknown } | undefined)?.image;
    return typeof image === 'string' ? defaultPullPolicy(image) : undefined;
  }
  return field?.default;
}

const LEAD = /^(?:means that |means |indicates that )/;
const CUT_EN = /[.,;:]\s|[.;:]$| [-(]/;
const CUT_ZH = /[，；。：（,;]/;

/**
 * A value's note cut to fit beside a completion label: its first clause, about 40 columns at most (a Chinese
 * character takes two), without markdown's backquotes or upstream's "means that" lead.
 */
export function shortNote(note: string, zh: boolean): string {
  let s = note.replace(LEAD, '');
  const cut = s.search(zh ? CUT_ZH : CUT_EN);
  if (cut > 0) s = s.slice(0, cut);
  s = s.replace(/`/g, '').trim();
  let width = 0;
  for (let i = 0; i < s.length; i++) {
    width += s.charCodeAt(i) > 0x2e80 ? 2 : 1;
    if (width > 40) {
      const head = s.slice(0, i);
      const space = head.lastIndexOf(' ');
      return (space > 20 && !zh ? head.slice(0, space) : head).trimEnd() + '…';
    }
  }
  return s;
}
