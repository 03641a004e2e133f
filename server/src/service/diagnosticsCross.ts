/**
 * The cross-object checks (kube/src/cross, shared with `kubeplay validate`)
 * over a model and the workspace index, cached: runs on every diagnostics
 * pass, so unchanged documents and objects keep their findings while what
 * the checks can see (the environment's version) stays put.
 */
import type { Finding } from '../../../kube/src/rules/types';
import { CrossEnv } from '../../../kube/src/cross/env';
import { crossObjectChecks } from '../../../kube/src/cross/checks';
import type { KubeObject, Model, ModelDocument } from './model';
import { indexModel, type IndexedObject, type WorkspaceIndex } from './workspace';

export interface CrossFinding {
  doc: ModelDocument;
  finding: Finding;
}

type Obj = Record<string, unknown>;

/** One environment per document URI (what "the rest of the workspace" is differs per document). */
const envs = new Map<string, CrossEnv>();
/** Per object value: its findings against an environment version. */
const results = new WeakMap<Obj, { env: CrossEnv; version: number; findings: Finding[] }>();

export function crossObjectFindings(model: Model, workspace?: WorkspaceIndex): CrossFinding[] {
  const out: CrossFinding[] = [];
  const { docs } = crossFindingsByDocument(model, workspace);
  docs.forEach((findings, i) => {
    for (const finding of findings) out.push({ doc: model.documents[i], finding });
  });
  return out;
}

/** Per model: the findings of each document against one environment version. */
/** Keyed by the model's `documents` array (one per version, see Reuse). */
const perModel = new WeakMap<readonly ModelDocument[], { env: CrossEnv; version: number; docs: Finding[][] }>();
const NONE: Finding[] = [];

/**
 * The findings of each document of `model`, in document order, and the
 * environment version they were computed against. While that version stays
 * put, a version built from the previous one takes the previous one's
 * findings for the documents it shares (see Model.reuse) and looks only at
 * the documents in between.
 */
export function crossFindingsByDocument(model: Model, workspace?: WorkspaceIndex): { env: CrossEnv; version: number; docs: Finding[][] } {
  const lists: IndexedObject[][] = [];
  if (workspace?.listsExcept) lists.push(...workspace.listsExcept(model.uri));
  else if (workspace) lists.push([...workspace.objects()].filter((o) => o.uri !== model.uri));
  lists.push(indexModel(model));
  let env = envs.get(model.uri);
  if (!env) envs.set(model.uri, (env = new CrossEnv(model.uri)));
  env.update(lists);
  const mine = perModel.get(model.documents);
  if (mine && mine.env === env && mine.version === env.version) return mine;
  const r = model.reuse;
  const prev = r && perModel.get(r.prev);
  let docs: Finding[][];
  if (r && prev && prev.env === env && prev.version === env.version) {
    const backReused = r.backOld < r.prev.length;
    docs = prev.docs.slice(0, r.front);
    for (let i = r.front, end = backReused ? r.backNew : model.documents.length; i < end; i++) docs.push(documentFindings(model.documents[i], env));
    if (backReused) docs = docs.concat(prev.docs.slice(r.backOld));
  } else {
    docs = model.documents.map((d) => documentFindings(d, env!));
  }
  const result = { env, version: env.version, docs };
  perModel.set(model.documents, result);
  return result;
}

function documentFindings(doc: ModelDocument, env: CrossEnv): Finding[] {
  // Unchanged documents are the same ModelDocument: reuse their findings without touching their objects.
  let cached = perDoc.get(doc);
  if (!cached || cached.env !== env || cached.version !== env.version) {
    const findings: Finding[] = [];
    for (const object of doc.objects) findings.push(...objectFindings(object, env));
    perDoc.set(doc, (cached = { env, version: env.version, findings: findings.length ? findings : NONE }));
  }
  return cached.findings;
}

const perDoc = new WeakMap<ModelDocument, { env: CrossEnv; version: number; findings: Finding[] }>();

function objectFindings(object: KubeObject, env: CrossEnv): Finding[] {
  const kind = object.kind;
  if (!kind || !object.kindInfo) return [];
  let r = results.get(object.value);
  if (!r || r.env !== env || r.version !== env.version) {
    const findings = crossObjectChecks({ kind, value: object.value, name: object.name, namespace: object.namespace, path: object.path, uri: env.uri }, env);
    results.set(object.value, (r = { env, version: env.version, findings }));
  }
  return r.findings;
}

/** Forget the environment of a closed document. */
export function forgetCrossEnv(uri: string): void {
  envs.delete(uri);
}
