/**
 * The paths of the host and network volume sources, as upstream's
 * validateHostPathVolumeSource, validateNFSVolumeSource and
 * validateLocalVolumeSource check them in a pod's volumes and a
 * PersistentVolume alike: no `..` element on a host path or a local
 * volume's, and an NFS export given as an absolute path.
 */
import { isObject } from './context';
import type { FieldPath, Finding } from './types';

const BACKSTEPS = "must not contain '..'";
const ABSOLUTE = 'must be an absolute path';

function invalid(path: FieldPath, value: string, detail: string, why: string): Finding {
  return { code: 'invalid-volume-path', severity: 'error', path, message: `Invalid value: ${JSON.stringify(value)}: ${detail} (${why})`,
    apiError: { type: 'FieldValueInvalid', value, detail } };
}

const backsteps = (p: string) => p.replace(/\\/g, '/').split('/').includes('..');

/** Findings for the sources in `src` (a pod volume or a PersistentVolume spec) at `at`. */
export function volumePathFindings(src: unknown, at: FieldPath): Finding[] {
  if (!isObject(src)) return [];
  const out: Finding[] = [];
  const hp = isObject(src.hostPath) ? src.hostPath.path : undefined;
  if (typeof hp === 'string' && backsteps(hp)) out.push(invalid([...at, 'hostPath', 'path'], hp, BACKSTEPS, 'a host path may not climb out of itself'));
  const local = isObject(src.local) ? src.local.path : undefined;
  if (typeof local === 'string' && backsteps(local)) out.push(invalid([...at, 'local', 'path'], local, BACKSTEPS, 'a local volume path may not climb out of itself'));
  const nfs = isObject(src.nfs) ? src.nfs.path : undefined;
  if (typeof nfs === 'string' && nfs !== '' && !nfs.startsWith('/')) out.push(invalid([...at, 'nfs', 'path'], nfs, ABSOLUTE, 'the export path on the NFS server, from /'));
  return out;
}

/** Whether a host path is the root itself (path.Clean gives "/"). */
export function isRootPath(p: string): boolean {
  return p.startsWith('/') && p.split('/').every((s) => s === '' || s === '.' || s === '..');
}
