/**
 * metav1.LabelSelector matching for controllers, compiled once per object
 * version so a controller can filter thousands of pods cheaply. An empty
 * selector matches everything; a missing one matches nothing (as upstream's
 * LabelSelectorAsSelector); an invalid one matches nothing too.
 */
import { matchesRequirements, selectorFromLabelSelector } from '../../../../kube/src/labels.js';

export type Matcher = (labels: Record<string, string> | undefined) => boolean;

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const NOTHING: Matcher = () => false;

export function compileSelector(sel: LabelSelector | undefined | null): Matcher {
  if (!sel) return NOTHING;
  let reqs;
  try {
    reqs = selectorFromLabelSelector(sel as any);
  } catch {
    return NOTHING;
  }
  // A controller's pods share one frozen labels map (podintern.ts), and a frozen map answers as it did: a
  // ReplicaSet's matcher, asked about each of its pods in turn, walks the requirements once.
  let last: Record<string, string> | undefined;
  let lastAnswer = false;
  return (labels) => {
    if (labels !== undefined && labels === last) return lastAnswer;
    const answer = matchesRequirements(reqs, labels);
    if (labels !== undefined && Object.isFrozen(labels)) {
      last = labels;
      lastAnswer = answer;
    }
    return answer;
  };
}

/** ReplicationController selectors are plain maps; an empty map selects nothing there. */
export function compileMapSelector(sel: Record<string, string> | undefined): Matcher {
  if (!sel || Object.keys(sel).length === 0) return NOTHING;
  return compileSelector({ matchLabels: sel });
}

export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}
