/**
 * The Image ID a container status carries (kubectl describe pod's `Image ID:`): the repo digest containerd reports,
 * `<registry>/<repository>@sha256:<64 hex>`, stable per image and without a visible pattern, as a SHA-256 has none.
 */
import * as assert from 'assert';
import { imageDigest } from '../../../../cluster/src/kubelet/images';

describe('image digests (status.containerStatuses[].imageID)', () => {
  const IMAGES = ['nginx', 'nginx:1.27', 'busybox:1.36', 'registry.k8s.io/coredns/coredns:v1.12.1', 'fluent/fluent-bit:3.0'];

  it('name the registry and repository, with 64 hex digits, the same every time', () => {
    assert.match(imageDigest('nginx:1.27'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.match(imageDigest('registry.k8s.io/coredns/coredns:v1.12.1'), /^registry\.k8s\.io\/coredns\/coredns@sha256:[0-9a-f]{64}$/);
    assert.strictEqual(imageDigest('busybox:1.36'), imageDigest('busybox:1.36'));
    assert.notStrictEqual(imageDigest('nginx'), imageDigest('nginx:1.27'));
  });

  it('do not repeat the same digits in each 32-bit word (9243f6ec9343f87f9443fa12... was not a digest)', () => {
    for (const image of IMAGES) {
      const hex = imageDigest(image).split('@sha256:')[1];
      const words = hex.match(/.{8}/g)!;
      // The middle digits of the eight words: a SHA-256 has them all but never the same.
      const middles = new Set(words.map((w) => w.slice(2, 5)));
      assert.ok(middles.size >= 6, `${image}: ${hex}`);
      const firsts = new Set(words.map((w) => w[0]));
      assert.ok(firsts.size >= 4, `${image}: ${hex}`);
    }
  });
});
