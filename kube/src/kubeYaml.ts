/**
 * Plain scalars as Kubernetes reads them. kubectl and the apiserver decode
 * YAML with sigs.k8s.io/yaml, whose go-yaml v2 fork resolves plain scalars
 * by YAML 1.1's rules: `yes`, `no`, `on`, `off`, `y` and `n` (in their three
 * spellings) are booleans, `0644` is an octal integer (420), and underscores
 * may split digits (`1_000`). The `yaml` package reads YAML 1.2, where all of
 * these are strings or decimals; `KUBE_YAML` makes it read what kubectl sends,
 * so `labels: {enabled: yes}` is the type error kubectl reports and
 * `defaultMode: 0644` is 420.
 */
import type { ScalarTag, Tags } from 'yaml';

const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON|n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
/** What Go's strconv.ParseInt(s, 0, 64) reads once go-yaml has dropped the underscores. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]?([0-7]+)|0[bB]([01]+)|([1-9][0-9]*|0))$/;

/** go-yaml v2's integer resolution of a plain scalar, or undefined when it is not one. */
export function goYamlInt(s: string): number | undefined {
  const m = GO_INT.exec(s.replace(/_/g, ''));
  if (!m) return undefined;
  const [, sign, hex, oct, bin, dec] = m;
  const n = hex !== undefined ? parseInt(hex, 16) : oct !== undefined ? parseInt(oct, 8) : bin !== undefined ? parseInt(bin, 2) : Number(dec);
  return sign === '-' ? -n : n;
}

/** go-yaml v2's boolean resolution of a plain scalar, or undefined when it is not one. */
export function goYamlBool(s: string): boolean | undefined {
  return BOOL.test(s) ? TRUE.test(s) : undefined;
}

const bool11: ScalarTag = {
  identify: (v) => typeof v === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: BOOL,
  resolve: (s) => TRUE.test(s),
};

/** Plain scalars the integer tag claims; what ParseInt then refuses (`0x_`) stays the text it is. */
export const INT_CANDIDATE = /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]+|[1-9][0-9_]*|0)$/;

const int11: ScalarTag = {
  identify: (v) => typeof v === 'number' && Number.isInteger(v),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: INT_CANDIDATE,
  resolve: (s) => goYamlInt(s) ?? s,
};

/** Tags that go before the core schema's, so they win for the scalars they match. */
export function kubeTags(tags: Tags): Tags {
  return [bool11, int11, ...tags];
}

/** Options for the `yaml` package's parse functions that read plain scalars as kubectl does. */
export const KUBE_YAML = { customTags: kubeTags } as const;
