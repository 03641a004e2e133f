import * as assert from 'assert';
import { evaluatePod, forbiddenDetail, forbiddenReason, namespacePolicy } from '../../../kube/src/podSecurity';

/** The Pod Security Standards' checks in upstream's words and order (outputs quoted from real 1.32 clusters where marked). */
const restricted = { level: 'restricted' as const, version: 'latest' };
const baseline = { level: 'baseline' as const, version: 'latest' };
const detail = (lv: any, spec: any, meta: any = {}) => forbiddenDetail(evaluatePod(lv, meta, spec));

describe('kube/podSecurity', () => {
  it('reads the namespace labels: levels, versions, fail closed for enforce and open for warn', () => {
    const p = namespacePolicy({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.29' });
    assert.deepStrictEqual([p.enforce, p.warn, p.audit, p.errors], [{ level: 'baseline', version: 'latest' }, { level: 'restricted', version: 'v1.29' }, { level: 'privileged', version: 'latest' }, []]);
    const bad = namespacePolicy({ 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn': 'loose', 'pod-security.kubernetes.io/audit-version': '1.25' });
    assert.deepStrictEqual([bad.enforce.level, bad.warn.level, bad.errors], ['restricted', 'privileged', [
      ['pod-security.kubernetes.io/enforce', 'strict', 'must be one of privileged, baseline, restricted'],
      ['pod-security.kubernetes.io/audit-version', '1.25', 'must be "latest" or "v1.x"'],
      ['pod-security.kubernetes.io/warn', 'loose', 'must be one of privileged, baseline, restricted'],
    ]]);
  });

  it('restricted: what a plain nginx pod lacks, in the order a cluster reports it', () => {
    assert.strictEqual(detail(restricted, { containers: [{ name: 'nginx', image: 'nginx' }] }),
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
    const fixed = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'nginx', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] };
    assert.deepStrictEqual(evaluatePod(restricted, {}, fixed), []);
    assert.deepStrictEqual(evaluatePod(baseline, {}, { containers: [{ name: 'nginx', image: 'nginx' }] }), []);
  });

  it('baseline: host namespaces, hostPath, host ports, privilege and capabilities', () => {
    const spec = { hostNetwork: true, hostPID: true, volumes: [{ name: 'data', hostPath: { path: '/d' } }, { name: 'var-log', hostPath: { path: '/var/log' } }],
      containers: [{ name: 'a', ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 443, hostPort: 443 }], securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'CHOWN'] } } }] };
    assert.strictEqual(detail(baseline, spec),
      'non-default capabilities (container "a" must not include "NET_ADMIN" in securityContext.capabilities.add), host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volumes "data", "var-log"), '
      + 'hostPort (container "a" uses hostPorts 443, 80), privileged (container "a" must not set securityContext.privileged=true)');
    // Under restricted the hostPath volume is a restricted volume type, and every added capability but NET_BIND_SERVICE is unrestricted.
    assert.match(detail(restricted, spec), /restricted volume types \(volumes "data", "var-log" use restricted volume type "hostPath"\)/);
    assert.match(detail(restricted, spec), /containers? "a" must not include "CHOWN", "NET_ADMIN" in securityContext.capabilities.add/);
    assert.strictEqual(forbiddenReason(evaluatePod(baseline, {}, spec)), 'non-default capabilities, host namespaces, hostPath volumes, hostPort, privileged');
  });

  it('matches a real 1.32 refusal: seLinuxOptions, sysctls and the restricted checks', () => {
    const spec = { securityContext: { seLinuxOptions: { user: 'u', role: 'r' }, sysctls: [{ name: 'net.core.somaxconn', value: '1' }, { name: 'kernel.msgmax', value: '1' }] },
      containers: [{ name: 'my-pod', image: 'x' }] };
    assert.strictEqual(detail(restricted, spec),
      'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set; role may not be set), forbidden sysctls (net.core.somaxconn, kernel.msgmax), '
      + 'allowPrivilegeEscalation != false (container "my-pod" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "my-pod" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or container "my-pod" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "my-pod" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
  });

  it('explicit settings are named as such; containers are listed init first; runAsUser=0 and Unconfined', () => {
    const spec = { securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' } },
      initContainers: [{ name: 'init', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] }, runAsUser: 0 } }] };
    assert.strictEqual(detail(restricted, spec),
      'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false), '
      + 'runAsUser=0 (pod and container "app" must not set runAsUser=0), seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")');
    assert.strictEqual(detail(baseline, spec), 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")');
  });

  it('pinned versions leave out the checks that came later (runAsUser is 1.23)', () => {
    const spec = { securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] };
    assert.strictEqual(detail({ level: 'restricted', version: 'v1.22' }, spec), '');
    assert.strictEqual(detail({ level: 'restricted', version: 'v1.23' }, spec), 'runAsUser=0 (pod must not set runAsUser=0)');
  });
});
