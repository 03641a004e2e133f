/**
 * Query parameters and DeleteOptions bodies into the Api's option objects,
 * refusing bad values with the messages the apiserver gives.
 */
import type { DeleteOptions, ListOptions, WriteOptions } from '../contract';
import { HttpStatusError, badRequest, failure } from './status';
import { invalid, resourceVersionParseError } from '../apiserver/status';
import type { FieldError } from '../../../kube/src/rules/status';

/** `watch=true` (or `1`) on a GET turns a list into a watch. */
export const isWatch = (q: URLSearchParams) => q.get('watch') === 'true' || q.get('watch') === '1';

const RVM = 'resourceVersionMatch';
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });

/**
 * ValidateListOptions (apimachinery/pkg/apis/meta/internalversion/validation): the resourceVersionMatch and
 * sendInitialEvents combinations a list or a watch may ask for; anything else is 422 ListOptions.meta.k8s.io.
 */
export function validateListOptions(q: URLSearchParams, watch: boolean): void {
  const match = q.get(RVM) ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const cont = q.get('continue') ?? '';
  const sendInitial = q.get('sendInitialEvents');
  const errs: FieldError[] = [];
  if (watch) {
    if (sendInitial !== null && match !== 'NotOlderThan') errs.push(forbidden(RVM, 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (match) {
      if (sendInitial === null) errs.push(forbidden(RVM, 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') errs.push({ type: 'FieldValueNotSupported', field: RVM, value: match, detail: 'supported values: "NotOlderThan"' });
      if (cont) errs.push(forbidden(RVM, 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match) {
      if (!rv) errs.push(forbidden(RVM, 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (cont) errs.push(forbidden(RVM, 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan') errs.push({ type: 'FieldValueNotSupported', field: RVM, value: match, detail: 'supported values: "Exact", "NotOlderThan", ""' });
      if (match === 'Exact' && rv === '0') errs.push(forbidden(RVM, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (sendInitial !== null) errs.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errs.length) throw invalid('meta.k8s.io', 'ListOptions', '', errs);
}

/**
 * A list at a resourceVersion the store has not reached: the watch cache waits up to 3 s for it, then answers
 * 504 with a ResourceVersionTooLarge cause (storage.NewTooLargeResourceVersionError). Nothing here writes
 * while a request waits, so the answer comes at once.
 */
export function tooLargeResourceVersion(requested: string | null, current: string): void {
  if (!requested || !/^\d+$/.test(requested) || !/^\d+$/.test(current) || BigInt(requested) <= BigInt(current)) return;
  throw new HttpStatusError(failure(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1,
  }));
}

/**
 * APIObjectVersioner.ParseResourceVersion: "" and "0" are 0, anything else must be what strconv.ParseUint(rv, 10, 64)
 * takes. Its error is a storage InvalidError: `resourceVersion: Invalid value: "x": strconv.ParseUint: parsing "x":
 * invalid syntax` (or `value out of range`).
 */
export function resourceVersionError(rv: string): string | undefined {
  const why = resourceVersionParseError(rv);
  return why && `resourceVersion: Invalid value: ${JSON.stringify(rv)}: ${why}`;
}

/**
 * A resourceVersion the storage cannot parse. The watch cache (cacher/delegator.go Get, GetList, and Cacher.Watch)
 * hands the InvalidError back unconverted, so get, list and watch answer 500 with its text and no reason
 * (responsewriters.ErrorToAPIStatus); a list the cache passes to etcd (resourceVersionMatch=Exact, or a limit with a
 * resourceVersion) is refused by the etcd3 store's GetList: 400 BadRequest `invalid resource version: ...`.
 */
export function checkResourceVersion(q: URLSearchParams, read: 'get' | 'list' | 'watch'): void {
  const rv = q.get('resourceVersion');
  const err = rv ? resourceVersionError(rv) : undefined;
  if (!err) return;
  const match = q.get('resourceVersionMatch') ?? '';
  const limit = Number(q.get('limit') ?? '0');
  const toEtcd = read === 'list' && (match === 'Exact' || (match !== 'NotOlderThan' && limit > 0));
  if (toEtcd) throw invalidParam(`invalid resource version: ${err}`);
  throw new HttpStatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err, code: 500 });
}

function invalidParam(message: string): HttpStatusError {
  return new HttpStatusError(badRequest(message));
}

export function listOptions(q: URLSearchParams): ListOptions {
  const o: ListOptions = {};
  const ls = q.get('labelSelector');
  const fs = q.get('fieldSelector');
  if (ls) o.labelSelector = ls;
  if (fs) o.fieldSelector = fs;
  const limit = q.get('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n)) throw invalidParam(`limit: Invalid value: "${limit}": must be an integer`);
    if (n > 0) o.limit = n;
  }
  const cont = q.get('continue');
  if (cont) o.continue = cont;
  const rv = q.get('resourceVersion');
  if (rv) o.resourceVersion = rv;
  const match = q.get('resourceVersionMatch');
  if (match) o.resourceVersionMatch = match;
  // The legacy exact read: a limit with a resourceVersion (other than 0) and no match reads at that revision.
  else if (o.limit && rv && rv !== '0') o.resourceVersionMatch = 'Exact';
  return o;
}

function dryRun(values: string[]): boolean {
  for (const v of values) {
    if (v !== 'All') throw new HttpStatusError(failure(400, 'BadRequest', `Invalid dryRun value: ${v}. Only "All" is supported`));
  }
  return values.length > 0;
}

export function writeOptions(q: URLSearchParams): WriteOptions {
  const o: WriteOptions = {};
  if (q.has('dryRun') && dryRun(q.getAll('dryRun').filter((v) => v !== ''))) o.dryRun = true;
  const fm = q.get('fieldManager');
  if (fm) {
    if (fm.length > 128) throw invalidParam(`fieldManager: Too long: may not be more than 128 bytes`);
    o.fieldManager = fm;
  }
  const fv = q.get('fieldValidation');
  if (fv) {
    if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
      throw invalidParam(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
    }
    o.fieldValidation = fv;
  } else {
    o.fieldValidation = 'Warn';
  }
  const force = q.get('force');
  if (force === 'true') o.force = true;
  return o;
}

/** Query parameters and the optional DeleteOptions body, the body taking precedence as upstream. */
export function deleteOptions(q: URLSearchParams, body: any): DeleteOptions {
  const o: DeleteOptions = writeOptions(q);
  const pp = (body && body.propagationPolicy) || q.get('propagationPolicy');
  const orphan = body && typeof body.orphanDependents === 'boolean' ? body.orphanDependents : q.get('orphanDependents') === 'true' ? true : undefined;
  if (pp) {
    if (pp !== 'Background' && pp !== 'Foreground' && pp !== 'Orphan') {
      throw invalidParam(`propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan"`);
    }
    o.propagationPolicy = pp;
  } else if (orphan === true) {
    o.propagationPolicy = 'Orphan';
  }
  const gp = body && body.gracePeriodSeconds !== undefined ? body.gracePeriodSeconds : q.get('gracePeriodSeconds');
  if (gp !== undefined && gp !== null && gp !== '') o.gracePeriodSeconds = Number(gp);
  if (body?.preconditions) o.preconditions = body.preconditions;
  if (Array.isArray(body?.dryRun) && dryRun(body.dryRun)) o.dryRun = true;
  return o;
}
