/**
 * Query parameters and DeleteOptions bodies into the Api's option objects,
 * refusing bad values with the messages the apiserver gives.
 */
import type { DeleteOptions, ListOptions, WriteOptions } from '../contract';
import { HttpStatusError, badRequest, failure } from './status';

/** `watch=true` (or `1`) on a GET turns a list into a watch. */
export const isWatch = (q: URLSearchParams) => q.get('watch') === 'true' || q.get('watch') === '1';

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
