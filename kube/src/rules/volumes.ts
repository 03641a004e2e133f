/**
 * Volume rules from upstream pod validation: volume names are unique DNS-1123
 * labels, every volumeMount names a declared volume (a StatefulSet's
 * volumeClaimTemplates count as declared), a container mounts one volume per
 * path, and `subPath`/`subPathExpr` stay inside the volume (ValidateVolumeMounts);
 * the sources of a projected volume write no path twice (validateProjectionSources).
 */
import { isDNS1123Label } from '../names';
import type { Rule } from './context';
import { eachObject, get, podSpecSites } from './context';
import { volumePathFindings } from './volumePaths';

export const volumesRule: Rule = {
  codes: ['duplicate-volume-name', 'invalid-volume-name', 'undeclared-volume', 'duplicate-mount-path', 'invalid-sub-path', 'invalid-item-path', 'invalid-volume-path', 'duplicate-projected-path'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const declared = new Set<string>();
      const invalid = new Set<string>();
      eachObject(site.spec.volumes, (vol, i) => {
        const name = vol.name;
        if (typeof name !== 'string' || name === '') return;
        const path = [...site.specPath, 'volumes', i, 'name'];
        const nameErrors = isDNS1123Label(name);
        for (const detail of nameErrors) {
          out.push({ code: 'invalid-volume-name', severity: 'error', path, message: `Invalid value: ${JSON.stringify(name)}: ${detail}`,
            apiError: { type: 'FieldValueInvalid', value: name, detail } });
        }
        if (declared.has(name)) {
          out.push({ code: 'duplicate-volume-name', severity: 'error', path, message: `Duplicate value: ${JSON.stringify(name)}: volume names must be unique in a pod`,
            apiError: { type: 'FieldValueDuplicate', value: name } });
        }
        const sourceErrors = volumePathFindings(vol, [...site.specPath, 'volumes', i]);
        out.push(...sourceErrors);
        // ValidateVolumes declares only a volume that passed its checks: the mounts of an invalid one are "Not found".
        if (!nameErrors.length && !sourceErrors.length) declared.add(name);
        else invalid.add(name);
        itemPaths(vol, [...site.specPath, 'volumes', i], out);
        projectedPaths(vol, [...site.specPath, 'volumes', i], out);
      });
      const claimTemplates = ctx.kind === 'StatefulSet';
      if (claimTemplates) eachObject(get(obj, ['spec', 'volumeClaimTemplates']), (t) => { const n = get(t, ['metadata', 'name']); if (typeof n === 'string') declared.add(n); });
      for (const list of ['containers', 'initContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const mountPaths = new Set<string>();
          eachObject(ctr.volumeMounts, (mnt, j) => {
            const at = [...site.specPath, list, i, 'volumeMounts', j];
            mountChecks(mnt, at, mountPaths, out);
            const name = mnt.name;
            if (typeof name !== 'string' || name === '' || declared.has(name)) return;
            out.push({
              code: 'undeclared-volume', severity: 'error', path: [...site.specPath, list, i, 'volumeMounts', j, 'name'],
              message: invalid.has(name)
                ? `Not found: ${JSON.stringify(name)}: the volume of that name is invalid, so the apiserver does not count it as declared`
                : `Not found: ${JSON.stringify(name)}: no volume of that name is declared in ${site.specPath.concat('volumes').join('.')}`,
              // A StatefulSet's claim templates count as volumes (upstream adds them before validating its pod spec).
              apiError: { type: 'FieldValueNotFound', value: name },
              data: { volume: name, volumesPath: [...site.specPath, 'volumes'] },
            });
          });
        });
      }
    }
  },
};

/** ValidateVolumeMounts' path checks of one mount, after its name's: a unique mountPath, then subPath, then subPathExpr. */
function mountChecks(mnt: any, at: Array<string | number>, seen: Set<string>, out: Parameters<Rule['check']>[2]): void {
  const mountPath = mnt.mountPath;
  if (typeof mountPath === 'string' && mountPath !== '') {
    if (seen.has(mountPath)) {
      out.push({ code: 'duplicate-mount-path', severity: 'error', path: [...at, 'mountPath'],
        message: `Invalid value: ${JSON.stringify(mountPath)}: must be unique: this container already mounts a volume at ${mountPath}`,
        apiError: { type: 'FieldValueInvalid', value: mountPath, detail: 'must be unique' } });
    }
    seen.add(mountPath);
  }
  // Upstream reports these at `volumeMounts.subPath`, without the mount's index.
  const list = at.slice(0, -1);
  for (const field of ['subPath', 'subPathExpr'] as const) {
    const value = mnt[field];
    if (typeof value !== 'string' || value === '') continue;
    if (field === 'subPathExpr' && typeof mnt.subPath === 'string' && mnt.subPath !== '') {
      out.push({ code: 'invalid-sub-path', severity: 'error', path: [...at, 'subPathExpr'],
        message: `Invalid value: ${JSON.stringify(value)}: subPathExpr and subPath are mutually exclusive`,
        apiError: { type: 'FieldValueInvalid', value, detail: 'subPathExpr and subPath are mutually exclusive' } });
    }
    const details = localDescendingPath(value);
    // An absolute path with no `..` has an obvious meaning inside the volume: the quick fix drops the leading slash.
    const relative = details.length === 1 && details[0] === 'must be a relative path' ? value.replace(/^\/+/, '') : undefined;
    for (const detail of details) {
      out.push({ code: 'invalid-sub-path', severity: 'error', path: [...at, field],
        message: `Invalid value: ${JSON.stringify(value)}: ${detail}: ${field} is a path inside the volume`,
        apiError: { type: 'FieldValueInvalid', value, detail, apiPath: [...list, field] },
        ...(relative ? { data: { relative } } : {}) });
    }
  }
}

/** validateLocalDescendingPath: relative, and no `..` element (one finding for any number of them). */
function localDescendingPath(p: string): string[] {
  const out: string[] = [];
  if (p.startsWith('/')) out.push('must be a relative path');
  if (p.replace(/\\/g, '/').split('/').includes('..')) out.push("must not contain '..'");
  return out;
}

/**
 * validateKeyToPath and validateDownwardAPIVolumeFile: each item's `path` is
 * given, relative, and stays inside the volume (ValidateLocalNonReservedPath).
 */
function itemPaths(vol: any, at: Array<string | number>, out: Parameters<Rule['check']>[2]): void {
  const lists: Array<{ items: unknown; path: Array<string | number> }> = [];
  for (const kind of ['configMap', 'secret', 'downwardAPI'] as const) if (vol?.[kind]) lists.push({ items: vol[kind].items, path: [...at, kind, 'items'] });
  eachObject(vol?.projected?.sources, (src, k) => {
    for (const kind of ['configMap', 'secret', 'downwardAPI'] as const) if ((src as any)?.[kind]) lists.push({ items: (src as any)[kind].items, path: [...at, 'projected', 'sources', k, kind, 'items'] });
  });
  for (const list of lists) {
    eachObject(list.items, (item, j) => {
      const p = item?.path;
      const path = [...list.path, j, 'path'];
      if (p === '') {
        out.push({ code: 'invalid-item-path', severity: 'error', path, message: 'Required value: the file name the key is written to', apiError: { type: 'FieldValueRequired' } });
        return;
      }
      if (typeof p !== 'string') return;
      const details = localDescendingPath(p);
      if (!details.length && p.startsWith('..')) details.push("must not start with '..'");
      for (const detail of details) {
        out.push({ code: 'invalid-item-path', severity: 'error', path, message: `Invalid value: ${JSON.stringify(p)}: ${detail}: a file inside the volume`,
          apiError: { type: 'FieldValueInvalid', value: p, detail } });
      }
    });
  }
}

/**
 * validateProjectionSources keeps one set of paths across a projected volume's sources: a path written a second
 * time is `conflicting duplicate paths` at the volume's `projected`, with the source's object name as the value (a
 * secret or configMap item's) or the path itself (a downwardAPI item's, a clusterTrustBundle's).
 */
function projectedPaths(vol: any, at: Array<string | number>, out: Parameters<Rule['check']>[2]): void {
  const seen = new Set<string>();
  const add = (p: unknown, value: unknown, path: Array<string | number>) => {
    if (typeof p !== 'string' || p === '') return;
    if (!seen.has(p)) { seen.add(p); return; }
    out.push({ code: 'duplicate-projected-path', severity: 'error', path,
      message: `Invalid value: ${JSON.stringify(value)}: conflicting duplicate paths: another source of this projected volume already writes ${JSON.stringify(p)}`,
      apiError: { type: 'FieldValueInvalid', value, detail: 'conflicting duplicate paths', apiPath: [...at, 'projected'] } });
  };
  eachObject(vol?.projected?.sources, (src: any, k) => {
    const base = [...at, 'projected', 'sources', k];
    for (const kind of ['secret', 'configMap'] as const) {
      const s = src?.[kind];
      if (s && typeof s === 'object') eachObject(s.items, (item: any, j) => add(item?.path, s.name ?? '', [...base, kind, 'items', j, 'path']));
    }
    eachObject(src?.downwardAPI?.items, (item: any, j) => add(item?.path, item?.path, [...base, 'downwardAPI', 'items', j, 'path']));
    const ctb = src?.clusterTrustBundle;
    if (ctb && typeof ctb === 'object') add(ctb.path, ctb.path, [...base, 'clusterTrustBundle', 'path']);
  });
}
