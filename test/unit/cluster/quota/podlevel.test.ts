/**
 * ResourceQuota and LimitRanger with pod-level spec.resources: the quota charges the pod-level values (PodRequests,
 * PodLimits) and asks nothing of the containers; a BestEffort scope reads the pod-level class; a LimitRange of type
 * Pod holds the pod-level cpu and memory.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { errorText } from '../apiserver/statusOf';

const pod = (name: string, resources: any, containers: any[] = [{ name: 'app', image: 'nginx' }]) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { resources, containers },
}) as KObject;

describe('cluster/quota: pod-level resources', () => {
  it('a quota charges the pod-level requests and limits, and needs none in the containers', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: default}
spec:
  hard: {requests.cpu: "2", limits.memory: 2Gi}
`);
      pg.advance(1000);
      pg.api.create(R.pods, 'default', pod('a', { limits: { cpu: '1500m', memory: '1Gi' } }, [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }]));
      assert.deepStrictEqual(pg.api.get(R.resourcequotas, 'default', 'compute').status.used, { 'limits.memory': '1Gi', 'requests.cpu': '100m' });
      pg.api.create(R.pods, 'default', pod('b', { limits: { cpu: '1500m', memory: '512Mi' } }));
      assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', pod('c', { requests: { cpu: '400m' }, limits: { memory: '1Gi' } }))),
        '403 pods "c" is forbidden: exceeded quota: compute, requested: limits.memory=1Gi, used: limits.memory=1536Mi, limited: limits.memory=2Gi');
    } finally {
      pg.close();
    }
  });

  it('a BestEffort-scoped quota counts a pod by its pod-level class', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: ResourceQuota
metadata: {name: be, namespace: default}
spec:
  hard: {pods: "1"}
  scopes: [BestEffort]
`);
      pg.advance(1000);
      pg.api.create(R.pods, 'default', pod('guaranteed', { limits: { cpu: '1', memory: '64Mi' } }));
      pg.api.create(R.pods, 'default', pod('guaranteed2', { limits: { cpu: '1', memory: '64Mi' } }));
      assert.deepStrictEqual(pg.api.get(R.resourcequotas, 'default', 'be').status.used, { pods: '0' });
    } finally {
      pg.close();
    }
  });

  it('a LimitRange of type Pod reads the pod-level cpu and memory', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: LimitRange
metadata: {name: per-pod, namespace: default}
spec:
  limits:
  - type: Pod
    max: {memory: 1Gi}
`);
      assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', pod('p', { limits: { memory: '2Gi' } }))),
        '403 pods "p" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 2Gi');
      pg.api.create(R.pods, 'default', pod('q', { limits: { memory: '1Gi' } }));
    } finally {
      pg.close();
    }
  });
});
