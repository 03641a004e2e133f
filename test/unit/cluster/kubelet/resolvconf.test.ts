/**
 * The pod's /etc/resolv.conf as the kubelet's GetPodDNS forms it: the policy's
 * base, the pod's dnsConfig appended without duplicates, and the cuts to what
 * libc reads, each reported as a DNSConfigForming warning.
 */
import * as assert from 'node:assert/strict';
import type { KObject } from '../../../../cluster/src/contract';
import { dnsConfigWarnings, resolvConf } from '../../../../cluster/src/kubelet/execenv';
import { KubePlayground } from '../../../../cluster/src/playground';

const pod = (spec: any, name = 'p'): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec } });

describe('kubelet: the pod\'s resolv.conf (GetPodDNS)', () => {
  it('appends dnsConfig without the servers and domains the base already has (appendDNSConfig)', () => {
    const p = pod({ dnsConfig: { nameservers: ['1.2.3.4', '10.96.0.10', '1.2.3.4'], searches: ['a.example', 'default.svc.cluster.local'] } });
    assert.equal(resolvConf(p), 'search default.svc.cluster.local svc.cluster.local cluster.local a.example\nnameserver 10.96.0.10\nnameserver 1.2.3.4\noptions ndots:5\n');
    assert.deepEqual(dnsConfigWarnings(p), []);
  });

  it('keeps the first 3 nameservers, and says so in a DNSConfigForming warning', () => {
    const p = pod({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } }, 'four-ns');
    assert.equal(resolvConf(p), 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions ndots:5\n');
    assert.deepEqual(dnsConfigWarnings(p), ['Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 8.8.8.8']);
  });

  it('cuts the search list to 32 domains, then from its end to 2048 characters', () => {
    const many = Array.from({ length: 31 }, (_, i) => `d${i}.example`);
    const p = pod({ dnsConfig: { searches: many } });
    const applied = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', ...many.slice(0, 29)];
    assert.match(resolvConf(p), new RegExp(`^search ${applied.join(' ').replace(/\./g, '\\.')}\n`));
    assert.deepEqual(dnsConfigWarnings(p), [`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${applied.join(' ')}`]);
    const long = Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(97 + i)}${'x'.repeat(62)}.${'y'.repeat(63)}.${'z'.repeat(63)}`);
    const q = pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: long } });
    // 12 domains of 191 characters: 2303 with the spaces; 10 of them make 1919.
    assert.equal(resolvConf(q).split('\n')[0], `search ${long.slice(0, 10).join(' ')}`);
  });

  it('appends dnsConfig to the node\'s resolver too (dnsPolicy Default), and None on the host network is None', () => {
    assert.equal(resolvConf(pod({ dnsPolicy: 'Default', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example'] } })), 'search corp.example\nnameserver 172.18.0.1\nnameserver 1.1.1.1\noptions ndots:0\n');
    assert.equal(resolvConf(pod({ hostNetwork: true, dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } })), 'nameserver 1.1.1.1\n');
  });

  it('dnsPolicy Default and a host-network pod read the kind node\'s resolv.conf: the docker host at the kind network\'s gateway, ndots:0', () => {
    assert.equal(resolvConf(pod({ dnsPolicy: 'Default' })), 'nameserver 172.18.0.1\noptions ndots:0\n');
    assert.equal(resolvConf(pod({ hostNetwork: true })), 'nameserver 172.18.0.1\noptions ndots:0\n');
    assert.equal(resolvConf(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' })), 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('records the warning when it makes the sandbox, before the image is pulled', function () {
    this.timeout(20_000);
    const pg = new KubePlayground({ seed: 3, nodes: 1 });
    try {
      pg.advance(5_000);
      pg.api.create({ group: '', version: 'v1', resource: 'pods' }, 'default', pod({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } }, 'four-ns'));
      pg.advance(30_000);
      const events = (pg.api.list({ group: '', version: 'v1', resource: 'events' }, 'default').items as KObject[]).filter((e) => e.involvedObject.name === 'four-ns');
      assert.deepEqual(events.map((e) => e.reason).slice(0, 3), ['Scheduled', 'DNSConfigForming', 'Pulling']);
      const forming = events.find((e) => e.reason === 'DNSConfigForming')!;
      assert.deepEqual([forming.type, forming.message, forming.count], ['Warning', 'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 8.8.8.8', 1]);
    } finally {
      pg.close();
    }
  });
});
