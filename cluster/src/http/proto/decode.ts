/**
 * Decodes Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`),
 * which kubectl's typed clients send: `kubectl create deployment`, `expose`,
 * `create namespace`, `auth can-i`. The body is the `k8s\0` magic and a
 * runtime.Unknown wrapping the object; the object is decoded with the field
 * table in fields.json (see test/kubectl/protoDescriptors.ts) into the JSON
 * the Api takes, with the JSON forms of the special types (Time, Quantity,
 * IntOrString, RawExtension) and without the zero values Go's JSON omits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * [name, proto type, label (3 = repeated), message type name, map [key type, value type, value type name], or on a
 * scalar OMIT_ZERO].
 */
type Field = [string, number, number, (string | [number, number, string] | typeof OMIT_ZERO)?];
/**
 * Marks a scalar that is a non-pointer Go field tagged omitempty (`MinReadySeconds int32 json:"minReadySeconds,omitempty"`).
 * Protobuf carries such a field even at its zero value, but the apiserver decodes it into the Go struct, whose JSON
 * then leaves it out; a pointer (`Replicas *int32`) arrives only when set and keeps an explicit 0 or false.
 */
const OMIT_ZERO = 1;
type Table = Record<string, Record<string, Field>>;

let table: Table | undefined;
function fieldsOf(message: string): Record<string, Field> | undefined {
  if (!table) table = load();
  return table[message];
}

/** A bundler inlines the require; compiled to out/ (tsc copies no JSON) it is read from the sources. */
function load(): Table {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('./fields.json') as Table;
  } catch {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../../cluster/src/http/proto/fields.json'), 'utf8')) as Table;
  }
}

/** Embedded Go structs: protobuf nests them under a field, JSON inlines their fields (found by comparing fields.json with the schema). */
const INLINE = new Set([
  'k8s.io.api.networking.v1.IngressRule.ingressRuleValue',
  'k8s.io.api.admissionregistration.v1.NamedRuleWithOperations.ruleWithOperations',
  'k8s.io.api.admissionregistration.v1.RuleWithOperations.rule',
  'k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapProjection.localObjectReference',
  'k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference',
  'k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon',
  'k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource',
  'k8s.io.api.core.v1.Probe.handler',
  'k8s.io.api.core.v1.SecretEnvSource.localObjectReference',
  'k8s.io.api.core.v1.SecretKeySelector.localObjectReference',
  'k8s.io.api.core.v1.SecretProjection.localObjectReference',
  'k8s.io.api.core.v1.Volume.volumeSource',
]);
/**
 * Protobuf field names that differ from the JSON ones, by message (found by comparing fields.json with the schema):
 * the protobuf tag names the Go field (`protobuf:"bytes,4,opt,name=uID"`), the JSON tag the wire name (`json:"uid"`).
 */
const AR = 'k8s.io.api.admissionregistration.v1';
const RENAMED: Record<string, string> = {
  [`${AR}.MutatingWebhookConfiguration.Webhooks`]: 'webhooks',
  [`${AR}.ValidatingWebhookConfiguration.Webhooks`]: 'webhooks',
  [`${AR}.Validation.Expression`]: 'expression',
  [`${AR}.Variable.Name`]: 'name',
  [`${AR}.Variable.Expression`]: 'expression',
  'k8s.io.api.authentication.v1.BoundObjectReference.uID': 'uid',
  'k8s.io.api.networking.v1.IngressClassParametersReference.aPIGroup': 'apiGroup',
};

const T = { double: 1, float: 2, int64: 3, uint64: 4, int32: 5, bool: 8, string: 9, message: 11, bytes: 12, uint32: 13, enum: 14, sint32: 17, sint64: 18 };
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

class Reader {
  i = 0;
  constructor(readonly b: Buffer) {}
  varint(): number {
    let n = 0;
    let mul = 1;
    for (let k = 0; k < 10; k++) {
      const byte = this.b[this.i++];
      n += (byte & 0x7f) * mul;
      if (byte < 0x80) break;
      mul *= 128;
    }
    // Negative int32/int64 are ten-byte two's complement.
    return n >= 2 ** 63 ? n - 2 ** 64 : n;
  }
  bytes(): Buffer {
    const len = this.varint();
    const out = this.b.subarray(this.i, this.i + len);
    this.i += len;
    return out;
  }
}

function scalar(type: number, wire: number, r: Reader): unknown {
  switch (wire) {
    case 0: {
      const v = r.varint();
      return type === T.bool ? v !== 0 : v;
    }
    case 1: {
      const v = type === T.double ? r.b.readDoubleLE(r.i) : Number(r.b.readBigInt64LE(r.i));
      r.i += 8;
      return v;
    }
    case 5: {
      const v = type === T.float ? r.b.readFloatLE(r.i) : r.b.readInt32LE(r.i);
      r.i += 4;
      return v;
    }
    case 2: {
      const b = r.bytes();
      return type === T.bytes ? b.toString('base64') : b.toString('utf8');
    }
  }
  throw new Error(`unsupported wire type ${wire}`);
}

function rfc3339(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

/** The JSON form of the types that marshal themselves. */
function special(message: string, raw: Record<string, any>): { value: unknown } | undefined {
  switch (message) {
    case `${META}.Time`:
    case `${META}.MicroTime`:
      return raw.seconds ? { value: rfc3339(raw.seconds, raw.nanos ?? 0, message.endsWith('MicroTime')) } : { value: undefined };
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return { value: raw.string };
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return { value: raw.type === 1 ? raw.strVal ?? '' : raw.intVal ?? 0 };
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`: {
      const b = raw.raw ?? raw.Raw;
      return { value: b ? JSON.parse(Buffer.from(b, 'base64').toString('utf8')) : undefined };
    }
    case `${META}.Duration`:
      return { value: raw.duration ? `${raw.duration / 1e9}s` : undefined };
  }
  return undefined;
}

function decodeMessage(message: string, b: Buffer): unknown {
  const fields = fieldsOf(message);
  const out: Record<string, any> = {};
  const r = new Reader(b);
  while (r.i < b.length) {
    const key = r.varint();
    const num = Math.floor(key / 8);
    const wire = key & 7;
    const f = fields?.[num];
    if (!f) {
      // An unknown field (newer API): skip it.
      if (wire === 0) r.varint();
      else if (wire === 2) r.bytes();
      else if (wire === 1) r.i += 8;
      else if (wire === 5) r.i += 4;
      else throw new Error(`unsupported wire type ${wire}`);
      continue;
    }
    const [name, type, label, ref] = f;
    let value: unknown;
    if (Array.isArray(ref)) {
      const [kt, vt, vref] = ref;
      const entry = new Reader(r.bytes());
      let k: unknown = '';
      let v: unknown = vt === T.string || vt === T.bytes ? '' : undefined;
      while (entry.i < entry.b.length) {
        const ek = entry.varint();
        const en = Math.floor(ek / 8);
        const ew = ek & 7;
        if (en === 1) k = scalar(kt, ew, entry);
        else if (en === 2) v = vt === T.message ? decodeMessage(vref, entry.bytes()) : scalar(vt, ew, entry);
        else scalar(T.bytes, ew, entry);
      }
      out[name] = out[name] ?? {};
      out[name][String(k)] = v ?? {};
      continue;
    }
    if (type === T.message && INLINE.has(`${message}.${name}`)) {
      Object.assign(out, decodeMessage(ref as string, r.bytes()));
      continue;
    }
    if (type === T.message) value = decodeMessage(ref as string, r.bytes());
    else if (wire === 2 && type !== T.string && type !== T.bytes) {
      // A packed repeated scalar.
      const inner = new Reader(r.bytes());
      const list: unknown[] = [];
      while (inner.i < inner.b.length) list.push(scalar(type, type === T.double ? 1 : type === T.float ? 5 : 0, inner));
      out[name] = [...(out[name] ?? []), ...list];
      continue;
    } else {
      value = scalar(type, wire, r);
      if (ref === OMIT_ZERO && (value === 0 || value === '' || value === false)) continue;
    }
    const field = RENAMED[`${message}.${name}`] ?? name;
    if (label === 3) (out[field] = out[field] ?? []).push(value);
    else out[field] = value;
  }
  const s = special(message, out);
  if (s) return s.value;
  // Fields of the self-marshalling types that were unset (a zero Time, an empty RawExtension) are left out.
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

/** The message name of a kind: `apps/v1` Deployment -> k8s.io.api.apps.v1.Deployment. */
export function messageFor(apiVersion: string, kind: string): string {
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
  if (group === 'meta.k8s.io' || ['DeleteOptions', 'Status', 'WatchEvent', 'CreateOptions', 'PatchOptions', 'UpdateOptions'].includes(kind)) return `${META}.${kind}`;
  const pkg = group === '' ? 'core' : group.split('.')[0];
  return `k8s.io.api.${pkg}.${version}.${kind}`;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** A protobuf body as the JSON object it encodes, with apiVersion and kind set. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new Error('not a Kubernetes protobuf message (no k8s\\0 prefix)');
  const unknown = decodeMessage('k8s.io.apimachinery.pkg.runtime.Unknown', body.subarray(4)) as any;
  const apiVersion = unknown?.typeMeta?.apiVersion ?? '';
  const kind = unknown?.typeMeta?.kind ?? '';
  if (!kind) throw new Error('the protobuf message names no kind');
  const message = messageFor(apiVersion, kind);
  if (!fieldsOf(message)) throw new Error(`no protobuf definition for ${apiVersion} ${kind}`);
  const raw = unknown.raw ? Buffer.from(unknown.raw, 'base64') : Buffer.alloc(0);
  const obj = decodeMessage(message, raw) as Record<string, unknown>;
  return { apiVersion, kind, ...obj };
}
