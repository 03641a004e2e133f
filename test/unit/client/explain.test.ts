import * as assert from 'assert';
import { explain } from '../../../client/src/explain';

describe('client Explain Field', () => {
  it('explains a field like kubectl explain, from the preferred version', () => {
    const text = explain(undefined, 'deployment', ['spec', 'replicas'])!;
    assert.match(text, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    assert.match(text, /^FIELD: replicas <integer>$/m);
    assert.match(text, /^DESCRIPTION:\n {4}Number of desired pods/m);
  });

  it('walks list items and lists the fields of object types', () => {
    assert.match(explain('v1', 'Pod', ['spec', 'containers', 0, 'image'])!, /^FIELD: image <string>$/m);
    const strategy = explain('apps/v1', 'Deployment', ['spec', 'strategy'])!;
    assert.match(strategy, /^FIELD: strategy <DeploymentStrategy>$/m);
    assert.match(strategy, /^FIELDS:\n {2}rollingUpdate\t<RollingUpdateDeployment>$/m);
  });

  it('accepts short names and plurals, and says nothing for unknown kinds', () => {
    assert.match(explain(undefined, 'deploy', [])!, /^KIND:\s+Deployment$/m);
    assert.match(explain(undefined, 'pods', ['metadata'])!, /^FIELD: metadata <ObjectMeta>$/m);
    assert.strictEqual(explain(undefined, 'NoSuchKind', []), undefined);
  });
});
