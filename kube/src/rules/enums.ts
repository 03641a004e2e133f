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
  // The schema's IPFamily enum carries "" (unset); validateServiceClusterIPsRelatedFields lists the two families.
  ',IPv4,IPv6': ['IPv4', 'IPv6'],
};

/**
 * Enums whose bad value upstream reports as Invalid with its own words instead of NotSupported:
 * ValidateStatefulSetSpec's podManagementPolicy.
 */
const AS_INVALID: Record<string, string> = {
  'OrderedReady,Parallel': "must be 'OrderedReady' or 'Parallel'",
};

/** The Invalid detail upstream gives a value outside this enum, when it does not say NotSupported. */
export function enumInvalidDetail(values: string[]): string | undefined {
  return AS_INVALID[values.join(',')];
}

/** `values` as upstream's NotSupported error lists them. */
export function upstreamEnumOrder(values: string[]): string[] {
  return UPSTREAM[values.join(',')] ?? values;
}
