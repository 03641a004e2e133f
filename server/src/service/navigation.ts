/**
 * Outline, folding and go-to-definition. The outline names each document
 * `Kind/name` and lists its top sections, then spec sections, since that is
 * how people look for things in a long manifest.
 */
import { isMap, isSeq, isScalar, type Node as YNode, type Pair } from 'yaml';
import { resolve, shapeKey, type ServiceContext } from './context';
import type { Chunk, Model, ModelDocument, Position, Range } from './model';
import { SymbolKind, type DocumentSymbol, type FoldingRange, type Location } from './protocol';
import { containerOf, isVolumeMountName, referencedKind, selectedWorkloads, volumeNames } from './references';
import { get, POD_TEMPLATE_PATHS } from './workspace';

const symbolCache = new WeakMap<ModelDocument, DocumentSymbol | null>();

export function documentSymbols(model: Model): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const doc of model.documents) {
    let s = symbolCache.get(doc);
    if (s === undefined) {
      s = docSymbol(doc);
      symbolCache.set(doc, s);
    }
    if (s) out.push(s);
  }
  return out;
}

function docSymbol(doc: ModelDocument): DocumentSymbol | null {
  const contents = doc.yaml?.contents as YNode | null | undefined;
  if (!contents || !contents.range) return null;
  const range = doc.range;
  const obj = doc.objects[0];
  const name = obj && obj.path.length === 0 ? `${obj.kind ?? '?'}/${obj.name ?? '?'}` : doc.kind === 'List' ? `List (${doc.objects.length} items)` : '(document)';
  const sel = doc.rangeOfPath(['metadata', 'name']) ?? doc.rangeOfPath(['kind']) ?? range;
  return {
    name,
    detail: obj?.apiVersion,
    kind: SymbolKind.Class,
    range,
    selectionRange: sel,
    children: childSymbols(doc, contents, 0),
  };
}

/** Top-level keys, and one level more under `spec` (and under a pod template's spec). */
function childSymbols(doc: ModelDocument, node: YNode, depth: number): DocumentSymbol[] {
  if (!isMap(node)) return [];
  const out: DocumentSymbol[] = [];
  for (const pair of node.items as Pair<YNode, YNode>[]) {
    const key = pair.key;
    if (!isScalar(key) || !key.range) continue;
    const name = String(key.value);
    const value = pair.value;
    const end = value?.range ? value.range[1] : key.range[1];
    const range: Range = { start: doc.pos(key.range[0]), end: doc.pos(end) };
    const sym: DocumentSymbol = {
      name,
      kind: isMap(value) ? SymbolKind.Object : isSeq(value) ? SymbolKind.Array : SymbolKind.Field,
      range,
      selectionRange: { start: doc.pos(key.range[0]), end: doc.pos(key.range[1]) },
    };
    if (value && depth < 4 && (name === 'spec' || name === 'template' || name === 'jobTemplate' || (depth === 0 && name === 'items'))) {
      sym.children = isSeq(value) ? itemSymbols(doc, value as YNode) : childSymbols(doc, value, depth + 1);
    } else if (isSeq(value) && (name === 'containers' || name === 'initContainers' || name === 'volumes' || name === 'ports')) {
      sym.children = itemSymbols(doc, value as YNode);
    }
    out.push(sym);
  }
  return out;
}

function itemSymbols(doc: ModelDocument, seq: YNode): DocumentSymbol[] {
  if (!isSeq(seq)) return [];
  return (seq.items as YNode[]).flatMap((it, i) => {
    if (!it || !it.range) return [];
    const v = isMap(it) ? (it.toJSON() as Record<string, unknown>) : undefined;
    const label = v ? String(v.name ?? (v.kind ? `${v.kind}/${(v.metadata as { name?: string } | undefined)?.name ?? '?'}` : v.containerPort ?? v.port ?? `[${i}]`)) : `[${i}]`;
    const range: Range = { start: doc.pos(it.range[0]), end: doc.pos(it.range[1]) };
    return [{ name: label, kind: SymbolKind.Object, range, selectionRange: range, children: isMap(it) && v?.kind ? childSymbols(doc, it, 1) : undefined }];
  });
}

const foldCache = new WeakMap<Chunk, Map<number, FoldingRange[]>>();

/** Every collection spanning more than one line, and each document (cached per chunk, relative to its first line). */
export function foldingRanges(model: Model): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const doc of model.documents) {
    let perChunk = foldCache.get(doc.chunk);
    if (!perChunk) foldCache.set(doc.chunk, (perChunk = new Map()));
    let rel = perChunk.get(doc.index);
    if (!rel) perChunk.set(doc.index, (rel = documentFolds(doc).map((f) => ({ startLine: f.startLine - doc.startLine, endLine: f.endLine - doc.startLine }))));
    for (const f of rel) out.push({ startLine: f.startLine + doc.startLine, endLine: f.endLine + doc.startLine });
  }
  return out;
}

function documentFolds(doc: ModelDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  const r = doc.range;
  let endLine = r.end.line;
  if (r.end.character === 0 && endLine > r.start.line) endLine--;
  if (endLine > r.start.line) out.push({ startLine: r.start.line, endLine });
  const walk = (n: unknown) => {
    if (isMap(n)) {
      for (const p of n.items as Pair<YNode, YNode>[]) {
        const v = p.value;
        if (p.key?.range && v?.range && (isMap(v) || isSeq(v) || (isScalar(v) && (v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED')))) {
          const start = doc.pos(p.key.range[0]).line;
          const end = lastContentLine(doc, v.range[1]);
          if (end > start) out.push({ startLine: start, endLine: end });
        }
        walk(v);
      }
    } else if (isSeq(n)) {
      for (const it of n.items as YNode[]) {
        if (isMap(it) && it.range) {
          const start = doc.pos(it.range[0]).line;
          const end = lastContentLine(doc, it.range[1]);
          if (end > start) out.push({ startLine: start, endLine: end });
        }
        walk(it);
      }
    }
  };
  walk(doc.yaml?.contents);
  return out;
}

/** The line of the last character before `offset` (ranges end after the line break). */
function lastContentLine(doc: ModelDocument, offset: number): number {
  const p = doc.pos(Math.max(0, offset - 1));
  return p.line;
}

/**
 * From `volumeMounts[].name` to the volume; from a Service selector to the
 * workloads whose pod templates it selects; from a ConfigMap, Secret or PVC
 * reference to the object's name. Objects in other files are placed by
 * `rangeIn`, which the caller backs with open models or the file on disk.
 */
export function definition(model: Model, pos: Position, ctx: ServiceContext, rangeIn?: (uri: string, line: number, path: (string | number)[]) => Range | undefined): Location[] {
  const doc = model.documentAt(pos);
  if (!doc) return [];
  const at = doc.pathAt(pos);
  const r = resolve(doc, at.path, ctx.schema);
  if (!r) return [];
  const shape = shapeKey(r.rest);
  if (at.on === 'value' && isVolumeMountName(shape)) {
    const c = containerOf(r.rest);
    const name = get(r.object.value, r.rest);
    const vol = c && volumeNames(r.object.value, c.podSpec).find((v) => v.name === name);
    if (!c || !vol) return [];
    const range = doc.rangeOfPath([...r.object.path, ...c.podSpec, 'volumes', vol.index, 'name']);
    return range ? [{ uri: model.uri, range }] : [];
  }
  const refKind = at.on === 'value' ? referencedKind(shape, r.object, r.rest) : undefined;
  if (refKind) {
    const name = get(r.object.value, r.rest);
    const out: Location[] = [];
    for (const o of ctx.workspace.byKind(refKind)) {
      if (o.name !== name || (o.namespace && r.object.namespace && o.namespace !== r.object.namespace)) continue;
      const namePath = [...o.path, 'metadata', 'name'];
      const range = o.uri === model.uri ? model.documentAt(o.line)?.rangeOfPath(namePath) : rangeIn?.(o.uri, o.line, namePath);
      out.push({ uri: o.uri, range: range ?? { start: { line: o.line, character: 0 }, end: { line: o.line, character: 0 } } });
    }
    return out;
  }
  if (r.object.kind === 'Service' && shape.startsWith('spec.selector')) {
    const sel = get(r.object.value, ['spec', 'selector']) as Record<string, string> | undefined;
    const out: Location[] = [];
    for (const w of selectedWorkloads(ctx.workspace, sel, r.object.namespace)) {
      const labelsPath = [...w.path, ...(POD_TEMPLATE_PATHS[w.kind] ?? []), 'metadata', 'labels'];
      let range: Range | undefined;
      if (w.uri === model.uri) range = model.documentAt(w.line)?.rangeOfPath(labelsPath, 'key');
      else range = rangeIn?.(w.uri, w.line, labelsPath);
      out.push({ uri: w.uri, range: range ?? { start: { line: w.line, character: 0 }, end: { line: w.line, character: 0 } } });
    }
    return out;
  }
  return [];
}
