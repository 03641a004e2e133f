/**
 * kubectl's command line as cobra and pflag read it, for the kubectl inside
 * pods (kubectl.ts): the verb wherever the global flags put it (`kubectl -n x
 * get pods`), each command's flags with their values (`-n x`, `-nx`, `-n=x`,
 * `--namespace=x`), and kubectl's own words for a flag it does not know. A
 * real kubectl flag or command the playground does not simulate is named as
 * such, never ignored: `--dry-run` must not delete, `--as` must not answer
 * for the caller. The kubelet asks `kubectlPlays` before it plays a
 * container's kubectl command, and keeps the image convention otherwise.
 */

type Kind = 'value' | 'bool';

/** Flags every command takes. */
const GLOBAL: Record<string, Kind> = { '-n': 'value', '--namespace': 'value', '--as': 'value', '--as-group': 'value', '--request-timeout': 'value' };

/** Real global flags that change what kubectl connects to or prints about itself: not simulated in a pod. */
const GLOBAL_UNSIMULATED = [
  '--kubeconfig', '--context', '--cluster', '--user', '--token', '-s', '--server', '--insecure-skip-tls-verify', '--certificate-authority',
  '--client-certificate', '--client-key', '--tls-server-name', '--username', '--password', '-v', '--v', '--vmodule', '--cache-dir',
  '--match-server-version', '--profile', '--profile-output', '--warnings-as-errors', '--disable-compression', '--as-uid', '-h', '--help',
];

/** Those of them that take no value. */
const GLOBAL_BOOLS = new Set(['--insecure-skip-tls-verify', '--match-server-version', '--warnings-as-errors', '--disable-compression', '-h', '--help']);

interface Spec { flags: Record<string, Kind>; unsimulated: string[] }

/** The commands simulated, their flags, and the real flags they do not simulate. */
const SPECS: Record<string, Spec> = {
  get: {
    flags: { '-A': 'bool', '--all-namespaces': 'bool', '-l': 'value', '--selector': 'value', '--field-selector': 'value', '-o': 'value', '--output': 'value', '--no-headers': 'bool', '--ignore-not-found': 'bool', '--chunk-size': 'value', '-L': 'value', '--label-columns': 'value', '--show-labels': 'bool' },
    unsimulated: ['--sort-by', '-w', '--watch', '--watch-only', '--output-watch-events', '--show-kind', '--raw', '--subresource', '-f', '--filename', '-k', '--kustomize', '-R', '--recursive', '--template', '--server-print', '--show-managed-fields', '--allow-missing-template-keys'],
  },
  delete: {
    flags: { '-l': 'value', '--selector': 'value', '--field-selector': 'value', '--all': 'bool', '-A': 'bool', '--all-namespaces': 'bool', '--dry-run': 'value', '--ignore-not-found': 'bool', '--wait': 'bool', '--grace-period': 'value', '--force': 'bool', '--now': 'bool', '--cascade': 'value' },
    unsimulated: ['-f', '--filename', '-k', '--kustomize', '-R', '--recursive', '--raw', '-i', '--interactive', '-o', '--output', '--timeout'],
  },
  logs: {
    flags: { '-c': 'value', '--container': 'value', '--tail': 'value', '-p': 'bool', '--previous': 'bool' },
    unsimulated: ['-f', '--follow', '--all-containers', '--all-pods', '-l', '--selector', '--since', '--since-time', '--timestamps', '--prefix', '--limit-bytes', '--max-log-requests', '--ignore-errors', '--pod-running-timeout', '--insecure-skip-tls-verify-backend'],
  },
  'auth can-i': { flags: { '-A': 'bool', '--all-namespaces': 'bool', '--subresource': 'value', '-q': 'bool', '--quiet': 'bool' }, unsimulated: ['--list', '--no-headers'] },
  'auth whoami': { flags: { '-o': 'value', '--output': 'value' }, unsimulated: [] },
  'rollout restart': { flags: { '-l': 'value', '--selector': 'value', '--field-manager': 'value' }, unsimulated: ['-f', '--filename', '-k', '--kustomize', '-R', '--recursive', '--dry-run', '-o', '--output', '--show-managed-fields', '--template', '--allow-missing-template-keys'] },
  scale: { flags: { '--replicas': 'value', '-l': 'value', '--selector': 'value', '--all': 'bool' }, unsimulated: ['--current-replicas', '--resource-version', '--timeout', '-f', '--filename', '-k', '--kustomize', '-R', '--recursive', '--dry-run', '-o', '--output', '--show-managed-fields', '--template', '--allow-missing-template-keys'] },
  version: { flags: { '--client': 'bool' }, unsimulated: ['-o', '--output'] },
};

/** kubectl's other commands: real, and not simulated inside pods. */
const OTHER_COMMANDS = new Set([
  'annotate', 'api-resources', 'api-versions', 'apply', 'attach', 'autoscale', 'certificate', 'cluster-info', 'completion', 'config', 'cordon',
  'cp', 'create', 'debug', 'describe', 'diff', 'drain', 'edit', 'events', 'exec', 'explain', 'expose', 'kustomize', 'label', 'options', 'patch',
  'plugin', 'port-forward', 'proxy', 'replace', 'run', 'set', 'taint', 'top', 'uncordon', 'wait', 'help',
  'rollout history', 'rollout pause', 'rollout resume', 'rollout status', 'rollout undo', 'auth reconcile',
]);

export interface KubectlArgs {
  /** `get`, `auth can-i`, ...; undefined for `kubectl` alone. */
  command?: string;
  words: string[];
  value(...names: string[]): string | undefined;
  /** All values of a repeatable flag (`--as-group`). */
  values(...names: string[]): string[];
  bool(...names: string[]): boolean;
  /** What kubectl would print instead of running (an unknown flag, a missing value), or the playground's word. */
  problem?: string;
}

const SIMULATED = 'get, delete, logs, scale, rollout restart, auth can-i, auth whoami and version are';

/** Commands with subcommands (`kubectl auth can-i`, `kubectl rollout restart`). */
const GROUPS = new Set(['auth', 'rollout']);

/** Short and long spellings of the same flag, as pflag names them in its errors (`-A, --all-namespaces`). */
const PAIRS: Array<[string, string]> = [['-n', '--namespace'], ['-A', '--all-namespaces'], ['-l', '--selector'], ['-o', '--output'], ['-c', '--container'], ['-p', '--previous'], ['-q', '--quiet']];

const flagTitle = (name: string) => {
  const pair = PAIRS.find(([short, long]) => short === name || long === name);
  return pair ? `${pair[0]}, ${pair[1]}` : name;
};

/** Reads a command line as kubectl would; `minor` is its version's (1.35 writes cobra's errors in lower case). */
export function parseKubectl(args: string[], minor = 35): KubectlArgs {
  const Error = minor >= 35 ? 'error' : 'Error';
  // The verb: the first word that is no flag and no global flag's value.
  const positions: number[] = [];
  for (let i = 0; i < args.length && positions.length < 2; i++) {
    const a = args[i];
    if (a.startsWith('-') && a.length > 1) {
      if (!a.includes('=') && (GLOBAL[a] === 'value' || (GLOBAL_UNSIMULATED.includes(a) && !GLOBAL_BOOLS.has(a)))) i++;
      continue;
    }
    positions.push(i);
    if (!GROUPS.has(args[i])) break;
  }
  const verb = positions.length ? args[positions[0]] : undefined;
  let command = verb;
  if (verb !== undefined && GROUPS.has(verb)) command = positions.length > 1 ? `${verb} ${args[positions[1]]}` : verb;
  const rest = args.filter((_, i) => !positions.slice(0, command?.includes(' ') ? 2 : 1).includes(i));
  const values = new Map<string, string[]>();
  const bools = new Map<string, boolean>();
  const words: string[] = [];
  const result = (problem?: string): KubectlArgs => ({
    command, words, problem,
    value: (...names) => { for (const n of names) { const v = values.get(n); if (v?.length) return v[v.length - 1]; } return undefined; },
    values: (...names) => names.flatMap((n) => values.get(n) ?? []),
    bool: (...names) => names.some((n) => bools.get(n) === true),
  });
  if (command === undefined) return result();
  const spec = SPECS[command];
  if (!spec) {
    if (OTHER_COMMANDS.has(command) || GROUPS.has(command)) return result(`kubeplay: kubectl ${command} inside a pod is not simulated (${SIMULATED})`);
    if (GROUPS.has(verb!)) return result(`error: unknown command "${command.slice(verb!.length + 1)}"\nSee 'kubectl ${verb} -h' for help and examples`);
    return result(`Error: unknown command "${command}" for "kubectl"`);
  }
  const kinds: Record<string, Kind> = { ...GLOBAL, ...spec.flags };
  const unsimulated = new Set([...GLOBAL_UNSIMULATED, ...spec.unsimulated]);
  const usage = `See 'kubectl ${command} --help' for usage.`;
  const set = (name: string, v: string) => values.set(name, [...(values.get(name) ?? []), v]);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--') { words.push(...rest.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { words.push(a); continue; }
    const long = a.startsWith('--');
    const eq = a.indexOf('=');
    // --name=value, --name value; -x value, -xvalue, -x=value.
    const name = long ? (eq > 0 ? a.slice(0, eq) : a) : a.slice(0, 2);
    const inline = long ? (eq > 0 ? a.slice(eq + 1) : undefined) : a.length > 2 ? a.slice(2).replace(/^=/, '') : undefined;
    if (unsimulated.has(name)) return result(`kubeplay: kubectl ${command} ${name} inside a pod is not simulated (kubectl's flags there: ${Object.keys(kinds).join(', ')})`);
    const kind = kinds[name];
    if (!kind) return result(long ? `${Error}: unknown flag: ${name}\n${usage}` : `${Error}: unknown shorthand flag: '${a[1]}' in ${a}\n${usage}`);
    if (kind === 'bool') {
      if (inline !== undefined && !long) return result(`${Error}: unknown shorthand flag: '${a[2]}' in ${a}\n${usage}`);
      const v = inline === undefined ? 'true' : inline;
      if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False', 'T', 'F'].includes(v)) {
        return result(`${Error}: invalid argument "${v}" for "${flagTitle(name)}" flag: strconv.ParseBool: parsing "${v}": invalid syntax\n${usage}`);
      }
      bools.set(name, ['true', '1', 't', 'TRUE', 'True', 'T'].includes(v));
      continue;
    }
    const v = inline ?? rest[++i];
    if (v === undefined) return result(`${Error}: flag needs an argument: ${long ? name : `'${a[1]}' in ${a}`}\n${usage}`);
    set(name, v);
  }
  return result();
}

/** Whether the kubelet can play this kubectl command line (a simulated command with simulated flags). */
export function kubectlPlays(args: string[]): boolean {
  const p = parseKubectl(args);
  if (p.problem || !p.command) return false;
  // logs of a workload or by selector picks pods first: not simulated.
  if (p.command === 'logs' && p.words[0]?.includes('/') && !/^(pods?|po)\//.test(p.words[0])) return false;
  return true;
}
