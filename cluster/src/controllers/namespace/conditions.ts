/** The namespace deletion conditions, with upstream types, reasons and messages (pkg/controller/namespace/deletion). */

type Condition = { type: string; status: string; lastTransitionTime: string; reason: string; message: string };

function cond(now: string, prev: Condition[] | undefined, type: string, status: string, reason: string, message: string): Condition {
  const old = prev?.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status ? old.lastTransitionTime : now;
  return { type, status, lastTransitionTime, reason, message };
}

export function deletionConditions(
  now: string,
  remaining: Map<string, number>,
  finalizers: Map<string, number>,
  prev: Condition[] | undefined,
): Condition[] {
  const out: Condition[] = [
    cond(now, prev, 'NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'),
    cond(now, prev, 'NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
    cond(now, prev, 'NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
  ];
  if (remaining.size) {
    const parts = [...remaining.keys()].map((gr) => `${gr} has ${remaining.get(gr)} resource instances`).sort();
    out.push(cond(now, prev, 'NamespaceContentRemaining', 'True', 'SomeResourcesRemain', `Some resources are remaining: ${parts.join(', ')}`));
  } else {
    out.push(cond(now, prev, 'NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'));
  }
  // Every finalizer left on the content counts, orphan and foregroundDeletion included.
  const f = [...finalizers.keys()];
  if (f.length && remaining.size) {
    const parts = f.map((k) => `${k} in ${finalizers.get(k)} resource instances`).sort();
    out.push(cond(now, prev, 'NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${parts.join(', ')}`));
  } else {
    out.push(cond(now, prev, 'NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'));
  }
  return out;
}
