import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';

/**
 * Pathname expansion as busybox ash does it (expmeta): unquoted `*`, `?` and `[...]` match the container's files a
 * path component at a time, sorted; a pattern that matches nothing stays as typed; quotes, backslashes and
 * `set -f` turn it off; a leading dot must be matched by a dot.
 */
describe('shell: pathname expansion (globbing)', () => {
  let pg: KubePlayground;
  let sh: ShellState;
  before(() => {
    pg = newTestPlayground();
    pg.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data: {a.conf: "x=1\\n", b.conf: "y=2\\n", notes.txt: "hi\\n"}
---
apiVersion: v1
kind: Pod
metadata: {name: g}
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sleep, infinity]
    volumeMounts: [{name: app, mountPath: /etc/app}]
  volumes: [{name: app, configMap: {name: app}}]
`);
    pg.advance(30_000);
  });
  beforeEach(() => { sh = new ShellState(pg.execWorld(pg.api.get(R.pods, 'default', 'g'), 'c')); });
  after(() => pg.close());
  const out = (line: string) => sh.run(line).stdout;

  it('expands unquoted patterns against the container\'s files, sorted, and leaves quoted ones alone', () => {
    assert.equal(out('echo /etc/app/*.conf'), '/etc/app/a.conf /etc/app/b.conf\n');
    assert.equal(out('cat /etc/app/*.conf'), 'x=1\ny=2\n');
    assert.equal(out('echo /etc/app/?.conf /etc/app/[ab].conf'), '/etc/app/a.conf /etc/app/b.conf /etc/app/a.conf /etc/app/b.conf\n');
    assert.equal(out('echo "/etc/app/*" \'/etc/app/*\' /etc/app/\\*'), '/etc/app/* /etc/app/* /etc/app/*\n');
    assert.equal(out('echo /etc/app/*.yaml'), '/etc/app/*.yaml\n', 'no match: the word as typed');
    assert.equal(out('cd /etc/app && echo *'), 'a.conf b.conf notes.txt\n', 'relative to the working folder, hidden names left out');
    assert.equal(out('echo /etc/app/..d*'), '/etc/app/..data\n', 'a leading dot is matched by a dot');
    assert.equal(out('echo /e*/'), '/etc/\n', 'a trailing slash keeps folders');
  });

  it('globs an unquoted expansion\'s result, and a for list; set -f turns it off', () => {
    assert.equal(out('p="/etc/app/*.conf"; echo $p; echo "$p"'), '/etc/app/a.conf /etc/app/b.conf\n/etc/app/*.conf\n');
    assert.equal(out('for f in /etc/app/*.conf; do echo "[$f]"; done'), '[/etc/app/a.conf]\n[/etc/app/b.conf]\n');
    assert.equal(out('set -f; echo /etc/app/*'), '/etc/app/*\n');
  });

  it('counts several files in one wc, with a total, as a glob gives them', () => {
    assert.equal(out('wc -l /etc/app/*.conf'), '1 /etc/app/a.conf\n1 /etc/app/b.conf\n2 total\n');
  });
});
