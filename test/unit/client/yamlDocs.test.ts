import * as assert from 'assert';
import { docAtLine, fieldOfMessage, manifestDocs, parseFieldPath, pathAtOffset, rangeOfPath, scanDocStarts } from '../../../client/src/model/yamlDocs';

const TEXT = `# comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  template:
    spec:
      containers:
        - name: c
          image: ""
`;

describe('client manifest positions', () => {
  it('splits documents and finds where each starts', () => {
    const docs = manifestDocs(TEXT);
    assert.deepStrictEqual(docs.map((d) => [d.index, d.object.kind, d.startLine, d.isKubernetes]), [[0, 'ConfigMap', 1, true], [1, 'Deployment', 6, true]]);
  });

  it('parses upstream field paths', () => {
    assert.deepStrictEqual(parseFieldPath('spec.template.spec.containers[0].image'), ['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.deepStrictEqual(parseFieldPath('metadata.labels[app.kubernetes.io/name]'), ['metadata', 'labels', 'app.kubernetes.io/name']);
  });

  it('maps a Status cause field to its line, or to the nearest existing parent', () => {
    assert.strictEqual(rangeOfPath(TEXT, 1, 'spec.replicas')?.line, 11);
    assert.strictEqual(rangeOfPath(TEXT, 1, 'spec.template.spec.containers[0].image')?.line, 16);
    assert.strictEqual(rangeOfPath(TEXT, 1, 'spec.selector')?.line, 10, 'missing field → its parent key');
  });

  it('finds the field path at the cursor for Explain', () => {
    const at = pathAtOffset(TEXT, TEXT.indexOf('image'));
    assert.deepStrictEqual(at, { apiVersion: 'apps/v1', kind: 'Deployment', path: ['spec', 'template', 'spec', 'containers', 0, 'image'] });
  });

  it('finds document starts by scanning lines, in agreement with the parser', () => {
    const tricky = `# leading comment\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\n# just a comment\nfoo: bar\n...\n---\n\n  # indented comment\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    kind: not-top-level\n`;
    for (const text of [TEXT, tricky]) {
      const parsed = manifestDocs(text).filter((d) => d.object != null);
      const scanned = scanDocStarts(text);
      assert.deepStrictEqual(scanned.map((d) => [d.line, d.isKubernetes]), parsed.map((d) => [d.startLine, d.isKubernetes]));
    }
  });

  it('picks the document a CodeLens line belongs to', () => {
    const docs = manifestDocs(TEXT);
    assert.strictEqual(docAtLine(docs, 1)?.object.kind, 'ConfigMap');
    assert.strictEqual(docAtLine(docs, 6)?.object.kind, 'Deployment');
    assert.strictEqual(docAtLine(docs, 12)?.object.kind, 'Deployment');
  });

  it('places a refusal without causes at the field its message names', () => {
    const decode = 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32';
    assert.strictEqual(fieldOfMessage(decode), 'spec.replicas');
    assert.strictEqual(rangeOfPath(TEXT, 1, fieldOfMessage(decode)!)?.line, 11);
    // Go's decoder names list fields without indexes: the first item that has the key.
    const port = 'json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.image of type string';
    assert.strictEqual(fieldOfMessage(port), 'spec.template.spec.containers.image');
    assert.deepStrictEqual(rangeOfPath(TEXT, 1, fieldOfMessage(port)!)?.line, 16);
    assert.strictEqual(fieldOfMessage('Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value'), 'spec.template.spec.containers[0].image');
    assert.strictEqual(fieldOfMessage('Service "s" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'), 'spec.ports[0].port');
    assert.strictEqual(fieldOfMessage('namespaces "nope" not found'), undefined);
  });
});
