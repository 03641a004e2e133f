/**
 * The CEL engine the apiserver evaluates Kubernetes expressions with: @marcbachmann/cel-js (macros, member
 * overloads, optional types, a type checker, errors that point into the source) with the Kubernetes libraries of
 * k8s.io/apiserver/pkg/cel/library registered on it (libraries.ts). One environment serves CRD validation rules and
 * admission policies: what differs between them is only the variables an expression may name.
 *
 * Cost: upstream estimates each expression's cost when it is compiled and meters it when it runs (a per-call limit
 * and a per-object budget, k8s.io/apiserver/pkg/apis/cel/config.go). That is approximated here: cel-js bounds the size
 * of an expression (maxAstNodes, maxDepth) and of list and map literals, and the comprehension macros are bounded by
 * the object they walk, which the request size limit bounds. No rule is refused for its estimated cost.
 */
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import { registerKubernetesLibraries } from './libraries';

// The package is an ES module; Node (>= 20.19) loads it with require(), and esbuild bundles it like any other.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cel: typeof CelJs = require('@marcbachmann/cel-js');

export type CelEnvironment = CelJs.Environment;
export const CelOptional = cel.Optional;

/** A compiled expression: call it with the variables' values. */
export interface CelProgram {
  (vars: Record<string, unknown>): unknown;
}

const LIMITS = { maxAstNodes: 10000, maxDepth: 100 };

const envs = new Map<string, CelJs.Environment>();

/**
 * The environment whose variables are `names` (each a dyn; the objects they are bound to are JSON, whose shape the
 * schema gives, not CEL's type checker). Kept per set of names: building one registers every library function.
 */
export function environment(names: readonly string[]): CelJs.Environment {
  const key = names.join(',');
  let env = envs.get(key);
  if (!env) {
    env = new cel.Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, limits: LIMITS });
    registerKubernetesLibraries(env);
    for (const n of names) env.registerVariable(n, 'dyn');
    envs.set(key, env);
  }
  return env;
}

export interface Compiled {
  program?: CelProgram;
  /** cel-go's issues.String(): `ERROR: <input>:1:6: <message>`, the source line and a caret under the column. */
  error?: string;
  /** The checked output type (`bool`, `string`, `dyn`, ...). */
  type?: string;
}

/** Parses and type-checks `source` in `env` (cel.Env.Compile). */
export function compile(env: CelJs.Environment, source: string): Compiled {
  let parsed: ReturnType<CelJs.Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (e) {
    return { error: issueText(source, e) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { error: issueText(source, checked.error) };
  const program: CelProgram = Object.assign((vars: Record<string, unknown>) => parsed(vars), { ast: parsed.ast });
  return { program, type: checked.type };
}

/** The identifiers an expression reads (CompilationResult.UsesOldSelf looks for `oldSelf` among them). */
export function identifiers(program: CelProgram | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    const node = n as { op?: string; args?: unknown };
    if (node.op === 'id' && typeof node.args === 'string') out.add(node.args);
    else if (node.op !== 'value') walk(node.args);
  };
  walk((program as { ast?: unknown } | undefined)?.ast);
  return out;
}

/** cel-go's Errors.ToDisplayString for one error: the 1-based line and column, then the source line with a caret. */
function issueText(source: string, err: unknown): string {
  const e = err as { summary?: string; message?: string; range?: { start: number }; node?: { pos?: number } };
  const summary = (e?.summary ?? e?.message ?? String(err)).split('\n')[0];
  const pos = e?.node?.pos ?? e?.range?.start ?? 0;
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - (before.lastIndexOf('\n') + 1);
  const text = source.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${col + 1}: ${summary}\n | ${text}\n | ${'.'.repeat(col)}^`;
}

/**
 * The text of an error an expression raised when it ran, in cel-go's words where they differ (`no such key: x`,
 * `division by zero`, `no such overload`); the source excerpt cel-js appends is left out, as cel-go has none.
 */
export function runtimeErrorText(err: unknown): string {
  const e = err as { summary?: string; message?: string };
  let s = (e?.summary ?? e?.message ?? String(err)).split('\n')[0];
  s = s.replace(/^No such key: index out of bounds, index (-?\d+) >= size (\d+)$/, "index out of bounds: $1");
  s = s.replace(/^No such key:/, 'no such key:');
  if (/^no such overload|^found no matching overload/.test(s)) s = 'no such overload';
  return s;
}
