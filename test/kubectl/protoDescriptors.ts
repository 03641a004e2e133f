/**
 * Where cluster/src/http/proto/fields.json comes from: kubectl (1.32 and
 * older) carries gogo-protobuf's gzipped FileDescriptorProtos of every
 * k8s.io/api generated.proto. This reads them out of the binary and keeps,
 * per message, each field's name, number, type and label: the facts the
 * apiserver's protobuf decoder needs. `npx tsx test/kubectl/protoDescriptors.ts
 * <kubectl>` rewrites the file; the test checks the kept file against it.
 *
 * A scalar field also says whether Go's JSON leaves it out at its zero value:
 * protobuf carries every non-pointer scalar, so `minReadySeconds: 0` arrives
 * although the apiserver, decoding into `MinReadySeconds int32
 * json:"minReadySeconds,omitempty"`, never prints it. Two facts make that
 * mark, both read from the same binary: the descriptor's gogoproto.nullable
 * option (false on a non-pointer field; a pointer, `Replicas *int32`, keeps an
 * explicit 0) and the field's Go struct tag (`omitempty` or not), which the
 * binary keeps for reflection next to the protobuf tag.
 */
import { getSchema } from '../../kube/src/schema';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { repoRoot } from './binaries';

/**
 * message full name -> field number -> [json name, proto type, label (3 = repeated), type name or map [keyType, valueType,
 * valueTypeName], or for a scalar OMIT_ZERO when Go's JSON drops its zero value]
 */
export type FieldTable = Record<string, Record<string, [string, number, number, (string | number | [number, number, string])?]>>;

/** The mark of a scalar that is a non-pointer Go field tagged `omitempty`. */
export const OMIT_ZERO = 1;
/** gogo.proto: `extend google.protobuf.FieldOptions { optional bool nullable = 65001; }` */
const GOGOPROTO_NULLABLE = 65001;

function* fields(buf: Buffer): Generator<[number, number, Buffer | number]> {
  let i = 0;
  const varint = () => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const num = Math.floor(key / 8);
    const wt = key & 7;
    if (wt === 0) yield [num, wt, varint()];
    else if (wt === 2) {
      const len = varint();
      yield [num, wt, buf.subarray(i, i + len)];
      i += len;
    } else if (wt === 1) i += 8;
    else if (wt === 5) i += 4;
    else throw new Error(`wire type ${wt}`);
  }
}

interface Msg { name: string; fields: { name: string; number: number; label: number; type: number; typeName?: string; nonPointer: boolean }[]; nested: Msg[]; mapEntry: boolean }

function parseMessage(b: Buffer): Msg {
  const m: Msg = { name: '', fields: [], nested: [], mapEntry: false };
  for (const [num, , v] of fields(b)) {
    if (num === 1) m.name = (v as Buffer).toString();
    else if (num === 2) {
      const f = { name: '', number: 0, label: 1, type: 0, typeName: undefined as string | undefined, nonPointer: false };
      for (const [fn, , fv] of fields(v as Buffer)) {
        if (fn === 1) f.name = (fv as Buffer).toString();
        else if (fn === 3) f.number = fv as number;
        else if (fn === 4) f.label = fv as number;
        else if (fn === 5) f.type = fv as number;
        else if (fn === 6) f.typeName = (fv as Buffer).toString();
        else if (fn === 8) for (const [on, , ov] of fields(fv as Buffer)) if (on === GOGOPROTO_NULLABLE && ov === 0) f.nonPointer = true;
      }
      m.fields.push(f);
    } else if (num === 3) m.nested.push(parseMessage(v as Buffer));
    else if (num === 7) for (const [on, , ov] of fields(v as Buffer)) if (on === 7 && ov === 1) m.mapEntry = true;
  }
  return m;
}

/**
 * The json tags the binary's Go struct tags pair with each protobuf tag, keyed `<number>,<protobuf name>`. A Go binary
 * keeps every struct field's tag for reflection (`json:"hostPort,omitempty" protobuf:"varint,2,opt,name=hostPort"`).
 * Identical tags are stored once, so a key shared by several structs (`1,name`) can carry both forms.
 */
export function structTags(buf: Buffer): Map<string, Set<string>> {
  const text = buf.toString('latin1');
  const out = new Map<string, Set<string>>();
  // A run of key:"value" pairs; the byte before it (the tag's length) may read as a letter, so only the two keys matter.
  for (const m of text.matchAll(/(?:[a-zA-Z_]+:"[^"\x00-\x1f]*" ?)+/g)) {
    let pb: string | undefined;
    let json: string | undefined;
    for (const p of m[0].matchAll(/(protobuf|json):"([^"]*)"/g)) {
      if (p[1] === 'protobuf') pb = p[2];
      else json = p[2];
    }
    const id = pb && json !== undefined ? /^[a-z0-9]+,(\d+),(?:opt|rep|req),name=(\w+)/.exec(pb) : null;
    if (!id) continue;
    const key = `${id[1]},${id[2]}`;
    if (!out.has(key)) out.set(key, new Set());
    out.get(key)!.add(json!);
  }
  return out;
}

/**
 * Whether a field is tagged omitempty: from its struct tag when the tags agree, else from the schema,
 * where openapi-gen lists a field as required when it has neither omitempty nor `+optional` (kube-openapi
 * pkg/generators/openapi.go hasOptionalTag).
 */
function omitsZero(message: string, field: string, tags: Map<string, Set<string>>, number: number): boolean {
  const seen = [...(tags.get(`${number},${field}`) ?? [])];
  const forms = new Set(seen.map((j) => j.split(',').slice(1).includes('omitempty')));
  if (forms.size === 1) return [...forms][0];
  const def = getSchema().data.definitions[message.replace(/^k8s\.io\./, 'io.k8s.')];
  const jsonName = seen[0]?.split(',')[0] ?? field;
  if (def) return !(def.required ?? []).includes(jsonName);
  // Messages the schema lacks (the option types, the inlined EphemeralContainerCommon): most fields are omitempty.
  return true;
}

interface Descriptor { pkg: string; messages: Msg[] }

/** The k8s.io/api and apimachinery descriptors the binary carries, each gzipped FileDescriptorProto read once. */
function descriptors(buf: Buffer): Descriptor[] {
  const magic = Buffer.from([0x1f, 0x8b, 0x08]);
  const out: Descriptor[] = [];
  for (let i = buf.indexOf(magic); i >= 0; i = buf.indexOf(magic, i + 1)) {
    let raw: Buffer;
    try {
      // One gzip member only: gunzip would run on into the next descriptor's member and hide it behind this one.
      if (buf[i + 3] !== 0) continue;
      raw = zlib.inflateRawSync(buf.subarray(i + 10, i + 400_000), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    if (raw[0] !== 0x0a) continue;
    let file = '';
    let pkg = '';
    const messages: Msg[] = [];
    try {
      for (const [num, , v] of fields(raw)) {
        if (num === 1) file = (v as Buffer).toString();
        else if (num === 2) pkg = (v as Buffer).toString();
        else if (num === 4) messages.push(parseMessage(v as Buffer));
      }
    } catch {
      continue;
    }
    if (!file.startsWith('k8s.io/') || !file.endsWith('generated.proto')) continue;
    if (!/^k8s\.io\/(api\/[a-z0-9]+\/v\d+\/|apimachinery\/pkg\/(apis\/meta\/v1|runtime|util\/intstr|api\/resource)\/)generated\.proto$/.test(file)) continue;
    out.push({ pkg, messages });
  }
  return out;
}

export function extract(binary: string): FieldTable {
  const buf = fs.readFileSync(binary);
  let tags: Map<string, Set<string>> | undefined;
  const table: FieldTable = {};
  for (const { pkg, messages } of descriptors(buf)) {
    for (const m of messages) {
      const entries = new Map(m.nested.filter((n) => n.mapEntry).map((n) => [`.${pkg}.${m.name}.${n.name}`, n]));
      const row: FieldTable[string] = {};
      for (const f of m.fields) {
        const entry = f.typeName ? entries.get(f.typeName) : undefined;
        if (entry) {
          const [k, v] = entry.fields;
          row[f.number] = [f.name, 0, 3, [k.type, v.type, (v.typeName ?? '').replace(/^\./, '')]];
        } else if (f.typeName) {
          row[f.number] = [f.name, f.type, f.label, f.typeName.replace(/^\./, '')];
        } else {
          tags ??= structTags(buf);
          const omit = f.label !== 3 && f.nonPointer && omitsZero(`${pkg}.${m.name}`, f.name, tags, f.number);
          row[f.number] = omit ? [f.name, f.type, f.label, OMIT_ZERO] : [f.name, f.type, f.label];
        }
      }
      table[`${pkg}.${m.name}`] = row;
    }
  }
  return table;
}

/**
 * definition id -> JSON field name -> what a v1.34 apiserver writes back for a JSON `null` in that field, where it is
 * not simply left out: KEEP_NULL or ZERO. Go's encoding/json sets a nil map, slice or pointer for a null and leaves any
 * other type at its zero value; on output `omitempty` drops a nil map, slice or pointer and a zero scalar, but never a
 * struct. So a null is left out (a pointer, slice or map with omitempty, or an omitempty non-pointer scalar), prints
 * `null` (the same without omitempty: `containers`), or becomes the zero value (a non-pointer struct, `resources: {}`,
 * or a scalar without omitempty, `containerPort: 0`).
 */
export type NullTable = Record<string, Record<string, number>>;
export const KEEP_NULL = 0;
export const ZERO = 1;

export function extractNulls(binary: string): NullTable {
  const buf = fs.readFileSync(binary);
  const tags = structTags(buf);
  const defs = getSchema().data.definitions;
  const all = descriptors(buf).flatMap(({ pkg, messages }) => messages.map((m) => ({ name: `${pkg}.${m.name}`, m })));
  const jsonName = (f: Msg['fields'][number]): string => {
    // The struct tag's (`json:"uid"` on protobuf `name=uID`); an embedded struct's is empty, and some embedded
    // structs' protobuf tags carry no name= (`protobuf:"bytes,1,req"`), so the schema, which inlines them, decides.
    const names = new Set([...(tags.get(`${f.number},${f.name}`) ?? [])].map((j) => j.split(',')[0]));
    return names.size === 1 ? [...names][0] : f.name;
  };
  const isInline = (name: string, f: Msg['fields'][number], json: string): boolean => {
    const def = defs[name.replace(/^k8s\.io\./, 'io.k8s.')];
    return json === '' || (f.type === 11 && !!def && !def.properties[json]);
  };
  // An embedded struct the schema lacks (EphemeralContainerCommon) is judged by the definition that inlines it.
  const host = new Map<string, string>();
  for (const { name, m } of all) for (const f of m.fields) if (f.typeName && isInline(name, f, jsonName(f))) host.set(f.typeName.replace(/^\./, ''), name);
  const own = new Map<string, { row: Record<string, number>; inline: string[] }>();
  for (const { name, m } of all) {
    const row: Record<string, number> = {};
    const inline: string[] = [];
    for (const f of m.fields) {
      const json = jsonName(f);
      if (json === '-') continue;
      if (isInline(name, f, json)) {
        if (f.typeName) inline.push(f.typeName.replace(/^\./, ''));
        continue;
      }
      const omitempty = omitsZero(defs[name.replace(/^k8s\.io\./, 'io.k8s.')] ? name : host.get(name) ?? name, f.name, tags, f.number);
      // A repeated field is a slice or a map; bytes is []byte; gogoproto.nullable=false is what makes a non-pointer.
      const nilable = f.label === 3 || f.type === 12 || !f.nonPointer;
      const code = nilable ? (omitempty ? undefined : KEEP_NULL) : f.type === 11 || !omitempty ? ZERO : undefined;
      if (code !== undefined) row[json] = code;
    }
    own.set(name, { row, inline });
  }
  // ObjectMeta.CreationTimestamp is `json:"creationTimestamp,omitempty,omitzero"` since v1.34 (kubernetes#130989,
  // staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go): its zero Time is left out, not printed as null.
  delete own.get('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta')?.row.creationTimestamp;
  // Embedded structs (Probe's ProbeHandler, EphemeralContainer's EphemeralContainerCommon) lend their fields to JSON.
  const resolve = (name: string): Record<string, number> => {
    const o = own.get(name);
    if (!o) return {};
    const out: Record<string, number> = {};
    for (const e of o.inline) Object.assign(out, resolve(e));
    return Object.assign(out, o.row);
  };
  const table: NullTable = {};
  for (const name of own.keys()) {
    // Every message is listed, {} when all its nulls are left out: a definition not listed (kube-aggregator's, newer
    // than the binary) is one whose Go shape is unknown.
    table[name.replace(/^k8s\.io\./, 'io.k8s.')] = resolve(name);
  }
  return table;
}

if (require.main === module) {
  const bin = process.argv[2];
  const table = extract(bin);
  const out = path.join(repoRoot(), 'cluster', 'src', 'http', 'proto', 'fields.json');
  fs.writeFileSync(out, JSON.stringify(table) + '\n');
  console.log(`${Object.keys(table).length} messages -> ${out}`);
  const nulls = extractNulls(bin);
  const nullsOut = path.join(repoRoot(), 'cluster', 'src', 'apiserver', 'nulls.json');
  fs.writeFileSync(nullsOut, JSON.stringify(nulls) + '\n');
  console.log(`${Object.keys(nulls).length} definitions -> ${nullsOut}`);
}
