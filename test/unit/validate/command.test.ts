import * as assert from 'assert';
import { shellWords, splitCommand } from '../../../kube/src/rules/command';
import { applyEdits, byCode, diagnose, quickFixes } from './helpers';

const pod = (container: string) => `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: python:3.12
${container}`;

function fixed(text: string): { text: string; title: string } {
  const { actions, uri } = quickFixes(text, 'command-whitespace');
  assert.strictEqual(actions.length, 1);
  return { text: applyEdits(text, actions[0].edit.changes[uri]), title: actions[0].title };
}

describe('a container command written as one command line', () => {
  it('warns that the runtime cannot start it, and splits a flow sequence into its items', () => {
    const text = pod('    command: ["python app.py", "--port", "8080"]\n');
    const [d] = byCode(diagnose(text).list, 'command-whitespace');
    assert.strictEqual(d.severity, 2);
    assert.match(d.message, /executable named "python app\.py", spaces included.*StartError, exit code 128, then CrashLoopBackOff.*\["python", "app\.py", "--port", "8080"\]/);
    assert.strictEqual(d.range.start.line, 8);
    const f = fixed(text);
    assert.strictEqual(f.title, 'Split into 2 items ("python", "app.py")');
    assert.match(f.text, /    command: \["python", "app\.py", "--port", "8080"\]\n$/);
    assert.deepStrictEqual(byCode(diagnose(f.text).list, 'command-whitespace'), []);
  });

  it('splits a block sequence item into lines at its indent, and keeps a shell -c script whole', () => {
    const text = pod('    command:\n    - sh -c\n    - echo hello; sleep 3600\n');
    const f = fixed(text);
    assert.match(f.text, /    command:\n    - "sh"\n    - "-c"\n    - echo hello; sleep 3600\n$/);
    assert.deepStrictEqual(byCode(diagnose(f.text).list, 'command-whitespace'), []);
    const whole = fixed(pod(`    command: ["/bin/sh -c 'echo hello && sleep 3600'"]\n`));
    assert.match(whole.text, /command: \["\/bin\/sh", "-c", "echo hello && sleep 3600"\]\n$/);
  });

  it('says nothing of a command already in items, of args, or of a one-word command', () => {
    for (const c of ['    command: ["sh", "-c", "echo hi && sleep 10"]\n', '    args: ["echo hi"]\n', '    command: ["nginx"]\n']) {
      assert.deepStrictEqual(byCode(diagnose(pod(c)).list, 'command-whitespace'), [], c);
    }
  });

  it('trims blanks around a one-word command, which the runtime cannot find either', () => {
    const f = fixed(pod('    command: ["sh ", "-c", "sleep 10"]\n'));
    assert.strictEqual(f.title, 'Remove the blanks around "sh"');
    assert.match(f.text, /command: \["sh", "-c", "sleep 10"\]\n$/);
  });

  it('splits a quoted -c script as the shell does, keeping what follows it', () => {
    assert.deepStrictEqual(splitCommand(`sh -c 'echo a' b`), ['sh', '-c', 'echo a', 'b']);
    assert.deepStrictEqual(splitCommand('sh -c "echo \\"hi\\""'), ['sh', '-c', 'echo "hi"']);
    assert.deepStrictEqual(splitCommand('sh -c "a" "b"'), ['sh', '-c', 'a', 'b']);
    assert.deepStrictEqual(splitCommand('sh -c echo hello; sleep 5'), ['sh', '-c', 'echo hello; sleep 5']);
  });

  it('splits as a shell would', () => {
    assert.deepStrictEqual(shellWords(`echo "a b" 'c d' e\\ f`), ['echo', 'a b', 'c d', 'e f']);
    assert.strictEqual(shellWords('echo "open'), undefined);
    assert.deepStrictEqual(splitCommand('bash -c "echo $HOME"'), ['bash', '-c', 'echo $HOME']);
    assert.deepStrictEqual(splitCommand('python -m http.server 8000'), ['python', '-m', 'http.server', '8000']);
  });
});

describe('nginx started by the container\'s own command without daemon off', () => {
  const nginx = (container: string, kind = 'Deployment') => kind === 'Pod'
    ? `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n${container}`
    : `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n${container}`;
  const CODE = 'nginx-daemonizes';

  it('warns at the nginx item that the container ends at once, and keeps it in the foreground with a quick fix', () => {
    const text = nginx('        command: ["nginx"]\n');
    const [d] = byCode(diagnose(text).list, CODE);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.range.start.line, 16);
    assert.strictEqual(d.message, 'nginx started this way runs as a daemon: its first process forks the server into the background and exits 0 at once, '
      + 'which ends the container. Under restartPolicy Always it is started again and again (CrashLoopBackOff); in a Job it counts as done. '
      + "The image's own command keeps nginx in the foreground: nginx -g 'daemon off;'.");
    const { actions, uri } = quickFixes(text, CODE);
    assert.deepStrictEqual(actions.map((a) => a.title), ["Keep nginx in the foreground (-g 'daemon off;')"]);
    const fixed = applyEdits(text, actions[0].edit.changes[uri]);
    assert.match(fixed, /command: \["nginx", "-g", "daemon off;"\]\n$/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, CODE), []);
  });

  it('adds the flag below the item in a block sequence, also after the image\'s entrypoint or in args alone', () => {
    const block = nginx('    command:\n    - /docker-entrypoint.sh\n    - nginx\n    - -e\n    - stderr\n', 'Pod');
    const { actions, uri } = quickFixes(block, CODE);
    const fixed = applyEdits(block, actions[0].edit.changes[uri]);
    assert.match(fixed, /    - \/docker-entrypoint\.sh\n    - nginx\n    - "-g"\n    - "daemon off;"\n    - -e\n    - stderr\n$/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, CODE), []);
    assert.strictEqual(byCode(diagnose(nginx('    args: ["nginx"]\n', 'Pod')).list, CODE).length, 1);
  });

  it('says nothing of the image\'s own command, of daemon off given, of a test run, of a mounted configuration, or of an init container', () => {
    const quiet = [
      '',
      '        command: ["nginx", "-g", "daemon off;"]\n',
      '        args: ["nginx", "-g", "pid /tmp/nginx.pid; daemon off;"]\n',
      '        command: ["nginx", "-t"]\n',
      '        command: ["nginx", "-c", "/config/nginx.conf"]\n',
      '        command: ["nginx"]\n        volumeMounts:\n        - name: conf\n          mountPath: /etc/nginx\n',
      '        command: ["sh", "-c", "nginx"]\n',
    ];
    for (const c of quiet) assert.deepStrictEqual(byCode(diagnose(nginx(c)).list, CODE), [], c);
    const init = nginx('').replace('      containers:', '      initContainers:\n      - name: warm\n        image: nginx:1.27\n        command: ["nginx"]\n      containers:');
    assert.deepStrictEqual(byCode(diagnose(init).list, CODE), []);
  });
});

describe('the nginx image where it may not write as it starts', () => {
  const web = (podSecurity: string, container: string, volumes = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n${podSecurity}      containers:\n      - name: web\n        image: nginx:1.27\n${container}${volumes}`;
  const CODE = 'nginx-cannot-write';
  const ro = '        securityContext:\n          readOnlyRootFilesystem: true\n';
  const mount = (...at: string[]) => `        volumeMounts:\n${at.map((a, i) => `        - name: v${i}\n          mountPath: ${a}\n`).join('')}`;
  const vols = (n: number) => `      volumes:\n${Array.from({ length: n }, (_, i) => `      - name: v${i}\n        emptyDir: {}\n`).join('')}`;

  it('warns at readOnlyRootFilesystem with what fails first and where to mount, until both folders are writable', () => {
    const bare = web('', ro);
    const [d] = byCode(diagnose(bare).list, CODE);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.range.start.line, 17);
    assert.strictEqual(d.message, 'nginx cannot start on a read-only root filesystem: it writes its temporary folders under /var/cache/nginx and its PID file under /run as it starts, '
      + 'and here mkdir() "/var/cache/nginx/client_temp" fails (30: Read-only file system), so the container exits 1 and is started again and again (CrashLoopBackOff). '
      + 'Mount a writable volume, such as an emptyDir, at /var/cache/nginx and /var/run.');
    const [pid] = byCode(diagnose(web('', ro + mount('/var/cache/nginx'), vols(1))).list, CODE);
    assert.match(pid.message, /here open\(\) "\/run\/nginx\.pid" fails \(30: Read-only file system\).* at \/var\/run\.$/);
    assert.deepStrictEqual(byCode(diagnose(web('', ro + mount('/var/cache/nginx', '/var/run'), vols(2))).list, CODE), []);
    const [zh] = byCode(diagnose(bare, { locale: 'zh-cn' }).list, CODE);
    assert.match(zh.message, /^nginx 在只读根文件系统上无法启动：.*mkdir\(\) "\/var\/cache\/nginx\/client_temp" 失败（30: Read-only file system）.*请在 \/var\/cache\/nginx、\/var\/run 挂载可写卷/);
  });

  it('warns at the pod\'s runAsUser when it is not root, naming the unprivileged image', () => {
    const text = web('      securityContext:\n        runAsUser: 101\n', '');
    const [d] = byCode(diagnose(text).list, CODE);
    assert.strictEqual(d.range.start.line, 14);
    assert.match(d.message, /^nginx cannot start as user 101, which may not write the image's folders \(they are root's\): .*mkdir\(\) "\/var\/cache\/nginx\/client_temp" fails \(13: Permission denied\).*, or use nginxinc\/nginx-unprivileged, made to run as a user other than root\.$/);
  });

  it('says nothing as root on a writable root, with a mounted configuration, or for another nginx image', () => {
    const quiet = [
      web('', ''),
      web('', '        securityContext:\n          readOnlyRootFilesystem: false\n'),
      web('', ro + mount('/etc/nginx'), vols(1)),
      web('', ro).replace('image: nginx:1.27', 'image: nginxinc/nginx-unprivileged:1.27'),
      web('      securityContext:\n        runAsUser: 0\n', ''),
    ];
    for (const t of quiet) assert.deepStrictEqual(byCode(diagnose(t).list, CODE), [], t);
  });
});

describe('the postgres image with no superuser password', () => {
  const db = (container: string) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres:16\n${container}`;
  const CODE = 'postgres-no-password';

  it('warns at the image that the entrypoint stops and the container crash-loops, in Chinese too', () => {
    const text = db('');
    const [d] = byCode(diagnose(text).list, CODE);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.range.start.line, 16);
    assert.match(d.message, /^postgres:16 will not start without a superuser password: its entrypoint stops with "Error: Database is uninitialized and superuser password is not specified\." and the container exits 1/);
    assert.match(byCode(diagnose(db('        env:\n        - name: POSTGRES_PASSWORD\n          value: ""\n')).list, CODE)[0].message, /Set POSTGRES_PASSWORD in its env/);
    const [zh] = byCode(diagnose(text, { locale: 'zh-cn' }).list, CODE);
    assert.match(zh.message, /^postgres 镜像没有超级用户密码就不会初始化数据库/);
  });

  it('says nothing with a password, a password file, trust, envFrom, or a command that does not start the server', () => {
    const quiet = [
      '        env:\n        - name: POSTGRES_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n',
      '        env:\n        - name: POSTGRES_PASSWORD\n          value: s3cret\n',
      '        env:\n        - name: POSTGRES_PASSWORD_FILE\n          value: /run/secrets/pw\n',
      '        env:\n        - name: POSTGRES_HOST_AUTH_METHOD\n          value: trust\n',
      '        envFrom:\n        - secretRef:\n            name: db\n',
      '        command: ["psql", "--version"]\n',
      '        args: ["--version"]\n',
    ];
    for (const c of quiet) assert.deepStrictEqual(byCode(diagnose(db(c)).list, CODE), [], c);
  });
});

describe('the mysql and mariadb images with no root password', () => {
  const db = (image: string, container: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: ${image}\n${container}`;
  const CODE = 'mysql-no-password';

  it('warns at the image that the entrypoint stops and the container crash-loops, naming the options of each image, in Chinese too', () => {
    const [d] = byCode(diagnose(db('mysql:8.0', '')).list, CODE);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.range.start.line, 15);
    assert.match(d.message, /^mysql:8\.0 will not start without a root password: its entrypoint stops with "Database is uninitialized and password option is not specified" and the container exits 1.*one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD.*set MYSQL_ROOT_PASSWORD/);
    const [m] = byCode(diagnose(db('mariadb', '')).list, CODE);
    assert.match(m.message, /one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD or MARIADB_RANDOM_ROOT_PASSWORD.*set MARIADB_ROOT_PASSWORD/);
    // An empty value is no value (the entrypoint tests each with -z); flags alone still start the server.
    assert.strictEqual(byCode(diagnose(db('mysql:9', '        env:\n        - name: MYSQL_ROOT_PASSWORD\n          value: ""\n')).list, CODE).length, 1);
    assert.strictEqual(byCode(diagnose(db('mysql:9', '        args: ["--character-set-server=utf8mb4"]\n')).list, CODE).length, 1);
    const [zh] = byCode(diagnose(db('mariadb:11.4', ''), { locale: 'zh-cn' }).list, CODE);
    assert.match(zh.message, /^mariadb:11\.4 没有 root 密码就不会启动.*MARIADB_ROOT_PASSWORD、MARIADB_ROOT_PASSWORD_HASH/);
  });

  it('says nothing with a password option, envFrom, a mariadb init folder, or a command that does not start the server', () => {
    const secret = (name: string) => `        env:\n        - name: ${name}\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n`;
    const value = (name: string, v: string) => `        env:\n        - name: ${name}\n          value: "${v}"\n`;
    const quiet: [string, string][] = [
      ['mysql:8.0', secret('MYSQL_ROOT_PASSWORD')],
      ['mysql:8.0', value('MYSQL_ROOT_PASSWORD_FILE', '/run/secrets/root')],
      ['mysql', value('MYSQL_ALLOW_EMPTY_PASSWORD', 'yes')],
      ['mysql', value('MYSQL_RANDOM_ROOT_PASSWORD', '1')],
      ['mariadb', value('MYSQL_ROOT_PASSWORD', 'pw')],
      ['mariadb', value('MARIADB_ROOT_PASSWORD_HASH', '*ABC')],
      ['mariadb', value('MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', '1')],
      ['mariadb', '        volumeMounts:\n        - name: init\n          mountPath: /docker-entrypoint-initdb.d\n'],
      ['mysql', '        envFrom:\n        - secretRef:\n            name: db\n'],
      ['mysql', '        command: ["mysql", "-h", "db"]\n'],
      ['mysql', '        args: ["mysqld", "--version"]\n'],
      ['mysql', '        args: ["mysqladmin", "ping"]\n'],
      ['bitnami/mysql:8.0', ''],
    ];
    for (const [image, c] of quiet) assert.deepStrictEqual(byCode(diagnose(db(image, c)).list, CODE), [], `${image}\n${c}`);
  });

  it('warns at MYSQL_USER=root that the mysql entrypoint refuses it', () => {
    const text = db('mysql:8.4', '        env:\n        - name: MYSQL_ROOT_PASSWORD\n          value: pw\n        - name: MYSQL_USER\n          value: root\n        - name: MYSQL_PASSWORD\n          value: pw\n');
    const [d] = byCode(diagnose(text).list, 'mysql-root-user');
    assert.strictEqual(d.range.start.line, 20);
    assert.match(d.message, /^mysql:8\.4 will not start with MYSQL_USER=root: .*Remove MYSQL_USER; the root password is MYSQL_ROOT_PASSWORD\.$/);
    assert.deepStrictEqual(byCode(diagnose(text).list, CODE), []);
    assert.deepStrictEqual(byCode(diagnose(text.replace('value: root', 'value: app')).list, 'mysql-root-user'), []);
  });
});

describe('redis-server told to daemonize', () => {
  const CODE = 'redis-daemonizes';
  const rd = (container: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: cache\nspec:\n  containers:\n  - name: redis\n    image: redis:7.2\n${container}`;

  it('warns at the yes that the container ends at once, and sets it to a quoted no', () => {
    for (const [c, line] of [['    command: ["redis-server", "--daemonize", "yes"]\n', 8], ['    args:\n    - --appendonly\n    - "yes"\n    - --daemonize\n    - "yes"\n', 12]] as const) {
      const text = rd(c);
      const [d] = byCode(diagnose(text).list, CODE);
      assert.strictEqual(d.severity, 2);
      assert.strictEqual(d.range.start.line, line);
      assert.match(d.message, /^redis-server told --daemonize yes forks into the background, and its first process exits 0 at once/);
      const { actions, uri } = quickFixes(text, CODE);
      assert.strictEqual(actions[0].title, 'Keep redis in the foreground (--daemonize "no")');
      const fixedText = applyEdits(text, actions[0].edit.changes[uri]);
      assert.match(fixedText, /--daemonize", "no"\]|- --daemonize\n    - "no"\n/);
      assert.deepStrictEqual(byCode(diagnose(fixedText).list, CODE), []);
    }
    assert.match(byCode(diagnose(rd('    args: ["--daemonize", "yes"]\n'), { locale: 'zh-cn' }).list, CODE)[0].message, /^redis-server 加了 --daemonize yes 会转入后台运行/);
  });

  it('says nothing of daemonize no, a redis-cli run, or another image', () => {
    for (const c of ['    args: ["--daemonize", "no"]\n', '    command: ["redis-cli", "--daemonize", "yes"]\n', '    args: ["--daemonize", "yes", "--daemonize", "no"]\n']) {
      assert.deepStrictEqual(byCode(diagnose(rd(c)).list, CODE), [], c);
    }
    assert.deepStrictEqual(byCode(diagnose(rd('    args: ["--daemonize", "yes"]\n').replace('redis:7.2', 'bitnami/redis:7.2')).list, CODE), []);
  });
});

describe('a database image\'s password taken from a Secret (quick fix)', () => {
  const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysql-pass\ntype: Opaque\nstringData:\n  user: app\n  password: s3cret\n---\n';
  const db = (image: string, container: string) => `${SECRET}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: ${image}\n${container}`;

  it('adds an env list, or an item after the last, naming the Secret\'s password key; then the warning is gone', () => {
    for (const [image, code, container] of [
      ['mysql:8.0', 'mysql-no-password', '        ports:\n        - containerPort: 3306\n'],
      ['postgres:16', 'postgres-no-password', '        env:\n        - name: PGDATA\n          value: /var/lib/postgresql/data/pgdata\n        ports:\n        - containerPort: 5432\n'],
    ] as const) {
      const text = db(image, container);
      const { actions, uri } = quickFixes(text, code);
      const variable = image.startsWith('mysql') ? 'MYSQL_ROOT_PASSWORD' : 'POSTGRES_PASSWORD';
      assert.deepStrictEqual(actions.map((a) => a.title), [`Take ${variable} from Secret mysql-pass (key password)`]);
      assert.strictEqual(actions[0].isPreferred, true);
      const fixed = applyEdits(text, actions[0].edit.changes[uri]);
      assert.match(fixed, new RegExp(`        - name: ${variable}\\n          valueFrom:\\n            secretKeyRef:\\n              name: mysql-pass\\n              key: password\\n`));
      assert.deepStrictEqual(byCode(diagnose(fixed).list, code), [], fixed);
      assert.deepStrictEqual(diagnose(fixed).list.filter((d) => d.severity === 1), [], fixed);
    }
  });

  it('offers nothing without a Secret holding a password-like key, or in another namespace', () => {
    const none = db('mysql:8.0', '').replace('  password: s3cret\n', '');
    assert.deepStrictEqual(quickFixes(none, 'mysql-no-password').actions, []);
    const elsewhere = db('mysql:8.0', '').replace('  name: mysql-pass\n', '  name: mysql-pass\n  namespace: other\n').replace('  name: db\nspec:', '  name: db\n  namespace: shop\nspec:');
    assert.deepStrictEqual(quickFixes(elsewhere, 'mysql-no-password').actions, []);
    // A Secret of the same file comes first; one of another file after it, its likelier key first.
    const others = { 'secrets.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  db-pass: eA==\n  MYSQL_ROOT_PASSWORD: eA==\n' };
    assert.deepStrictEqual(quickFixes(db('mysql:8.0', ''), 'mysql-no-password', { others }).actions.map((a) => a.title), [
      'Take MYSQL_ROOT_PASSWORD from Secret mysql-pass (key password)', 'Take MYSQL_ROOT_PASSWORD from Secret app (key MYSQL_ROOT_PASSWORD)', 'Take MYSQL_ROOT_PASSWORD from Secret app (key db-pass)']);
    const zh = quickFixes(db('mysql:8.0', ''), 'mysql-no-password', { locale: 'zh-cn' });
    assert.strictEqual(zh.actions[0].title, '从 Secret mysql-pass 的键 password 读取 MYSQL_ROOT_PASSWORD');
  });
});

describe('the mongo image with half of its root credentials', () => {
  const CODE = 'mongo-half-credentials';
  const db = (env: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: mongo\n    image: mongo:8\n${env}`;

  it('warns at the one that is set that the entrypoint exits 1 without the other, in Chinese too', () => {
    const [d] = byCode(diagnose(db('    env:\n    - name: MONGO_INITDB_ROOT_PASSWORD\n      value: pw\n')).list, CODE);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.range.start.line, 9);
    assert.match(d.message, /^mongo:8 will not start with MONGO_INITDB_ROOT_PASSWORD but no MONGO_INITDB_ROOT_USERNAME: .*Set MONGO_INITDB_ROOT_USERNAME too/);
    assert.match(byCode(diagnose(db('    env:\n    - name: MONGO_INITDB_ROOT_USERNAME\n      value: admin\n'), { locale: 'zh-cn' }).list, CODE)[0].message, /^mongo 镜像要同时有/);
  });

  it('says nothing with both, neither, envFrom, or another program', () => {
    for (const env of ['', '    env:\n    - name: MONGO_INITDB_ROOT_USERNAME\n      value: admin\n    - name: MONGO_INITDB_ROOT_PASSWORD_FILE\n      value: /run/pw\n',
      '    envFrom:\n    - secretRef:\n        name: mongo\n    env:\n    - name: MONGO_INITDB_ROOT_USERNAME\n      value: admin\n',
      '    command: ["mongosh"]\n    env:\n    - name: MONGO_INITDB_ROOT_USERNAME\n      value: admin\n']) {
      assert.deepStrictEqual(byCode(diagnose(db(env)).list, CODE), [], env);
    }
  });
});

describe('a shell variable in a command no shell runs', () => {
  const CODE = 'shell-variable';
  const pod = (container: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n  - name: hello\n    image: busybox:1.36\n    env:\n    - name: GREETING\n      value: hi\n    - name: NAME\n      value: you\n${container}`;

  it('warns at the item that the program gets $NAME as written, and writes $(NAME), which the kubelet expands', () => {
    const text = pod('    command: ["echo", "$GREETING ${NAME}", "$HOME"]\n');
    const [d, ...rest] = byCode(diagnose(text).list, CODE);
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.range.start.line, 13);
    assert.match(d.message, /^"\$GREETING \$\{NAME\}" reaches echo as written: no shell runs this command to expand \$GREETING, and Kubernetes expands only \$\(GREETING\)/);
    const { actions, uri } = quickFixes(text, CODE);
    assert.strictEqual(actions[0].title, 'Write $(GREETING), which Kubernetes expands');
    const fixed = applyEdits(text, actions[0].edit.changes[uri]);
    assert.match(fixed, /command: \["echo", "\$\(GREETING\) \$\(NAME\)", "\$HOME"\]/);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, CODE), []);
    const block = pod('    command:\n    - /bin/echo\n    args:\n    - $GREETING\n');
    assert.strictEqual(byCode(diagnose(block).list, CODE)[0].range.start.line, 16);
    assert.match(byCode(diagnose(text, { locale: 'zh-cn' }).list, CODE)[0].message, /^这个命令不经过 shell 运行，\$GREETING 不会被展开/);
  });

  it('says nothing where a shell runs, with no command, for names the env does not define, or for $(NAME) and $$NAME', () => {
    for (const c of [
      '    command: ["sh", "-c", "echo $GREETING"]\n',
      '    command: ["/bin/bash", "-c", "echo $GREETING"]\n',
      '    command: ["env", "sh", "-c", "echo $GREETING"]\n',
      '    args: ["echo", "$GREETING"]\n',
      '    command: ["echo", "$OTHER"]\n',
      '    command: ["echo", "$(GREETING)", "$$GREETING"]\n',
    ]) assert.deepStrictEqual(byCode(diagnose(pod(c)).list, CODE), [], c);
  });
});
