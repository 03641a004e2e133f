/** Multi-document YAML or JSON text -> objects, with `kind: List` flattened, as kubectl reads files. */
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../contract';
import { badRequest, isStatusError } from '../apiserver/status';
import type { ApiServer } from '../apiserver/api';
import { KUBE_YAML } from '../../../kube/src/kubeYaml';
import { ADMIN_WRITE } from '../auth/identities';

export function parseManifest(text: string): KObject[] {
  const out: KObject[] = [];
  const docs = parseAllDocuments(text, { ...KUBE_YAML, merge: true });
  for (const doc of docs) {
    if (doc.errors.length) throw badRequest(`error parsing manifest: ${doc.errors[0].message}`);
    const v = doc.toJS();
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('error parsing manifest: a document is not an object');
    if ((v.kind === 'List' || String(v.kind ?? '').endsWith('List')) && Array.isArray(v.items)) {
      for (const item of v.items) out.push(item as KObject);
    } else out.push(v as KObject);
  }
  for (const o of out) {
    if (!o.apiVersion || !o.kind) throw badRequest(`error validating data: [apiVersion not set, kind not set]`);
    o.metadata ??= {};
  }
  return out;
}

/**
 * An add-on's object, created as its installer creates it: one that already exists (a second install, a cluster
 * that has it) is left as it is. Every installer writes with kind's admin.conf (kubernetes-admin): kubeadm's addon
 * phase, kind's installcni and installstorage actions (`kubectl --kubeconfig=/etc/kubernetes/admin.conf apply`), and
 * the user's kubectl for the optional add-ons.
 */
export function createAddonObject(api: ApiServer, group: string, resource: string, namespace: string | undefined, obj: KObject): void {
  try {
    api.create({ group, version: 'v1', resource }, namespace, obj, ADMIN_WRITE);
  } catch (e) {
    if (!isStatusError(e) || e.code !== 409) throw e;
  }
}
