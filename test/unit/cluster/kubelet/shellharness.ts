import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import type { ExecWorld } from '../../../../cluster/src/kubelet/execenv';
import { InteractiveShell } from '../../../../cluster/src/kubelet/execsession';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS } from './webfixture';

/**
 * The setup the shell tests share: a playground on the fake clock with a few pods applied and running, and
 * `kubectl exec` sessions into them (a shell state, or an interactive shell on a terminal).
 */
export interface ShellHarness {
  /** The playground (set once the suite's `before` hook has run). */
  readonly pg: KubePlayground;
  /** The pod of that name in `default`, as it is now. */
  pod(name: string): KObject;
  /** What an exec into the pod's container (its first, unless named) runs against. */
  world(name: string, container?: string): ExecWorld;
  /** A shell state of an exec into the pod's container (`kubectl exec POD -- sh -c …`). */
  shell(name: string, container?: string): ShellState;
  /** A terminal session (`kubectl exec -it POD -- ARGV0`) into the pod's first container. */
  terminal(name: string, argv0?: string, flavour?: 'sh' | 'bash'): Terminal;
}

/** A terminal session, as the screen shows it (CRLF as LF). */
export interface Terminal {
  /** What the shell printed before any input (its prompt). */
  readonly first: string;
  /** What the screen shows after the line is typed and Enter pressed, the echo of the line left out. */
  type(line: string): string;
  /** What the screen shows after the keys (Ctrl-D, Ctrl-C…) are pressed. */
  key(keys: string): string;
  /** The status the session ended with, once it has ended. */
  readonly exit: number | undefined;
}

/**
 * Registers the suite's `before` and `after` hooks: a playground with `seed` gets `yaml` applied and runs 20
 * simulated seconds (the pods start), and is closed after the suite. Call it inside a `describe`.
 */
export function shellPlayground(yaml: string, seed = 3): ShellHarness {
  let pg: KubePlayground | undefined;
  before(() => {
    pg = new KubePlayground({ seed });
    pg.apply(yaml);
    pg.runUntil(() => false, 20_000);
  });
  after(() => pg?.close());
  const h: ShellHarness = {
    get pg() { return pg!; },
    pod: (name) => pg!.api.get(PODS, 'default', name) as KObject,
    world: (name, container) => {
      const pod = h.pod(name);
      return pg!.execWorld(pod, container ?? pod.spec!.containers[0].name);
    },
    shell: (name, container) => new ShellState(h.world(name, container)),
    terminal: (name, argv0 = 'sh', flavour = 'sh') => {
      const state = new ShellState(h.world(name));
      state.arg0 = argv0;
      const sh = new InteractiveShell(state, true, flavour);
      const first = sh.start().stdout;
      let exit: number | undefined;
      const screen = (o: { stdout: string; exit?: number }) => { exit = o.exit; return o.stdout.split('\r\n').join('\n'); };
      return {
        first,
        type: (line) => screen(sh.input(line + '\r')).split('\n').slice(1).join('\n'),
        key: (k) => screen(sh.input(k)),
        get exit() { return exit; },
      };
    },
  };
  return h;
}

/** A Pod in `default` with one container, written as the shell tests write them (`container` in YAML flow style). */
export function podYaml(name: string, container: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [${container}]}\n`;
}

/** The pods several shell suites exec into: busybox asleep (ash), and nginx on alpine (ash) and on Debian (dash). */
export const SHELL_PODS = {
  box: podYaml('box', '{name: box, image: busybox, command: [sleep, infinity]}'),
  small: podYaml('small', '{name: web, image: "nginx:alpine"}'),
  web: podYaml('web', '{name: web, image: nginx}'),
};

/** Manifests as one multi-document YAML stream. */
export const manifests = (...docs: string[]): string => docs.join('---\n');
