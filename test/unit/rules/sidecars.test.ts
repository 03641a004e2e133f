import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { newTestControlPlane, R } from '../../../cluster/src/testing';
import { statusOf } from '../cluster/apiserver/statusOf';

/** Container restart policies and native sidecars, as upstream's validateInitContainers / validateContainers check them. */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const pod = (spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } });
const probe = { httpGet: { path: '/', port: 80 } };

describe('rules/sidecars: container restart policies', () => {
  it('accepts a sidecar with probes and hooks', () => {
    assert.deepStrictEqual(errors(pod({ initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: probe, startupProbe: probe, lifecycle: { preStop: { sleep: { seconds: 1 } } } }] })), []);
  });

  it('refuses other init-container restart policies, probes and hooks on init containers that run to completion, and restartPolicy on app containers', () => {
    const obj = pod({
      containers: [{ name: 'app', image: 'nginx', restartPolicy: 'Always' }],
      initContainers: [
        { name: 'a', image: 'busybox', restartPolicy: 'OnFailure' },
        { name: 'b', image: 'busybox', livenessProbe: probe, readinessProbe: probe, startupProbe: probe, lifecycle: { postStart: { exec: { command: ['true'] } } } },
      ],
    });
    assert.deepStrictEqual(errors(obj), [
      'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      'spec.initContainers[1].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
      'spec.initContainers[1].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      'spec.initContainers[1].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      'spec.initContainers[1].startupProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('is the apiserver\'s answer too, on a Deployment template', () => {
    const cp = newTestControlPlane();
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: {
        initContainers: [{ name: 'wait', image: 'busybox', readinessProbe: probe }], containers: [{ name: 'app', image: 'nginx' }] } } },
    };
    const e = statusOf(() => cp.api.create(R.deployments, 'default', d as any));
    assert.strictEqual(e.code, 422);
    assert.strictEqual(e.message, 'Deployment.apps "d" is invalid: spec.template.spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always');
  });
});
