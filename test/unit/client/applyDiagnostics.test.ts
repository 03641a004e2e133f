import * as assert from 'assert';
import { coveredByEditor, withoutCovered, type EditorDiagnostic, type Span } from '../../../client/src/model/applyDiagnostics';
import { rangeOfPath } from '../../../client/src/model/yamlDocs';
import { diagnose } from '../validate/helpers';

const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: builder
      containers:
      - name: web
        image: nginx
`;

/** The language server's diagnostics as the language client hands them to VS Code (LSP severity 1..4 → 0..3). */
function editorDiagnostics(text: string): EditorDiagnostic[] {
  return diagnose(text).list.map((d) => ({ range: d.range, severity: (d.severity ?? 1) - 1, source: d.source }));
}

/** An Apply diagnostic where client/src/apply.ts puts one: at the range of the Status cause's field. */
function applyDiagnostic(text: string, field: string, message: string): { range: Span; message: string } {
  const r = rangeOfPath(text, 0, field)!;
  return { range: { start: { line: r.line, character: r.character }, end: { line: r.endLine, character: Math.max(r.endCharacter, r.character + 1) } }, message };
}

describe('client: Apply diagnostics the language server already shows', () => {
  it('drops a refusal at a field the language server marks as an error, keeps one it does not mark', () => {
    const editor = editorDiagnostics(TEXT);
    assert.ok(editor.some((d) => d.severity === 0 && d.range.start.line === 5), 'the language server marks replicas: -1');
    // The playground's apiserver refuses the Deployment for both causes (ValidateDeploymentSpec, then the service account admission).
    const replicas = applyDiagnostic(TEXT, 'spec.replicas', 'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const name = applyDiagnostic(TEXT, 'metadata.name', 'metadata.name: Invalid value: "web": field is immutable');
    assert.deepStrictEqual(withoutCovered([replicas, name], editor).map((d) => d.message), [name.message]);
  });

  it('keeps the refusal where the language server only says "may" (information), as the refusal settles it', () => {
    const editor = editorDiagnostics(TEXT);
    const info = editor.find((d) => d.range.start.line === 14);
    assert.ok(info && info.severity === 2, 'missing-reference on serviceAccountName is information');
    const refused = applyDiagnostic(TEXT, 'spec.template.spec.serviceAccountName', 'error looking up service account default/builder: serviceaccount "builder" not found');
    assert.strictEqual(coveredByEditor(refused.range, editor), false);
  });

  it('only the language server\'s own diagnostics count, on the same line', () => {
    const at = (line: number, from: number, to: number): Span => ({ start: { line, character: from }, end: { line, character: to } });
    const apply = at(5, 12, 14);
    assert.strictEqual(coveredByEditor(apply, [{ range: at(5, 12, 14), severity: 0, source: 'kubeplay' }]), true);
    assert.strictEqual(coveredByEditor(apply, [{ range: at(5, 2, 10), severity: 0, source: 'kubeplay' }]), false, 'the key, not the value');
    assert.strictEqual(coveredByEditor(apply, [{ range: at(5, 12, 14), severity: 0, source: 'yaml' }]), false, 'another extension');
    assert.strictEqual(coveredByEditor(apply, [{ range: at(5, 12, 14), severity: 0, source: 'kubeplay (server)' }]), false, 'an earlier Apply');
    assert.strictEqual(coveredByEditor(apply, [{ range: { start: { line: 4, character: 0 }, end: { line: 9, character: 0 } }, severity: 1, source: 'kubeplay' }]), false, 'a block around it');
    assert.strictEqual(coveredByEditor(apply, [{ range: at(5, 13, 13), severity: 1, source: 'kubeplay' }]), true, 'a warning inside it');
  });
});
