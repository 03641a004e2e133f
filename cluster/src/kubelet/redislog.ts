/**
 * What the official redis image's server writes as it starts in a container (no terminal, so no ASCII logo), line by
 * line, as `kubectl logs` shows it, for the releases whose start the playground knows.
 *
 * Each line is `<pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level> <message>`: the role is C until the server has its
 * own pid recorded (initServer), M after; the level is `#` for a warning and `*` for a notice. What changes between
 * releases, as containers of each logged it:
 *   - 6.0: everything up to the configuration line is a warning; no monotonic clock line; the memory warnings come
 *     after `Server initialized`.
 *   - 6.2 and 7.0: `monotonic clock: POSIX clock_gettime` joins; from 7.0.7 the overcommit warning has its new text
 *     (with 7.0's doubled "can can").
 *   - 7.2 on: the start lines and `Server initialized` are notices, the system checks run first (the overcommit
 *     warning is the first line, as C), and the last line is `Ready to accept connections tcp`.
 *   - 8: the entrypoint says `Starting Redis Server` and loads the image's four modules (`--loadmodule`, so the
 *     configuration counts as loaded rather than missing), whose lines come before `Server initialized`.
 * The host's part is the playground's node: a kernel with vm.overcommit_memory 0 (so the overcommit warning),
 * transparent huge pages on madvise and somaxconn at 4096 (so neither of those warnings), and a container's open
 * files limited to 1024 soft and 524288 hard (so redis raises its own limit to the 10,032 its 10,000 clients need).
 */

/** The release a tag plays, for the tags whose release is known: a full version, or a line that had ended, or today's. */
export function redisVersion(tag: string): string | undefined {
  const base = tag.replace(/-(?:alpine[\d.]*|bookworm|trixie|bullseye)$/, '');
  // An Alpine build of redis 8 carries modules of its own, which are not known here.
  if (/^\d+\.\d+\.\d+$/.test(base)) return base === tag || Number(base.split('.')[0]) < 8 ? base : undefined;
  // 6.0 and 7.0 ended with 6.0.20 and 7.0.15. The late-2025 image of `latest` (and of 8, 8.4) was 8.4.0; its Alpine
  // build is another matter (its modules are not known here), so only the Debian one is.
  if (base === '6.0') return '6.0.20';
  if (base === '7.0') return '7.0.15';
  if (base === tag && (base === 'latest' || base === '8' || base === '8.4' || base === 'bookworm' || base === 'trixie')) return '8.4.0';
  return undefined;
}

/** What the image's four modules write as redis 8.4.0 loads them (the Debian image), in load order. */
function modules840(): string[] {
  const bf = ['bf-error-rate       :      0.01', 'bf-initial-size     :       100', 'bf-expansion-factor :         2', 'cf-bucket-size      :         2',
    'cf-initial-size     :      1024', 'cf-max-iterations   :        20', 'cf-expansion-factor :         1', 'cf-max-expansions   :        32'];
  const ts = ['ts-compaction-policy   :             ', 'ts-num-threads         :            3', 'ts-retention-policy    :            0',
    'ts-duplicate-policy    :        block', 'ts-chunk-size-bytes    :         4096', 'ts-encoding            :   compressed',
    'ts-ignore-max-time-diff:            0', 'ts-ignore-max-val-diff :     0.000000'];
  const dir = '/usr/local/lib/redis/modules/';
  return [
    '<bf> RedisBloom version 8.4.0 (Git=unknown)', '<bf> Registering configuration options: [', ...bf.map((o) => `<bf> \t{ ${o} }`), '<bf> ]',
    `Module 'bf' loaded from ${dir}/redisbloom.so`,
    '<search> Redis version found by RedisSearch : 8.4.0 - oss', '<search> RediSearch version 8.4.2 (Git=9e2b676)',
    '<search> Low level api version 1 initialized successfully',
    '<search> gc: ON, prefix min length: 2, min word length to stem: 4, prefix max expansions: 200, query timeout (ms): 500, timeout policy: return, '
      + 'oom policy: return, cursor read size: 1000, cursor max idle (ms): 300000, max doctable size: 1000000, max number of search results:  1000000, default scorer: BM25STD,',
    '<search> Initialized thread pools!', '<search> Disabled workers threadpool of size 0', '<search> Subscribe to config changes',
    '<search> Subscribe to cluster slot migration events', '<search> Enabled role change notification',
    '<search> Cluster configuration: AUTO partitions, type: 0, coordinator timeout: 0ms', '<search> Register write commands',
    `Module 'search' loaded from ${dir}/redisearch.so`,
    '<timeseries> RedisTimeSeries version 80400, git_sha=3520a1568ad69076d60885c70711fbdc9b448749',
    '<timeseries> Redis version found by RedisTimeSeries : 8.4.0 - oss', '<timeseries> Registering configuration options: [',
    ...ts.map((o) => `<timeseries> \t{ ${o} }`), '<timeseries> ]', '<timeseries> Detected redis oss', '<timeseries> Subscribe to ASM events',
    '<timeseries> Enabled diskless replication', `Module 'timeseries' loaded from ${dir}/redistimeseries.so`,
    "<ReJSON> Created new data type 'ReJSON-RL'", '<ReJSON> version: 80400 git sha: unknown branch: unknown',
    ...[1, 2, 3, 4, 5, 6].map((v) => `<ReJSON> Exported RedisJSON_V${v} API`), '<ReJSON> Enabled diskless replication',
    '<ReJSON> Initialized shared string cache, thread safe: true.', `Module 'ReJSON' loaded from ${dir}/rejson.so`, '<search> Acquired RedisJSON_V6 API',
  ];
}

const OVERCOMMIT_OLD = "WARNING overcommit_memory is set to 0! Background save may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' "
  + "to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.";
const overcommitNew = (can: string) => `WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it ${can} also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.`;

/** Which release is before which: [major, minor, patch]. */
function before(v: string, than: [number, number, number]): boolean {
  const got = v.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (got[i] !== than[i]) return got[i] < than[i];
  return false;
}

/**
 * The start of redis-server `version` run with `argv` (what follows `redis-server`), or undefined for a start the
 * playground does not know (a configuration file, which may say anything; a release before 6.0 or after 8.4.0's
 * modules). With `--daemonize yes` it is what is written before the server forks and its first process exits.
 */
export function redisStartup(version: string, argv: readonly string[], startedAt: number): string[] | undefined {
  if (argv[0] !== undefined && !argv[0].startsWith('-')) return undefined;
  if (before(version, [6, 0, 0]) || (!before(version, [8, 0, 0]) && version !== '8.4.0')) return undefined;
  const d = new Date(startedAt);
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  const line = (role: 'C' | 'M', level: '#' | '*', text: string) => `1:${role} ${stamp} ${level} ${text}`;
  const eight = !before(version, [8, 0, 0]);
  const modern = !before(version, [7, 2, 0]);
  const notice = modern ? '*' : '#';
  // The image's own entrypoint adds `--loadmodule` for each module from 8.0 on: the server then has arguments.
  const args = eight || argv.length > 0;
  const flag = (name: string) => {
    const i = argv.lastIndexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const daemonize = flag('daemonize') === 'yes';
  const port = Number(flag('port') ?? 6379);
  const out: string[] = eight ? ['Starting Redis Server'] : [];
  const overcommit = before(version, [7, 0, 7]) ? OVERCOMMIT_OLD : overcommitNew(modern ? 'can' : 'can can');
  if (modern) out.push(line('C', '#', overcommit));
  // From 6.2 the server forks before it says anything of its own; 6.0 first says what it starts.
  if (daemonize && !before(version, [6, 2, 0])) return out;
  out.push(line('C', notice, 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
    line('C', notice, `Redis version=${version}, bits=64, commit=00000000, modified=${eight ? 1 : 0}, pid=1, just started`),
    args ? line('C', notice, 'Configuration loaded')
      : line('C', '#', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf'));
  if (daemonize) return out;
  out.push(line('M', '*', 'Increased maximum number of open files to 10032 (it was originally set to 1024).'));
  if (!before(version, [6, 2, 0])) out.push(line('M', '*', 'monotonic clock: POSIX clock_gettime'));
  out.push(line('M', '*', `Running mode=standalone, port=${port}.`));
  if (eight) out.push(...modules840().map((m) => line('M', '*', m)));
  out.push(line('M', notice, 'Server initialized'));
  if (!modern) out.push(line('M', '#', overcommit));
  out.push(line('M', '*', modern ? 'Ready to accept connections tcp' : 'Ready to accept connections'));
  return out;
}
