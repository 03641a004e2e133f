/**
 * "One of these, and only one" checks of upstream pod validation
 * (pkg/apis/core/validation): a pod volume names exactly one source
 * (validateVolumeSource), a probe or lifecycle hook exactly one handler
 * (validateHandler), and an env var either a `value` or a `valueFrom` with
 * one source (validateEnvVarValueFrom). Also the file modes of ConfigMap,
 * Secret, downward API and projected volumes (`0` to `0777`).
 */
import type { JsonObject, Rule } from './context';
import { eachObject, isObject, podSpecSites } from './context';
import type { FieldPath, Finding } from './types';
import { portNameErrors, portNumErrors } from './ports';

/**
 * Pod volume sources in the order validateVolumeSource tests them; the first one counts and each later one
 * is refused at its own name, which upstream spells `downwarAPI` for the downward API.
 */
const POD_VOLUME_SOURCES: [json: string, reported: string][] = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'], ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'], ['cinder', 'cinder'], ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'], ['flexVolume', 'flexVolume'], ['configMap', 'configMap'],
  ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'], ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'], ['storageos', 'storageos'], ['projected', 'projected'],
  ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'], ['image', 'image'],
];

/** validateHandler's order; `sleep` is a lifecycle hook's only. */
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];
const ENV_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];

const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

const set = (v: unknown) => v !== undefined && v !== null;

export const podSourcesRule: Rule = {
  codes: ['volume-sources', 'probe-handlers', 'probe-port', 'env-name', 'env-value-from', 'file-mode'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      eachObject(site.spec.volumes, (vol, i) => volumeSources(vol, [...site.specPath, 'volumes', i], out));
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const at = [...site.specPath, list, i];
          for (const p of PROBES) if (isObject(ctr[p])) handlers(ctr[p] as JsonObject, [...at, p], false, out);
          const lc = ctr.lifecycle;
          if (isObject(lc)) for (const h of HOOKS) if (isObject(lc[h])) handlers(lc[h] as JsonObject, [...at, 'lifecycle', h], true, out);
          eachObject(ctr.env, (ev, j) => {
            envName(ev, [...at, 'env', j], out);
            envValueFrom(ev, [...at, 'env', j], out);
          });
        });
      }
    }
  },
};

function volumeSources(vol: JsonObject, at: FieldPath, out: Finding[]): void {
  let counted = 0;
  for (const [json, reported] of POD_VOLUME_SOURCES) {
    if (!set(vol[json])) continue;
    if (counted++ === 0) {
      fileModes(json, vol[json], [...at, json], out);
      continue;
    }
    out.push({ code: 'volume-sources', severity: 'error', path: [...at, json], target: 'key',
      message: `Forbidden: may not specify more than 1 volume type: ${reportedFirst(vol)} already gives this volume its content`,
      apiError: { type: 'FieldValueForbidden', detail: 'may not specify more than 1 volume type', apiPath: [...at, reported] } });
  }
  if (counted === 0 && typeof vol.name === 'string') {
    out.push({ code: 'volume-sources', severity: 'error', path: [...at, 'name'], target: 'key',
      message: 'Required value: must specify a volume type (emptyDir, configMap, secret, persistentVolumeClaim, hostPath, …)',
      apiError: { type: 'FieldValueRequired', detail: 'must specify a volume type', apiPath: at } });
  }
}

const reportedFirst = (vol: JsonObject) => `\`${POD_VOLUME_SOURCES.find(([json]) => set(vol[json]))![0]}\``;

/** defaultMode and each item's mode of the sources that write files. */
function fileModes(source: string, v: unknown, at: FieldPath, out: Finding[]): void {
  if (!isObject(v)) return;
  const check = (mode: unknown, path: FieldPath) => {
    if (typeof mode !== 'number' || (mode >= 0 && mode <= 0o777)) return;
    out.push({ code: 'file-mode', severity: 'error', path,
      message: `Invalid value: ${mode}: ${FILE_MODE} (YAML reads 0644 as octal, as kubectl does; 644 is decimal and too large)`,
      apiError: { type: 'FieldValueInvalid', value: mode, detail: FILE_MODE } });
  };
  const items = (list: unknown, base: FieldPath) => eachObject(list, (it, k) => check(it.mode, [...base, k, 'mode']));
  if (source === 'secret' || source === 'configMap' || source === 'downwardAPI') {
    check(v.defaultMode, [...at, 'defaultMode']);
    items(v.items, [...at, 'items']);
  } else if (source === 'projected') {
    check(v.defaultMode, [...at, 'defaultMode']);
    eachObject(v.sources, (src, k) => {
      for (const kind of ['secret', 'configMap', 'downwardAPI']) if (isObject(src[kind])) items((src[kind] as JsonObject).items, [...at, 'sources', k, kind, 'items']);
    });
  }
}

function handlers(h: JsonObject, at: FieldPath, hook: boolean, out: Finding[]): void {
  let counted = 0;
  for (const name of HANDLERS) {
    if (!set(h[name]) || (name === 'sleep' && !hook)) continue;
    if (counted++ === 0) {
      const action = h[name];
      if (isObject(action) && (name === 'httpGet' || name === 'tcpSocket' || name === 'grpc')) portNumOrName(action.port, [...at, name, 'port'], out);
      continue;
    }
    out.push({ code: 'probe-handlers', severity: 'error', path: [...at, name], target: 'key',
      message: `Forbidden: may not specify more than 1 handler type: keep one of ${HANDLERS.filter((n) => set(h[n]) && (hook || n !== 'sleep')).map((n) => `\`${n}\``).join(', ')}`,
      apiError: { type: 'FieldValueForbidden', detail: 'may not specify more than 1 handler type' } });
  }
  if (counted === 0) {
    out.push({ code: 'probe-handlers', severity: 'error', path: at, target: 'key',
      message: `Required value: must specify a handler type (${HANDLERS.filter((n) => hook || n !== 'sleep').map((n) => `\`${n}\``).join(', ')})`,
      apiError: { type: 'FieldValueRequired', detail: 'must specify a handler type' } });
  }
}

/** ValidatePortNumOrName of a handler's port: a number in range, or a valid port name. */
function portNumOrName(port: unknown, path: FieldPath, out: Finding[]): void {
  const details = typeof port === 'number' ? portNumErrors(port) : typeof port === 'string' ? portNameErrors(port) : [];
  for (const detail of details) {
    out.push({ code: 'probe-port', severity: 'error', path, message: `Invalid value: ${JSON.stringify(port)}: ${detail}`,
      apiError: { type: 'FieldValueInvalid', value: port, detail } });
  }
}

/**
 * IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, on by default since 1.32): any printable ASCII but
 * `=`, which would split the name from the value in the process's environment. An empty name is the schema's
 * missing required field.
 */
function envName(ev: JsonObject, at: FieldPath, out: Finding[]): void {
  const name = ev.name;
  if (typeof name !== 'string' || name === '') return;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) {
      const detail = "a valid environment variable name must consist only of printable ASCII characters other than '='";
      out.push({ code: 'env-name', severity: 'error', path: [...at, 'name'], message: `Invalid value: ${JSON.stringify(name)}: ${detail}`,
        apiError: { type: 'FieldValueInvalid', value: name, detail } });
      return;
    }
  }
}

function envValueFrom(ev: JsonObject, at: FieldPath, out: Finding[]): void {
  const from = ev.valueFrom;
  if (!isObject(from)) return;
  const sources = ENV_SOURCES.filter((s) => set(from[s]));
  const path = [...at, 'valueFrom'];
  if (!sources.length) {
    const detail = 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`';
    out.push({ code: 'env-value-from', severity: 'error', path, target: 'key', message: `Invalid value: "": ${detail}`,
      apiError: { type: 'FieldValueInvalid', value: '', detail } });
  } else if (typeof ev.value === 'string' && ev.value !== '') {
    out.push({ code: 'env-value-from', severity: 'error', path, target: 'key',
      message: 'Invalid value: "": may not be specified when `value` is not empty: give the variable a `value` or a `valueFrom`, not both',
      apiError: { type: 'FieldValueInvalid', value: '', detail: 'may not be specified when `value` is not empty' } });
  } else if (sources.length > 1) {
    out.push({ code: 'env-value-from', severity: 'error', path, target: 'key',
      message: `Invalid value: "": may not have more than one field specified at a time (${sources.map((s) => `\`${s}\``).join(', ')})`,
      apiError: { type: 'FieldValueInvalid', value: '', detail: 'may not have more than one field specified at a time' } });
  }
}
