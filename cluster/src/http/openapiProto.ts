/**
 * The Swagger 2.0 document in gnostic's protobuf form
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`), the only
 * encoding client-go asks /openapi/v2 for (`kubectl explain
 * --output=plaintext-openapiv2`, client-side validation). Only what those
 * readers use is encoded: swagger, info and the definitions' schemas, with
 * vendor extensions as YAML (JSON is YAML) in `Any.yaml`, as gnostic does.
 */

/** Field numbers from gnostic's openapiv2/OpenAPIv2.proto. */
const DOC = { swagger: 1, info: 2, definitions: 9 };
const INFO = { title: 1, version: 2 };
const NAMED = { name: 1, value: 2 };
const ANY = { yaml: 2 };
const SCHEMA = {
  ref: 1, format: 2, title: 3, description: 4, default: 5, required: 19, enum: 20, additionalProperties: 21, type: 22, items: 23,
  allOf: 24, properties: 25, vendorExtension: 31,
};

class Writer {
  private parts: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
  }

  private varint(n: number): void {
    const bytes: number[] = [];
    while (n > 127) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
    this.push(Buffer.from(bytes));
  }

  bytes(field: number, b: Buffer): void {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    this.push(b);
  }

  string(field: number, s: string | undefined): void {
    if (s === undefined || s === '') return;
    this.bytes(field, Buffer.from(s, 'utf8'));
  }

  message(field: number, w: Writer): void {
    this.bytes(field, w.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

function anyYaml(value: unknown): Writer {
  const w = new Writer();
  w.string(ANY.yaml, JSON.stringify(value) + '\n');
  return w;
}

function named(name: string, value: Writer): Writer {
  const w = new Writer();
  w.string(NAMED.name, name);
  w.message(NAMED.value, value);
  return w;
}

function schema(s: any): Writer {
  const w = new Writer();
  if (s.$ref) w.string(SCHEMA.ref, s.$ref);
  w.string(SCHEMA.format, s.format);
  w.string(SCHEMA.description, s.description);
  if (s.default !== undefined) w.message(SCHEMA.default, anyYaml(s.default));
  for (const r of s.required ?? []) w.string(SCHEMA.required, r);
  for (const e of s.enum ?? []) w.message(SCHEMA.enum, anyYaml(e));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const ap = new Writer();
    ap.message(1, schema(s.additionalProperties));
    w.message(SCHEMA.additionalProperties, ap);
  }
  if (s.type) {
    const t = new Writer();
    t.string(1, s.type);
    w.message(SCHEMA.type, t);
  }
  if (s.items) {
    const it = new Writer();
    it.message(1, schema(s.items));
    w.message(SCHEMA.items, it);
  }
  for (const a of s.allOf ?? []) w.message(SCHEMA.allOf, schema(a));
  if (s.properties) {
    const props = new Writer();
    for (const [k, v] of Object.entries(s.properties)) props.message(1, named(k, schema(v)));
    w.message(SCHEMA.properties, props);
  }
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-')) w.message(SCHEMA.vendorExtension, named(k, anyYaml(v)));
  }
  return w;
}

export function encodeSwaggerProto(doc: { swagger: string; info: { title: string; version: string }; definitions: Record<string, unknown> }): Buffer {
  const w = new Writer();
  w.string(DOC.swagger, doc.swagger);
  const info = new Writer();
  info.string(INFO.title, doc.info.title);
  info.string(INFO.version, doc.info.version);
  w.message(DOC.info, info);
  const defs = new Writer();
  for (const [k, v] of Object.entries(doc.definitions)) defs.message(1, named(k, schema(v)));
  w.message(DOC.definitions, defs);
  return w.finish();
}
