/**
 * What the HTTP facade needs from the playground: the semantic Api, the
 * served-resource registry, simulated time (for AGE columns) and a hook to run
 * the playground's loop after a write, so watchers hear of it at once.
 */
import type { Api, Playground } from '../contract';
import type { AuthSources } from './auth';
import type { ResourceRegistry } from './resources';
import type { Pager } from './paging';
import type { SchemaData } from '../../../kube/src/schema/types';

export interface HttpContext {
  api: Api;
  playground?: Playground;
  /** Service-account tokens and RBAC, when the server has a playground's store and issuer. */
  auth?: AuthSources;
  registry: ResourceRegistry;
  schema: SchemaData;
  /** Simulated milliseconds since the epoch. */
  now(): number;
  /** Called after every accepted write; the server settles the playground soon after. */
  afterWrite(): void;
  /** Simulated container log lines of a pod. */
  /** A container's log; with `previous`, its previous instance's (throws NoPreviousContainerError when there is none). */
  logs(namespace: string, pod: string, container?: string, previous?: boolean, instance?: string): string[] & { dropped?: number; times?: number[] };
  /** The container ID of the instance the kubelet runs now, which the pod's status may not show yet; undefined when none runs. */
  runningInstance?(namespace: string, pod: string, container: string): string | undefined;
  /** Registers a long-running response (watch, follow) so the server can end it at shutdown. */
  track(close: () => void): () => void;
  /** Serves limit/continue lists from one snapshot per list. */
  pager: Pager;
  /** The version string served at /version, e.g. v1.34.0. */
  gitVersion: string;
}
