/**
 * Validation rules shared by the language server and the playground's
 * apiserver. A rule looks at one object (plain JSON) and reports findings by
 * field path; the editor maps a path to a range in the text, the apiserver
 * turns findings into an upstream `Status` ("Deployment.apps "x" is invalid: ...").
 */

/** Path from the object root: `['spec', 'template', 'spec', 'containers', 0, 'image']`. */
export type FieldPath = (string | number)[];

/** Upstream field.ErrorType names (k8s.io/apimachinery/pkg/util/validation/field). */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  /** Stable diagnostic code, e.g. `KP1001` or a readable id like `selector-mismatch`. */
  code: string;
  severity: Severity;
  path: FieldPath;
  /** Human message for the editor. */
  message: string;
  /**
   * When the apiserver would refuse the object for this, the upstream error:
   * type, the offending value, and the detail, so that
   * `<path>: Invalid value: <value>: <detail>` can be printed exactly.
   * Editor-only findings (lints, cross-object checks) leave it out.
   */
  apiError?: {
    type: FieldErrorType; value?: unknown; detail?: string; supported?: string[];
    /** Where upstream reports it when that differs from `path` (label keys: upstream says `metadata.labels`). */
    apiPath?: FieldPath;
    /** The value as Go's `%#v` prints it, where that is a struct no JSON value prints as (core.ServicePort, core.ResourceList). */
    valueText?: string;
    /** Upstream gave field.OmitValueType: the message has no value (`Invalid value: <detail>`). */
    omitValue?: boolean;
  };
  /** Point at the key (`'key'`) rather than the value (`'value'`, the default). */
  target?: 'key' | 'value';
  /** Data a quick fix needs (e.g. the replacement apiVersion). */
  data?: unknown;
}

/** What a rule may look at besides the object itself. */
export interface RuleContext {
  /** Kubernetes minor version to judge removed APIs by, e.g. `1.34`. */
  kubernetesVersion: string;
  /** Severity overrides by code (settings `lint`); `'off'` drops the finding. */
  lint?: Record<string, Severity | 'off'>;
  /** The apiserver asks: rules whose findings only the editor shows are skipped. */
  apiserver?: boolean;
}
