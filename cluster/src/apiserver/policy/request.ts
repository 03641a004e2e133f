/**
 * admissionv1.AdmissionRequest as JSON, as both admission paths see it: a webhook is posted it in its
 * AdmissionReview (request.CreateV1AdmissionReview), and a ValidatingAdmissionPolicy's `request` variable is the
 * same fields less the objects (cel.CreateAdmissionRequest). Empty fields are left out, as omitempty and the
 * unstructured conversion leave them out; the object and oldObject (webhooks only) go where the struct has them.
 */
import type { KObject, WriteOptions } from '../../contract';

export interface RequestParts {
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subresource?: string;
  name?: string;
  namespace?: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /** Only a webhook's request carries them: `oldObject` is null when there is none. */
  objects?: { object: KObject | undefined; oldObject: KObject | undefined };
}

export function admissionRequest(p: RequestParts, opts: WriteOptions): Record<string, unknown> {
  const r: Record<string, unknown> = { kind: p.kind, resource: p.resource };
  if (p.subresource) r.subResource = p.subresource;
  r.requestKind = p.kind;
  r.requestResource = p.resource;
  if (p.subresource) r.requestSubResource = p.subresource;
  if (p.name) r.name = p.name;
  if (p.namespace) r.namespace = p.namespace;
  r.operation = p.operation;
  // The request's authenticated user; an in-process write's is its actor.
  const who = opts.user ?? opts.actor;
  const user: Record<string, unknown> = {};
  if (who?.username) user.username = who.username;
  if (who?.uid) user.uid = who.uid;
  if (who?.groups?.length) user.groups = who.groups;
  if (who?.extra && Object.keys(who.extra).length) user.extra = who.extra;
  r.userInfo = user;
  if (p.objects) {
    r.object = p.objects.object;
    r.oldObject = p.objects.oldObject ?? null;
  }
  r.dryRun = !!opts.dryRun;
  const optionsKind = p.operation === 'CREATE' ? 'CreateOptions' : p.operation === 'UPDATE' ? 'UpdateOptions' : 'DeleteOptions';
  const options: Record<string, unknown> = { kind: optionsKind, apiVersion: 'meta.k8s.io/v1' };
  if (opts.dryRun) options.dryRun = ['All'];
  if (opts.fieldManager) options.fieldManager = opts.fieldManager;
  r.options = options;
  return r;
}
