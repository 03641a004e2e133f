/**
 * What the apiserver keeps about one served version of a CustomResourceDefinition, read from the stored CRD
 * (apiextensions.k8s.io/v1): the names it accepted, the version's schema, columns and subresources.
 */

/** An openAPIV3Schema node (apiextensions v1 JSONSchemaProps), as the CRD carries it. */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: unknown[];
  [k: string]: unknown;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** One served version of a custom resource (ResourceInfo.custom). */
export interface CustomVersion {
  /** The CRD's name, `<plural>.<group>`. */
  crd: string;
  singular: string;
  listKind: string;
  /** The version objects are stored in (`spec.versions[].storage`). */
  storageVersion: string;
  schema?: JSONSchemaProps;
  columns: PrinterColumn[];
  scalePaths?: ScaleSubresource;
  /** The CRD is being deleted: new objects are refused (crdHandler). */
  terminating: boolean;
  /** Established: discovery lists it (the discovery controller waits for it; serving only for NamesAccepted). */
  established: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  /**
   * The field labels its objects can be selected by besides metadata.name and metadata.namespace: the version's
   * selectableFields' jsonPaths without their leading dot (`spec.color`), as the CRD's field label converter knows them.
   */
  selectableFields: string[];
}
