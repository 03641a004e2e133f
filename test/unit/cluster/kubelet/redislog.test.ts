import * as assert from 'assert';
import { createNodes, logs, type NodeFleet } from '../../../../cluster/src/kubelet';
import { redisStartup, redisVersion } from '../../../../cluster/src/kubelet/redislog';
import { redisDaemonizes, redisServerArgv } from '../../../../kube/src/imageConvention';
import { Harness, PODS } from '../nodes/harness';

const AT = Date.UTC(2026, 0, 2, 3, 6, 58, 24);
/** The lines without their `1:C 02 Jan 2026 03:06:58.024 ` prefix, as role, level and text. */
const bare = (lines: string[] | undefined) => (lines ?? []).map((l) => l.replace(/^1:([CM]) 02 Jan 2026 03:06:58\.024 /, '$1 '));

describe('the official redis image: what its server writes as it starts', () => {
  it('6.0.5, the guestbook tutorial\'s leader: warnings up to the configuration line, the memory warning after Server initialized', () => {
    assert.deepStrictEqual(bare(redisStartup('6.0.5', [], AT)), [
      'C # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      'C # Redis version=6.0.5, bits=64, commit=00000000, modified=0, pid=1, just started',
      'C # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      'M * Increased maximum number of open files to 10032 (it was originally set to 1024).',
      'M * Running mode=standalone, port=6379.',
      'M # Server initialized',
      "M # WARNING overcommit_memory is set to 0! Background save may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
      'M * Ready to accept connections',
    ]);
  });

  it('6.2 and 7.0 add the monotonic clock; 7.0.7 on word the overcommit warning anew; 7.2 on check first and are notices', () => {
    const v70 = bare(redisStartup('7.0.15', ['--appendonly', 'yes'], AT));
    assert.strictEqual(v70[2], 'C # Configuration loaded');
    assert.strictEqual(v70[4], 'M * monotonic clock: POSIX clock_gettime');
    assert.strictEqual(v70[6], 'M # Server initialized');
    assert.match(v70[7], /^M # WARNING Memory overcommit must be enabled! .* it can can also cause failures/);
    assert.strictEqual(v70[8], 'M * Ready to accept connections');
    assert.match(bare(redisStartup('7.0.5', [], AT))[7], /^M # WARNING overcommit_memory is set to 0!/);
    const v72 = bare(redisStartup('7.2.4', ['--port', '7000'], AT));
    assert.match(v72[0], /^C # WARNING Memory overcommit must be enabled! .* it can also cause failures/);
    assert.deepStrictEqual(v72.slice(1), [
      'C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      'C * Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=1, just started',
      'C * Configuration loaded',
      'M * Increased maximum number of open files to 10032 (it was originally set to 1024).',
      'M * monotonic clock: POSIX clock_gettime',
      'M * Running mode=standalone, port=7000.',
      'M * Server initialized',
      'M * Ready to accept connections tcp',
    ]);
  });

  it('8.4.0 (latest): the entrypoint\'s own line, then its four modules before Server initialized', () => {
    const v84 = bare(redisStartup('8.4.0', [], AT));
    assert.strictEqual(v84[0], 'Starting Redis Server');
    assert.strictEqual(v84[3], 'C * Redis version=8.4.0, bits=64, commit=00000000, modified=1, pid=1, just started');
    assert.strictEqual(v84[4], 'C * Configuration loaded');
    assert.deepStrictEqual(v84.filter((l) => l.includes("Module '")), [
      "M * Module 'bf' loaded from /usr/local/lib/redis/modules//redisbloom.so",
      "M * Module 'search' loaded from /usr/local/lib/redis/modules//redisearch.so",
      "M * Module 'timeseries' loaded from /usr/local/lib/redis/modules//redistimeseries.so",
      "M * Module 'ReJSON' loaded from /usr/local/lib/redis/modules//rejson.so",
    ]);
    assert.deepStrictEqual(v84.slice(-2), ['M * Server initialized', 'M * Ready to accept connections tcp']);
  });

  it('--daemonize yes: 6.0 says what it starts, 6.2 and 7.0 nothing, 7.2 on only the system checks, before the fork', () => {
    assert.deepStrictEqual(bare(redisStartup('6.0.5', ['--daemonize', 'yes'], AT)).map((l) => l.slice(0, 40)), [
      'C # oO0OoO0OoO0Oo Redis is starting oO0O', 'C # Redis version=6.0.5, bits=64, commit', 'C # Configuration loaded']);
    assert.deepStrictEqual(redisStartup('7.0.15', ['--daemonize', 'yes'], AT), []);
    assert.strictEqual(redisStartup('7.4.2', ['--daemonize', 'yes'], AT)!.length, 1);
    assert.deepStrictEqual(redisStartup('8.4.0', ['--daemonize', 'yes'], AT)!.length, 2);
  });

  it('knows the release of full versions, of the lines that ended, and of latest; not of the rest, nor a configuration file\'s start', () => {
    assert.strictEqual(redisVersion('6.0.5'), '6.0.5');
    assert.strictEqual(redisVersion('7.2.4-alpine'), '7.2.4');
    assert.strictEqual(redisVersion('6.0'), '6.0.20');
    assert.strictEqual(redisVersion('7.0-alpine'), '7.0.15');
    assert.strictEqual(redisVersion('latest'), '8.4.0');
    for (const tag of ['7', '7.4', '7.2-alpine', 'alpine', '8.4.0-alpine', '6.2']) assert.strictEqual(redisVersion(tag), undefined, tag);
    assert.strictEqual(redisStartup('7.2.4', ['/usr/local/etc/redis/redis.conf'], AT), undefined);
    assert.strictEqual(redisStartup('5.0.14', [], AT), undefined);
  });

  it('reads the server\'s arguments as the image\'s entrypoint does', () => {
    assert.deepStrictEqual(redisServerArgv({ image: 'redis' }), []);
    assert.deepStrictEqual(redisServerArgv({ image: 'redis', args: ['--appendonly', 'yes'] }), ['--appendonly', 'yes']);
    assert.deepStrictEqual(redisServerArgv({ image: 'redis', command: ['redis-server', '--port', '7000'] }), ['--port', '7000']);
    assert.deepStrictEqual(redisServerArgv({ image: 'redis', command: ['docker-entrypoint.sh'], args: ['--save', ''] }), ['--save', '']);
    assert.strictEqual(redisServerArgv({ image: 'redis', args: ['redis-cli', 'ping'] }), undefined);
    assert.strictEqual(redisServerArgv({ image: 'bitnami/redis' }), undefined);
    assert.ok(redisDaemonizes({ image: 'redis:7', command: ['redis-server', '--daemonize', 'yes'] }));
    assert.ok(!redisDaemonizes({ image: 'redis:7', command: ['redis-server', '--daemonize', 'yes', '--daemonize', 'no'] }));
  });
});

describe('the playground\'s redis containers', () => {
  let h: Harness;
  let fleet: NodeFleet;
  beforeEach(() => {
    h = new Harness();
    fleet = createNodes(h.ctx, 1);
    fleet.start();
    h.settle();
  });
  const pod = (name: string, container: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'redis', ...container }] } });
  const cs = (name: string) => h.api.get(PODS, 'default', name).status.containerStatuses[0];

  it('log their server\'s start; told to daemonize they exit 0 and crash-loop; a tag of unknown release keeps the playground\'s line', () => {
    h.api.create(PODS, 'default', pod('leader', { image: 'docker.io/redis:6.0.5' }));
    h.api.create(PODS, 'default', pod('bg', { image: 'redis:7.2.4', command: ['redis-server', '--daemonize', 'yes'] }));
    h.api.create(PODS, 'default', pod('seven', { image: 'redis:7' }));
    h.advance(40_000);
    const leader = logs(fleet, 'default', 'leader', 'redis');
    assert.match(leader[0], /^1:C \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo$/);
    assert.match(leader[leader.length - 1], /\* Ready to accept connections$/);
    assert.ok(cs('leader').state.running && cs('leader').restartCount === 0);
    const bg = cs('bg');
    assert.strictEqual(bg.lastState.terminated?.exitCode, 0);
    assert.ok(bg.restartCount >= 2, `restarted ${bg.restartCount}`);
    assert.match(logs(fleet, 'default', 'bg', 'redis')[0], /^1:C .* # WARNING Memory overcommit must be enabled!/);
    assert.match(logs(fleet, 'default', 'seven', 'redis')[0], / kubeplay: container "redis" of pod "seven" started from image docker\.io\/library\/redis:7$/);
  });
});
