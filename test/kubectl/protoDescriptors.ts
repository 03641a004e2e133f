/**
 * Where cluster/src/http/proto/fields.json comes from: kubectl (1.32 and
 * older) carries gogo-protobuf's gzipped FileDescriptorProtos of every
 * k8s.io/api generated.proto. This reads them out of the binary and keeps,
 * per message, each field's name, number, type and label: the facts the
 * apiserver's protobuf decoder needs. `npx tsx test/kubectl/protoDescriptors.ts
 * <kubectl>` rewrites the file; the test checks the kept file against it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { repoRoot } from './binaries';

/** message full name -> field number -> [json name, proto type, label (3 = repeated), type name or map [keyType, valueType, valueTypeName]] */
export type FieldTable = Record<string, Record<string, [string, number, number, (string | number | [number, number, string])?]>>;

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

interface Msg { name: string; fields: { name: string; number: number; label: number; type: number; typeName?: string }[]; nested: Msg[]; mapEntry: boolean }

function parseMessage(b: Buffer): Msg {
  const m: Msg = { name: '', fields: [], nested: [], mapEntry: false };
  for (const [num, , v] of fields(b)) {
    if (num === 1) m.name = (v as Buffer).toString();
    else if (num === 2) {
      const f = { name: '', number: 0, label: 1, type: 0, typeName: undefined as string | undefined };
      for (const [fn, , fv] of fields(v as Buffer)) {
        if (fn === 1) f.name = (fv as Buffer).toString();
        else if (fn === 3) f.number = fv as number;
        else if (fn === 4) f.label = fv as number;
        else if (fn === 5) f.type = fv as number;
        else if (fn === 6) f.typeName = (fv as Buffer).toString();
      }
      m.fields.push(f);
    } else if (num === 3) m.nested.push(parseMessage(v as Buffer));
    else if (num === 7) for (const [on, , ov] of fields(v as Buffer)) if (on === 7 && ov === 1) m.mapEntry = true;
  }
  return m;
}

export function extract(binary: string): FieldTable {
  const buf = fs.readFileSync(binary);
  const magic = Buffer.from([0x1f, 0x8b, 0x08]);
  const table: FieldTable = {};
  for (let i = buf.indexOf(magic); i >= 0; i = buf.indexOf(magic, i + 1)) {
    let out: Buffer;
    try {
      // One gzip member only: gunzip would run on into the next descriptor's member and hide it behind this one.
      if (buf[i + 3] !== 0) continue;
      out = zlib.inflateRawSync(buf.subarray(i + 10, i + 400_000), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    if (out[0] !== 0x0a) continue;
    let file = '';
    let pkg = '';
    const messages: Msg[] = [];
    try {
      for (const [num, , v] of fields(out)) {
        if (num === 1) file = (v as Buffer).toString();
        else if (num === 2) pkg = (v as Buffer).toString();
        else if (num === 4) messages.push(parseMessage(v as Buffer));
      }
    } catch {
      continue;
    }
    if (!file.startsWith('k8s.io/') || !file.endsWith('generated.proto')) continue;
    if (!/^k8s\.io\/(api\/[a-z0-9]+\/v\d+\/|apimachinery\/pkg\/(apis\/meta\/v1|runtime|util\/intstr|api\/resource)\/)generated\.proto$/.test(file)) continue;
    for (const m of messages) {
      const entries = new Map(m.nested.filter((n) => n.mapEntry).map((n) => [`.${pkg}.${m.name}.${n.name}`, n]));
      const row: FieldTable[string] = {};
      for (const f of m.fields) {
        const entry = f.typeName ? entries.get(f.typeName) : undefined;
        if (entry) {
          const [k, v] = entry.fields;
          row[f.number] = [f.name, 0, 3, [k.type, v.type, (v.typeName ?? '').replace(/^\./, '')]];
        } else {
          row[f.number] = f.typeName ? [f.name, f.type, f.label, f.typeName.replace(/^\./, '')] : [f.name, f.type, f.label];
        }
      }
      table[`${pkg}.${m.name}`] = row;
    }
  }
  return table;
}

if (require.main === module) {
  const bin = process.argv[2];
  const table = extract(bin);
  const out = path.join(repoRoot(), 'cluster', 'src', 'http', 'proto', 'fields.json');
  fs.writeFileSync(out, JSON.stringify(table) + '\n');
  console.log(`${Object.keys(table).length} messages -> ${out}`);
}
