/**
 * The shape of the generated Kubernetes schema (kube/generated/schema.json),
 * written by scripts/gen-schema.mjs from the kubernetes-models package.
 *
 * It is deliberately simpler than OpenAPI: every type is resolved to one of a
 * few shapes, so the language service and the apiserver can walk it without a
 * JSON-schema engine.
 */

/** A reference to a type, as a field or an item of a list or map holds it. */
export type TypeRef =
  | { kind: 'object'; ref: string }
  | { kind: 'primitive'; type: 'string' | 'integer' | 'number' | 'boolean'; format?: string; enum?: string[] }
  /** IntOrString: `80` or `"http"` or `"25%"`. */
  | { kind: 'intOrString' }
  /** resource.Quantity: `500m`, `128Mi`, `1e3`. */
  | { kind: 'quantity' }
  /** metav1.Time / MicroTime: an RFC 3339 string. */
  | { kind: 'time' }
  | { kind: 'array'; items: TypeRef; mergeKey?: string; patchStrategy?: string; listType?: 'atomic' | 'set' | 'map'; listMapKeys?: string[] }
  | { kind: 'map'; values: TypeRef }
  /** Free-form JSON (RawExtension, JSON, arbitrary objects). */
  | { kind: 'any' };

export interface FieldDef {
  type: TypeRef;
  description?: string;
  required?: boolean;
  /** Default as stated upstream ("Defaults to ..."), when the generator could read it. */
  default?: unknown;
}

export interface TypeDef {
  /** Definition id in OpenAPI style, e.g. `io.k8s.api.apps.v1.DeploymentSpec`. */
  id: string;
  description?: string;
  properties: Record<string, FieldDef>;
  required?: string[];
}

export interface KindInfo {
  group: string; // '' for core
  version: string;
  apiVersion: string; // 'v1' or 'apps/v1'
  kind: string;
  /** Definition id of the top-level object. */
  definition: string;
  /** Lower-case plural resource name, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** true for `XList` kinds and other kinds that are not served as resources. */
  listKind?: boolean;
}

export interface SchemaData {
  /** Newest Kubernetes minor version the data carries, e.g. `1.34`. */
  kubernetesVersion: string;
  /** Package the data was generated from, e.g. `kubernetes-models@5.1.0`. */
  source: string;
  definitions: Record<string, TypeDef>;
  kinds: KindInfo[];
}
