/**
 * What every feature gets besides the model: the schema, the workspace
 * index, the document's settings and the display language. The caller (LSP
 * handlers, CLI, bench) builds it; the service keeps no state of its own.
 */
import type { Schema } from '../../../kube/src/schema/index';
import type { KindInfo, TypeRef } from '../../../kube/src/schema/types';
import type { FieldPath, KubeObject, ModelDocument } from './model';
import type { Settings } from './settings';
import type { WorkspaceIndex } from './workspace';

export interface ServiceContext {
  schema: Schema;
  workspace: WorkspaceIndex;
  settings: Settings;
  /** LSP initialize locale, e.g. `en`, `zh-cn`. */
  locale: string;
  /** Whether the client shows a completion item's labelDetails (its `completionItem.labelDetailsSupport`). */
  labelDetails?: boolean;
  /** The time hovers count from (a CronJob's next runs); the wall clock when absent. */
  now?: () => number;
}

/** The object holding a path, the path inside it, and the schema type at it. */
export interface Resolved {
  object: KubeObject;
  rest: FieldPath;
  info?: KindInfo;
  /** Type at `rest` (undefined when the schema has no such field or the kind is unknown). */
  type?: TypeRef;
}

export function resolve(doc: ModelDocument, path: FieldPath, schema: Schema): Resolved | undefined {
  const at = doc.objectAt(path);
  if (!at) return undefined;
  const info = at.object.kindInfo;
  const type = info ? schema.walk({ kind: 'object', ref: info.definition }, at.rest)?.type : undefined;
  return { object: at.object, rest: at.rest, info, type };
}

/** `spec.template.spec.containers[].env[].name`: a path with list indexes blanked, for pattern checks. */
export function shapeKey(path: FieldPath): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? '[]' : s ? `.${seg}` : seg;
  return s;
}

export function isZh(locale: string): boolean {
  return /^zh/i.test(locale);
}
