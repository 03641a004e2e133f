import * as assert from 'assert';
import { connectionVerdict, isolationOf, policyTypesOf, type NetEnd } from '../../../kube/src/networkPolicy';
import { cidrContains, cidrWithin, parseCidr, parseIP } from '../../../kube/src/cidr';

const pod = (ns: string, name: string, labels: Record<string, string>, ip: string, extra: Partial<NonNullable<NetEnd['pod']>> = {}): NetEnd => ({
  pod: { namespace: ns, name, labels, namespaceLabels: { 'kubernetes.io/metadata.name': ns, ...(ns === 'prod' ? { env: 'prod' } : {}) }, ...extra },
  ip,
});
const pol = (ns: string, name: string, spec: any) => ({ metadata: { namespace: ns, name }, spec });

const web = pod('prod', 'web-1', { app: 'web' }, '10.244.1.5', { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }] });
const client = pod('prod', 'client', { role: 'client' }, '10.244.2.7');
const other = pod('dev', 'tool', { role: 'client' }, '10.244.3.9');

describe('kube/networkPolicy', () => {
  it('reads the directions as SetDefaults_NetworkPolicy would store them', () => {
    assert.deepStrictEqual(policyTypesOf({ podSelector: {} }), ['Ingress']);
    assert.deepStrictEqual(policyTypesOf({ podSelector: {}, egress: [{}] }), ['Ingress', 'Egress']);
    assert.deepStrictEqual(policyTypesOf({ podSelector: {}, policyTypes: ['Egress'] }), ['Egress']);
  });

  it('allows everything while no policy selects the pods', () => {
    assert.deepStrictEqual(connectionVerdict([], client, web, 8080), { allowed: true });
    // A policy of another namespace isolates nothing here.
    assert.deepStrictEqual(connectionVerdict([pol('dev', 'deny', { podSelector: {} })], client, web, 8080), { allowed: true });
  });

  it('a default-deny ingress policy drops every connection in, and names itself', () => {
    const deny = pol('prod', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
    assert.deepStrictEqual(connectionVerdict([deny], client, web, 8080), { allowed: false, deniedBy: 'ingress', policies: ['prod/default-deny-ingress'] });
    // Egress is not isolated by it: the web pod still connects out.
    assert.strictEqual(connectionVerdict([deny], web, { ip: '1.1.1.1' }, 443).allowed, true);
    // A pod reaching itself is never judged.
    assert.strictEqual(connectionVerdict([deny], web, web, 8080).allowed, true);
  });

  it('unions the rules of every policy that selects the pod', () => {
    const deny = pol('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    const allow = pol('prod', 'allow-clients', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] });
    assert.strictEqual(connectionVerdict([deny, allow], client, web, 8080).allowed, true);
    // A bare podSelector looks only in the policy's own namespace.
    assert.strictEqual(connectionVerdict([deny, allow], other, web, 8080).allowed, false);
  });

  it('namespaceSelector and podSelector in one peer must both match; in two peers either does', () => {
    const and = pol('prod', 'and', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } }, podSelector: { matchLabels: { role: 'admin' } } }] }] });
    const or = pol('prod', 'or', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }, { podSelector: { matchLabels: { role: 'admin' } } }] }] });
    assert.strictEqual(connectionVerdict([and], other, web, 8080).allowed, false);
    assert.strictEqual(connectionVerdict([or], other, web, 8080).allowed, true);
    // An empty namespaceSelector is every namespace.
    const any = pol('prod', 'any', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    assert.strictEqual(connectionVerdict([any], other, web, 8080).allowed, true);
    assert.strictEqual(connectionVerdict([any], { ip: '192.168.1.10' }, web, 8080).allowed, false);
  });

  it('ports: numbers, ranges with endPort, protocols, and named ports resolved on the destination pod', () => {
    const only = (ports: any[]) => [pol('prod', 'p', { podSelector: {}, ingress: [{ ports }] })];
    assert.strictEqual(connectionVerdict(only([{ port: 8080 }]), client, web, 8080).allowed, true);
    assert.strictEqual(connectionVerdict(only([{ port: 8080 }]), client, web, 8081).allowed, false);
    assert.strictEqual(connectionVerdict(only([{ port: 8000, endPort: 8100 }]), client, web, 8081).allowed, true);
    assert.strictEqual(connectionVerdict(only([{ port: 8080, protocol: 'UDP' }]), client, web, 8080).allowed, false);
    assert.strictEqual(connectionVerdict(only([{ port: 'http' }]), client, web, 8080).allowed, true);
    assert.strictEqual(connectionVerdict(only([{ port: 'http' }]), client, web, 9090).allowed, false);
    assert.strictEqual(connectionVerdict(only([{ port: 'dns', protocol: 'UDP' }]), client, web, 53, 'UDP').allowed, true);
    assert.strictEqual(connectionVerdict(only([{ protocol: 'TCP' }]), client, web, 1).allowed, true);
  });

  it('egress: the source pod must be let out as well as the destination let in', () => {
    const denyOut = pol('prod', 'default-deny-egress', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] });
    assert.deepStrictEqual(connectionVerdict([denyOut], client, web, 8080), { allowed: false, deniedBy: 'egress', policies: ['prod/default-deny-egress'] });
    const toWeb = pol('prod', 'to-web', { podSelector: { matchLabels: { role: 'client' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }] });
    assert.strictEqual(connectionVerdict([denyOut, toWeb], client, web, 8080).allowed, true);
    assert.strictEqual(connectionVerdict([denyOut, toWeb], client, web, 53, 'UDP').allowed, false);
  });

  it('a dual-stack "internet but not the cluster" egress keeps IPv4 pods out of ::/0', () => {
    const p = [pol('prod', 'internet-only', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { ipBlock: { cidr: '::/0' } }] }] })];
    assert.deepStrictEqual(connectionVerdict(p, client, other, 80), { allowed: false, deniedBy: 'egress', policies: ['prod/internet-only'] });
    assert.strictEqual(connectionVerdict(p, client, { ip: '93.184.216.34' }, 443).allowed, true);
  });

  it('ipBlock matches addresses, less its excepted blocks', () => {
    const p = [pol('prod', 'ext', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }] }] })];
    assert.strictEqual(connectionVerdict(p, { ip: '172.17.0.20' }, web, 8080).allowed, true);
    assert.strictEqual(connectionVerdict(p, { ip: '172.17.1.20' }, web, 8080).allowed, false);
    assert.strictEqual(connectionVerdict(p, { ip: '10.0.0.1' }, web, 8080).allowed, false);
  });

  it('a selector no apiserver would store selects nothing, and never throws', () => {
    const bad = [pol('prod', 'bad', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, policyTypes: ['Ingress'] }),
      pol('prod', 'nul', { podSelector: { matchExpressions: [null] }, policyTypes: ['Ingress'] })];
    assert.deepStrictEqual(connectionVerdict(bad, client, web, 8080), { allowed: true });
    const peer = [pol('prod', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'x', operator: 'Near' }] } }] }] })];
    assert.strictEqual(connectionVerdict(peer, client, web, 8080).allowed, false);
  });

  it('lists the policies isolating a pod per direction', () => {
    const ps = [pol('prod', 'a', { podSelector: {} }), pol('prod', 'b', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'] }), pol('prod', 'c', { podSelector: { matchLabels: { app: 'db' } } })];
    assert.deepStrictEqual(isolationOf(ps, web.pod!), { ingress: ['prod/a', 'prod/b'], egress: ['prod/b'] });
  });
});

describe('kube/cidr', () => {
  it('parses addresses and blocks of both families', () => {
    assert.deepStrictEqual(parseIP('10.0.0.1'), { v6: false, n: 0x0a000001n });
    assert.strictEqual(parseIP('10.0.0.256'), undefined);
    assert.strictEqual(parseIP('::ffff:10.0.0.1')!.v6, false);
    assert.strictEqual(parseIP('fd00::1')!.n, (0xfd00n << 112n) | 1n);
    assert.strictEqual(parseIP('1::2::3'), undefined);
    assert.strictEqual(parseCidr('10.0.0.0/33'), undefined);
    assert.strictEqual(parseCidr('10.0.0.0'), undefined);
    const c = parseCidr('10.1.2.3/16')!;
    assert.strictEqual(c.base, 0x0a010000n);
    assert.ok(cidrContains(c, '10.1.255.255'));
    assert.ok(!cidrContains(c, '10.2.0.0'));
    assert.ok(cidrContains(parseCidr('fd00::/8')!, 'fdff::1'));
    assert.ok(cidrWithin(parseCidr('10.1.5.0/24')!, c));
    assert.ok(!cidrWithin(parseCidr('10.0.0.0/8')!, c));
    // 1.32's lenient parsing: leading zeros read as decimal; an IPv4-mapped block written as IPv6 is 128 bits wide.
    assert.strictEqual(parseCidr('0010.0.0.0/8')!.base, 0x0a000000n);
    const mapped = parseCidr('::ffff:10.0.0.0/104')!;
    assert.deepStrictEqual([mapped.v6, mapped.prefix], [false, 8]);
    assert.ok(cidrContains(mapped, '10.0.0.7'));
    // Any other IPv6 block holds no IPv4 address: a dual-stack "::/0" rule lets no IPv4 pod through.
    assert.ok(!cidrContains(parseCidr('::/0')!, '10.244.1.5'));
    assert.ok(cidrContains(parseCidr('::ffff:0:0/96')!, '10.244.1.5'));
  });
});
