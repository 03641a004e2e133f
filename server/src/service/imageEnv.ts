/**
 * The environment variables the official database images' entrypoints (and wordpress's) read, offered where a container of such an
 * image names a variable (`env[].name`), with what each does: the root or superuser password these images refuse to
 * start without (see the `postgres-no-password` and `mysql-no-password` warnings) comes first. The names and rules
 * are those of each image's docker-entrypoint.sh and its Docker Hub documentation; the texts are ours.
 */
import { parseImage, shortRepo } from '../../../kube/src/imageConvention';

type Row = [name: string, en: string, zh: string];

const MYSQL: Row[] = [
  ['MYSQL_ROOT_PASSWORD', 'The password of the `root` account. The entrypoint will not initialize a new database without it (or one of `MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD`); best taken from a Secret (`valueFrom.secretKeyRef`). `MYSQL_ROOT_PASSWORD_FILE` reads it from a file instead.',
    '`root` 账户的密码。没有它（或 `MYSQL_ALLOW_EMPTY_PASSWORD`、`MYSQL_RANDOM_ROOT_PASSWORD` 之一），入口脚本不会初始化新数据库；最好从 Secret 读取（`valueFrom.secretKeyRef`）。也可以用 `MYSQL_ROOT_PASSWORD_FILE` 从文件读取。'],
  ['MYSQL_DATABASE', 'A database to create when the data folder is first initialized; `MYSQL_USER` is given all rights on it.', '首次初始化数据目录时要创建的数据库；`MYSQL_USER` 会获得它的全部权限。'],
  ['MYSQL_USER', 'A regular account to create at initialization, together with `MYSQL_PASSWORD` (both are needed). It may not be `root`: the entrypoint then refuses to start.', '初始化时创建的普通账户，需要与 `MYSQL_PASSWORD` 一起设置。不能是 `root`，否则入口脚本拒绝启动。'],
  ['MYSQL_PASSWORD', 'The password of `MYSQL_USER`.', '`MYSQL_USER` 的密码。'],
  ['MYSQL_ALLOW_EMPTY_PASSWORD', 'Any value that is not empty lets `root` have no password. Anyone who can reach the server is then its superuser.', '任意非空值都会让 `root` 没有密码：任何能连到服务器的人都是超级用户。'],
  ['MYSQL_RANDOM_ROOT_PASSWORD', 'Any value that is not empty makes the entrypoint pick a random `root` password and print it to the log (`GENERATED ROOT PASSWORD: …`).', '任意非空值会让入口脚本随机生成 `root` 密码并打印到日志（`GENERATED ROOT PASSWORD: …`）。'],
  ['MYSQL_ROOT_HOST', 'The host `root` may connect from (default `%`, any host).', '`root` 可以从哪个主机连接（默认 `%`，任意主机）。'],
  ['MYSQL_ONETIME_PASSWORD', 'Any value that is not empty marks `root`\'s password as expired at initialization: it must be changed at the first login.', '任意非空值会在初始化时把 `root` 的密码标记为过期，首次登录时必须修改。'],
  ['MYSQL_INITDB_SKIP_TZINFO', 'Any value that is not empty skips loading the time zone tables at initialization.', '任意非空值会在初始化时跳过加载时区表。'],
];

const MARIADB: Row[] = [
  ['MARIADB_ROOT_PASSWORD', 'The password of the `root` account. The entrypoint will not initialize a new database without it (or `MARIADB_ROOT_PASSWORD_HASH`, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`, `MARIADB_RANDOM_ROOT_PASSWORD`); best taken from a Secret. The `MYSQL_` names work too, and `_FILE` reads it from a file.',
    '`root` 账户的密码。没有它（或 `MARIADB_ROOT_PASSWORD_HASH`、`MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`、`MARIADB_RANDOM_ROOT_PASSWORD` 之一），入口脚本不会初始化新数据库；最好从 Secret 读取。`MYSQL_` 开头的旧名称同样有效，加 `_FILE` 后缀则从文件读取。'],
  ['MARIADB_ROOT_PASSWORD_HASH', 'The `root` password as a hash (`SELECT PASSWORD(\'…\')`), instead of the password itself.', '以哈希形式（`SELECT PASSWORD(\'…\')`）给出的 `root` 密码，代替明文密码。'],
  ['MARIADB_DATABASE', 'A database to create when the data folder is first initialized; `MARIADB_USER` is given all rights on it.', '首次初始化数据目录时要创建的数据库；`MARIADB_USER` 会获得它的全部权限。'],
  ['MARIADB_USER', 'A regular account to create at initialization, with `MARIADB_PASSWORD` or `MARIADB_PASSWORD_HASH`.', '初始化时创建的普通账户，需要同时设置 `MARIADB_PASSWORD` 或 `MARIADB_PASSWORD_HASH`。'],
  ['MARIADB_PASSWORD', 'The password of `MARIADB_USER`.', '`MARIADB_USER` 的密码。'],
  ['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'Any value that is not empty lets `root` have no password. Anyone who can reach the server is then its superuser.', '任意非空值都会让 `root` 没有密码：任何能连到服务器的人都是超级用户。'],
  ['MARIADB_RANDOM_ROOT_PASSWORD', 'Any value that is not empty makes the entrypoint pick a random `root` password and print it to the log (`GENERATED ROOT PASSWORD: …`).', '任意非空值会让入口脚本随机生成 `root` 密码并打印到日志（`GENERATED ROOT PASSWORD: …`）。'],
  ['MARIADB_ROOT_HOST', 'The host `root` may connect from (default `%`, any host).', '`root` 可以从哪个主机连接（默认 `%`，任意主机）。'],
  ['MARIADB_AUTO_UPGRADE', 'Any value other than empty or `0` runs `mariadb-upgrade` when the data folder comes from an older release (after a backup of the system tables).', '数据目录来自旧版本时，非空且不为 `0` 的值会让入口脚本运行 `mariadb-upgrade`（先备份系统表）。'],
];

const POSTGRES: Row[] = [
  ['POSTGRES_PASSWORD', 'The superuser\'s password. The entrypoint will not initialize a new database without it (unless `POSTGRES_HOST_AUTH_METHOD=trust`); best taken from a Secret (`valueFrom.secretKeyRef`). `POSTGRES_PASSWORD_FILE` reads it from a file instead.',
    '超级用户的密码。没有它（除非 `POSTGRES_HOST_AUTH_METHOD=trust`），入口脚本不会初始化新数据库；最好从 Secret 读取（`valueFrom.secretKeyRef`）。也可以用 `POSTGRES_PASSWORD_FILE` 从文件读取。'],
  ['POSTGRES_USER', 'The superuser\'s name (default `postgres`).', '超级用户的名称（默认 `postgres`）。'],
  ['POSTGRES_DB', 'The database created at initialization (default: the same as `POSTGRES_USER`).', '初始化时创建的数据库（默认与 `POSTGRES_USER` 同名）。'],
  ['POSTGRES_INITDB_ARGS', 'Extra arguments for `initdb`, such as `--data-checksums`.', '传给 `initdb` 的额外参数，例如 `--data-checksums`。'],
  ['POSTGRES_INITDB_WALDIR', 'Another folder for the write-ahead log.', '预写日志（WAL）放到另一个目录。'],
  ['POSTGRES_HOST_AUTH_METHOD', 'The authentication method for connections from other hosts (default: the server\'s `password_encryption`, `scram-sha-256` from postgres 14 on). `trust` lets anyone connect without a password: not for anything but a throwaway.', '来自其他主机的连接使用的认证方式（默认取服务器的 `password_encryption`，postgres 14 起为 `scram-sha-256`）。`trust` 让任何人无需密码即可连接，只适合用完即弃的环境。'],
  ['PGDATA', 'Where the data folder is (default `/var/lib/postgresql/data`; from postgres 18, `/var/lib/postgresql/18/docker`). Point it at a subfolder of a volume whose root holds other files, such as a disk\'s `lost+found`.', '数据目录的位置（默认 `/var/lib/postgresql/data`；postgres 18 起为 `/var/lib/postgresql/18/docker`）。如果卷的根目录里已有其他文件（例如磁盘的 `lost+found`），请指向卷中的子目录。'],
];

const MONGO: Row[] = [
  ['MONGO_INITDB_ROOT_USERNAME', 'With `MONGO_INITDB_ROOT_PASSWORD`, creates this user in the `admin` database (role `root`) at initialization and turns authentication on. Set one without the other and the entrypoint stops with an error.',
    '与 `MONGO_INITDB_ROOT_PASSWORD` 一起设置时，初始化时在 `admin` 数据库中创建该用户（角色 `root`）并开启认证。只设置其中一个，入口脚本会报错退出。'],
  ['MONGO_INITDB_ROOT_PASSWORD', 'The password of `MONGO_INITDB_ROOT_USERNAME`; best taken from a Secret. `_FILE` reads it from a file.', '`MONGO_INITDB_ROOT_USERNAME` 的密码；最好从 Secret 读取。加 `_FILE` 后缀则从文件读取。'],
  ['MONGO_INITDB_DATABASE', 'The database the scripts in `/docker-entrypoint-initdb.d/` run against (default `test`).', '`/docker-entrypoint-initdb.d/` 中的脚本所针对的数据库（默认 `test`）。'],
];

const WORDPRESS: Row[] = [
  ['WORDPRESS_DB_HOST', 'The database server, `host` or `host:port` (such as a MySQL Service\'s name, `wordpress-mysql`).', '数据库服务器，`主机` 或 `主机:端口`（例如 MySQL Service 的名称 `wordpress-mysql`）。'],
  ['WORDPRESS_DB_USER', 'The database user.', '数据库用户。'],
  ['WORDPRESS_DB_PASSWORD', 'The database user\'s password; best taken from a Secret. `_FILE` reads it from a file.', '数据库用户的密码；最好从 Secret 读取。加 `_FILE` 后缀则从文件读取。'],
  ['WORDPRESS_DB_NAME', 'The database to use (it must exist, or the user must be allowed to create it).', '使用的数据库（必须已存在，或者该用户有权创建它）。'],
  ['WORDPRESS_TABLE_PREFIX', 'The prefix of WordPress\'s table names (default `wp_`).', 'WordPress 数据表名的前缀（默认 `wp_`）。'],
  ['WORDPRESS_DEBUG', 'Any value that is not empty turns `WP_DEBUG` on.', '任意非空值都会打开 `WP_DEBUG`。'],
  ['WORDPRESS_CONFIG_EXTRA', 'PHP code added to `wp-config.php`.', '追加到 `wp-config.php` 的 PHP 代码。'],
];

const BY_IMAGE: Record<string, Row[]> = { mysql: MYSQL, mariadb: MARIADB, postgres: POSTGRES, mongo: MONGO, wordpress: WORDPRESS };

/** The variables the official image of `image` reads, if it is one of these; a Docker Hub name only (`mysql:8.0`, `docker.io/library/postgres`). */
export function imageEnvVars(image: unknown): Row[] {
  if (typeof image !== 'string') return [];
  return BY_IMAGE[shortRepo(parseImage(image))] ?? [];
}
