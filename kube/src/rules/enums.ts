/**
 * The order upstream lists "supported values" in, where it is not the
 * sorted order the OpenAPI enums come in. pkg/apis/core/validation:
 * validateRestartPolicy lists Always, OnFailure, Never; validateDNSPolicy
 * ClusterFirstWithHostNet, ClusterFirst, Default, None. Most other checks
 * print sets.List(...), which is sorted like the schema.
 */
const UPSTREAM: Record<string, string[]> = {
  'Always,Never,OnFailure': ['Always', 'OnFailure', 'Never'],
  'ClusterFirst,ClusterFirstWithHostNet,Default,None': ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
};

/** `values` as upstream's NotSupported error lists them. */
export function upstreamEnumOrder(values: string[]): string[] {
  return UPSTREAM[values.join(',')] ?? values;
}
