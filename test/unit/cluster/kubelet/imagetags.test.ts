/**
 * Tags no registry has (docs/images.md): a made-up tag (`nginx:no-such-tag`, `nginx:wrong`) or a version past a
 * well-known image's released series (`nginx:v99`, `node:99`) fails its pull as on kind, with containerd 2's
 * NotFound message, ErrImagePull, then ImagePullBackOff; a Deployment rolled out to one stalls. The tags tutorials
 * use keep pulling.
 */
import * as assert from 'assert';
import { createNodes } from '../../../../cluster/src/kubelet';
import { behaviourOf } from '../../../../kube/src/imageConvention';
import { Harness, PODS } from '../nodes/harness';

const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };

/** containerd 2.1's CRI PullImage error for a tag Docker Hub does not have, as the kubelet passes it on. */
const notFound = (full: string) =>
  `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`;

const kind = (image: string) => behaviourOf({ name: 'c', image }, 'Always').kind;

describe('image tags that cannot exist', () => {
  it('fails tags that read as made up, on any image, whatever their case and separators', () => {
    const made = ['nginx:no-such-tag', 'nginx:No-Such-Tag', 'nginx:nosuchtag', 'nginx:no_such_version', 'nginx:wrong', 'nginx:WRONG',
      'nginx:bad', 'nginx:invalid', 'nginx:fake', 'nginx:xxx', 'nginx:typo', 'nginx:missing', 'nginx:notfound', 'nginx:not-found',
      'nginx:doesnotexist', 'nginx:does-not-exist', 'nginx:does-not-exist-2', 'nginx:notexist', 'nginx:not-existing', 'nginx:nonexistent',
      'nginx:non-existent', 'busybox:wrong', 'redis:no-such-tag', 'myorg/api:fake', 'ghcr.io/acme/api:invalid', 'registry.k8s.io/pause:bad'];
    for (const image of made) assert.strictEqual(kind(image), 'pull-error', image);
    assert.strictEqual(behaviourOf({ name: 'c', image: 'nginx:no-such-tag' }, 'Always').pullError, notFound('docker.io/library/nginx:no-such-tag'));
    assert.strictEqual(behaviourOf({ name: 'c', image: 'ghcr.io/acme/api:invalid' }, 'Always').pullError, notFound('ghcr.io/acme/api:invalid'));
    // Words that merely contain one of them are real tags.
    for (const image of ['nginx:badger', 'myorg/api:missing-docs-fixed', 'nginx:stable-perl', 'myorg/api:wrongly-named']) assert.strictEqual(kind(image), 'run', image);
  });

  it('fails a version past a well-known image\'s released series, as nginx 1.N with N over 31 already did', () => {
    const past = ['nginx:v99', 'nginx:99', 'nginx:2', 'nginx:2.0.1', 'nginx:1.32', 'nginx:1.161', 'busybox:1.40', 'busybox:2', 'alpine:3.26',
      'alpine:4', 'ubuntu:28.04', 'debian:15', 'redis:10', 'redis:v99', 'httpd:2.6', 'postgres:20', 'postgres:99-alpine', 'mysql:11',
      'mariadb:14', 'mongo:10', 'memcached:1.7', 'rabbitmq:5', 'node:28', 'node:99', 'python:3.17', 'python:4', 'golang:1.28', 'golang:2',
      'ruby:5', 'openjdk:29', 'traefik:v4', 'fedora:46', 'wordpress:8', 'tomcat:13', 'registry:4'];
    for (const image of past) assert.strictEqual(kind(image), 'pull-error', image);
    assert.strictEqual(behaviourOf({ name: 'c', image: 'node:99' }, 'Always').pullError, notFound('docker.io/library/node:99'));
  });

  it('keeps the tags tutorials use pulling: words, versions within the series, variants, pre-releases and digests', () => {
    const ok = ['nginx', 'nginx:latest', 'nginx:stable', 'nginx:mainline', 'nginx:alpine', 'nginx:perl', 'nginx:alpine-slim', 'nginx:bookworm',
      'nginx:trixie', 'nginx:1', 'nginx:1.14.2', 'nginx:1.16.1', 'nginx:1.27-alpine', 'nginx:1.29.4-alpine3.22-perl', 'nginx:1.31',
      'busybox:1.28', 'busybox:1.36', 'busybox:1.37.0-glibc', 'busybox:musl', 'alpine:3.20', 'alpine:3.23', 'alpine:edge', 'alpine:20250108',
      'ubuntu:22.04', 'ubuntu:24.04', 'ubuntu:26.04', 'ubuntu:noble', 'debian:bookworm-slim', 'debian:13.2', 'debian:12', 'redis:7',
      'redis:8.4-alpine', 'redis:7.2.4-bookworm', 'httpd:2.4', 'httpd:2.4.65-alpine', 'postgres:16', 'postgres:18', 'postgres:9.6',
      'postgres:18beta1', 'mysql:5.7', 'mysql:8.0', 'mysql:9.5', 'mariadb:11.4', 'mariadb:12.1', 'mongo:8.2', 'memcached:1.6.39',
      'rabbitmq:4.2-management', 'rabbitmq:3-management', 'node:18', 'node:22-alpine', 'node:lts', 'node:25.2.1', 'python:slim', 'python:3.12',
      'python:3.14-slim-bookworm', 'python:3.15.0a1', 'python:2.7', 'golang:1.25', 'ruby:3.4', 'ruby:4.0', 'openjdk:26-ea', 'traefik:v3.5',
      'fedora:43', 'wordpress:6.9-php8.3', 'tomcat:11.0', 'registry:2', 'myorg/api:v99', 'ghcr.io/acme/api:99.1',
      'nginx@sha256:' + 'a'.repeat(64), 'nginx:1.161@sha256:' + 'a'.repeat(64), 'nginx:no-such-tag@sha256:' + 'a'.repeat(64)];
    for (const image of ok) assert.strictEqual(kind(image), 'run', image);
  });

  it('the kubelet reports the pull of nginx:no-such-tag as on kind: ErrImagePull, then ImagePullBackOff, in upstream\'s words', () => {
    const h = new Harness();
    createNodes(h.ctx, 1).start();
    h.settle();
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'web', image: 'nginx:no-such-tag' }] } });
    h.advance(2500);
    const err = notFound('docker.io/library/nginx:no-such-tag');
    const failed = h.eventsFor('web', 'Failed').map((e) => e.message);
    // image_manager.go EnsureImageExists: `Failed to pull image %q: %v` with the image as the spec writes it.
    assert.deepStrictEqual(failed.slice(0, 2), [`Failed to pull image "nginx:no-such-tag": ${err}`, 'Error: ErrImagePull']);
    h.advance(1000);
    const waiting = h.api.get(PODS, 'default', 'web').status.containerStatuses[0].state.waiting;
    assert.deepStrictEqual(waiting, { reason: 'ImagePullBackOff', message: `Back-off pulling image "nginx:no-such-tag": ErrImagePull: ${err}` });
    assert.ok(h.eventsFor('web', 'BackOff').some((e) => e.message === 'Back-off pulling image "nginx:no-such-tag"'));
  });

  it('a Deployment set to a made-up tag stalls its rolling update: one new pod in ImagePullBackOff, the old ones serving', () => {
    const { KubePlayground } = require('../../../../cluster/src/playground');
    const pg = new KubePlayground({ seed: 7, nodes: 2 });
    try {
      pg.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: mean, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: mean}}
  template:
    metadata: {labels: {app: mean}}
    spec:
      containers: [{name: mean, image: nginx}]
`);
      assert.ok(pg.runUntil(() => pg.api.get(DEPLOYMENTS, 'default', 'mean').status?.availableReplicas === 2, 120_000));
      pg.setImage(DEPLOYMENTS, 'default', 'mean', 'mean', 'nginx:no-such-tag');
      pg.advance(60_000);
      const pods = pg.api.list(PODS, 'default').items.filter((p: any) => p.metadata.labels?.app === 'mean');
      const byImage = (image: string) => pods.filter((p: any) => p.spec.containers[0].image === image);
      assert.strictEqual(byImage('nginx').length, 2);
      assert.ok(byImage('nginx').every((p: any) => p.status.containerStatuses[0].state.running));
      const stuck = byImage('nginx:no-such-tag');
      assert.strictEqual(stuck.length, 1, 'maxSurge 25% of 2 rounds up to one new pod; maxUnavailable rounds down to none');
      assert.ok(['ErrImagePull', 'ImagePullBackOff'].includes(stuck[0].status.containerStatuses[0].state.waiting?.reason), JSON.stringify(stuck[0].status));
      const st = pg.api.get(DEPLOYMENTS, 'default', 'mean').status;
      assert.deepStrictEqual([st.replicas, st.updatedReplicas, st.availableReplicas, st.unavailableReplicas], [3, 1, 2, 1]);
    } finally {
      pg.close();
    }
  });
});
