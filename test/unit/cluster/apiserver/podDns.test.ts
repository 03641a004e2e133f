import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { validateObject } from '../../../../kube/src/rules/engine';
import { getSchema } from '../../../../kube/src/schema/index';
import { statusOf } from './statusOf';

/**
 * A pod's dnsConfig and hostAliases as upstream's validatePodDNSConfig and ValidateHostAliases refuse them: the
 * playground's apiserver answers 422 with upstream's words, in upstream's order, and the editor marks the same.
 */
const schema = getSchema();
const editor = (obj: unknown, kubernetesVersion = '1.34') => validateObject(obj, schema, { kubernetesVersion }).map((f) => `${f.code} ${f.path.join('.')}: ${f.message}`);
const pod = (spec: any, name = 'p') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox:1.28' }], ...spec } });
const message = (obj: unknown) => statusOf(() => newTestControlPlane().api.create(R.pods, 'default', obj as any)).message;
const causes = (obj: unknown) => statusOf(() => newTestControlPlane().api.create(R.pods, 'default', obj as any)).details.causes.map((c: any) => `${c.field}: ${c.message}`);
const IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const RELAXED = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')";

describe('pod DNS settings (validatePodDNSConfig, ValidateHostAliases)', () => {
  it('dnsPolicy None needs a dnsConfig, and it at least one nameserver', () => {
    assert.strictEqual(message(pod({ dnsPolicy: 'None' }, 'none-nocfg')),
      'Pod "none-nocfg" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None');
    assert.deepStrictEqual(editor(pod({ dnsPolicy: 'None' })), ['invalid-dns-config spec.dnsPolicy: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
    // Without a nameserver upstream stops there: the bad search domain is not reported.
    assert.deepStrictEqual(causes(pod({ dnsPolicy: 'None', dnsConfig: { searches: ['a.b', 'bad_domain!'] } })),
      ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None']);
    const ok = newTestControlPlane().api.create(R.pods, 'default', pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }) as any).object;
    assert.deepStrictEqual(ok.spec.dnsConfig, { nameservers: ['1.1.1.1'] });
  });

  it('at most 3 nameservers, each an address; search domains are subdomains (one trailing dot allowed); options have names', () => {
    const p = pod({ dnsConfig: {
      nameservers: ['1.1.1.1', 'not-an-ip', '3.3.3.3', '010.1.1.1'],
      searches: ['a.example.', 'bad_domain!', '_sip._tcp.example.com'],
      options: [{ name: 'ndots', value: '2' }, { value: 'x' }],
    } });
    assert.deepStrictEqual(causes(p), [
      'spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "not-an-ip", "3.3.3.3", "010.1.1.1"}: must not have more than 3 nameservers',
      `spec.dnsConfig.nameservers[1]: Invalid value: "not-an-ip": ${IP}`,
      `spec.dnsConfig.searches[1]: Invalid value: "bad_domain!": ${RELAXED}`,
      'spec.dnsConfig.options[1]: Required value: must not be empty',
    ]);
    assert.deepStrictEqual(editor(p).map((l) => l.split(':')[0]),
      ['invalid-dns-config spec.dnsConfig.nameservers', 'invalid-dns-config spec.dnsConfig.nameservers.1', 'invalid-dns-config spec.dnsConfig.searches.1', 'invalid-dns-config spec.dnsConfig.options.1']);
    // Before RelaxedDNSSearchValidation (on by default from 1.33) an underscore was refused too.
    assert.deepStrictEqual(editor(pod({ dnsConfig: { searches: ['_sip._tcp.example.com.'] } }), '1.32'),
      [`invalid-dns-config spec.dnsConfig.searches.0: Invalid value: "_sip._tcp.example.com": ${SUBDOMAIN}`]);
  });

  it('the search list: at most 32 domains and 2048 characters, spaces included', () => {
    const many = Array.from({ length: 33 }, (_, i) => `d${i}.example`);
    assert.match(message(pod({ dnsConfig: { searches: many } })), /^Pod "p" is invalid: spec\.dnsConfig\.searches: Invalid value: \[\]string\{"d0\.example", .*"d32\.example"\}: must not have more than 32 search paths$/);
    const long = Array.from({ length: 11 }, (_, i) => `${String.fromCharCode(97 + i)}${'x'.repeat(60)}.${'y'.repeat(60)}.${'z'.repeat(60)}.example`);
    assert.strictEqual(long.join(' ').length, 2111);
    assert.match(message(pod({ dnsConfig: { searches: long } })), /searches: Invalid value: \[\]string\{.*\}: must not have more than 2048 characters \(including spaces\) in the search list$/);
  });

  it('hostAliases: each ip an address, each hostname a subdomain, in a pod template as in a pod', () => {
    const p = pod({ hostAliases: [{ ip: 'not-ip', hostnames: ['a'] }, { ip: '10.1.2.3', hostnames: ['ok.remote', 'Bad_Name'] }] });
    assert.deepStrictEqual(causes(p), [
      `spec.hostAliases[0].ip: Invalid value: "not-ip": ${IP}`,
      `spec.hostAliases[1].hostnames[1]: Invalid value: "Bad_Name": ${SUBDOMAIN}`,
    ]);
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { hostAliases: [{ ip: '1.2.3', hostnames: ['x'] }], dnsPolicy: 'None', containers: [{ name: 'c', image: 'nginx' }] } } } };
    assert.deepStrictEqual(editor(deploy), [
      'invalid-dns-config spec.template.spec.dnsPolicy: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      `invalid-host-alias spec.template.spec.hostAliases.0.ip: Invalid value: "1.2.3": ${IP}`,
    ]);
    assert.match(statusOf(() => newTestControlPlane().api.create(R.deployments, 'default', deploy as any)).message,
      /^Deployment\.apps "d" is invalid: \[spec\.template\.spec\.dnsConfig: Required value: .*, spec\.template\.spec\.hostAliases\[0\]\.ip: Invalid value: "1\.2\.3": must be a valid IP address/);
  });
});
