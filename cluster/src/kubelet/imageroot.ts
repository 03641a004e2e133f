/**
 * The files of the busybox image that a learner meets in a shell: /bin with
 * the applets, /etc/passwd, /etc/group and /etc/shadow, and the folders the
 * image's build makes. The build (docker-library/busybox, Dockerfile.builder
 * of the glibc variant, the default) runs `busybox --install /bin`, so every
 * applet is a hard link to /bin/busybox; it copies /etc/passwd, /etc/group and
 * /etc/shadow from buildroot's system/skeleton, makes each user's home folder
 * that is missing (owned by that user), links /lib64 to lib and /usr/bin/env
 * to ../../bin/env. The tree is built once per image and shared by every
 * container of it (read-only: a container's changes go to its own layer).
 */
import { linkEntry, Tree, type FileEntry } from './tree';
import { parseImage } from '../../../kube/src/imageConvention';
import { debianRoot } from './debianroot';

/**
 * The applets of busybox 1.37.0's defconfig with the image's additions (CONFIG_AR, CONFIG_INOTIFYD; what
 * `make busybox.links` lists for that .config), in /bin as `busybox --install /bin` puts them.
 */
export const BUSYBOX_APPLETS: readonly string[] = (
  '[ [[ acpid add-shell addgroup adduser adjtimex ar arch arp arping ascii ash awk base32 base64 basename bc beep ' +
  'blkdiscard blkid blockdev bootchartd brctl bunzip2 bzcat bzip2 cal cat chat chattr chgrp chmod chown chpasswd ' +
  'chpst chroot chrt chvt cksum clear cmp comm conspy cp cpio crc32 crond crontab cryptpw cttyhack cut date dc dd ' +
  'deallocvt delgroup deluser depmod devmem df dhcprelay diff dirname dmesg dnsd dnsdomainname dos2unix dpkg ' +
  'dpkg-deb du dumpkmap dumpleases echo ed egrep eject env envdir envuidgid ether-wake expand expr factor ' +
  'fakeidentd fallocate false fatattr fbset fbsplash fdflush fdformat fdisk fgconsole fgrep find findfs flock fold ' +
  'free freeramdisk fsck fsck.minix fsfreeze fstrim fsync ftpd ftpget ftpput fuser getfattr getopt getty grep ' +
  'groups gunzip gzip halt hd hdparm head hexdump hexedit hostid hostname httpd hush hwclock i2cdetect i2cdump ' +
  'i2cget i2cset i2ctransfer id ifconfig ifdown ifenslave ifplugd ifup inetd init inotifyd insmod install ionice ' +
  'iostat ip ipaddr ipcalc ipcrm ipcs iplink ipneigh iproute iprule iptunnel kbd_mode kill killall killall5 klogd ' +
  'last less link linux32 linux64 linuxrc ln loadfont loadkmap logger login logname logread losetup lpd lpq lpr ls ' +
  'lsattr lsmod lsof lspci lsscsi lsusb lzcat lzma lzop makedevs makemime man md5sum mdev mesg microcom mim mkdir ' +
  'mkdosfs mke2fs mkfifo mkfs.ext2 mkfs.minix mkfs.vfat mknod mkpasswd mkswap mktemp modinfo modprobe more mount ' +
  'mountpoint mpstat mt mv nameif nanddump nandwrite nbd-client nc netstat nice nl nmeter nohup nologin nproc ' +
  'nsenter nslookup ntpd od openvt partprobe passwd paste patch pgrep pidof ping ping6 pipe_progress pivot_root ' +
  'pkill pmap popmaildir poweroff powertop printenv printf ps pscan pstree pwd pwdx raidautorun rdate rdev ' +
  'readahead readlink readprofile realpath reboot reformime remove-shell renice reset resize resume rev rm rmdir ' +
  'rmmod route rpm rpm2cpio rtcwake run-init run-parts runlevel runsv runsvdir rx script scriptreplay sed seedrng ' +
  'sendmail seq setarch setconsole setfattr setfont setkeycodes setlogcons setpriv setserial setsid setuidgid sh ' +
  'sha1sum sha256sum sha3sum sha512sum showkey shred shuf slattach sleep smemcap softlimit sort split ssl_client ' +
  'start-stop-daemon stat strings stty su sulogin sum sv svc svlogd svok swapoff swapon switch_root sync sysctl ' +
  'syslogd tac tail tar taskset tc tcpsvd tee telnet telnetd test tftp tftpd time timeout top touch tr traceroute ' +
  'traceroute6 tree true truncate ts tsort tty ttysize tunctl ubiattach ubidetach ubimkvol ubirename ubirmvol ' +
  'ubirsvol ubiupdatevol udhcpc udhcpc6 udhcpd udpsvd uevent umount uname unexpand uniq unix2dos unlink unlzma ' +
  'unshare unxz unzip uptime users usleep uudecode uuencode vconfig vi vlock volname w wall watch watchdog wc wget ' +
  'which who whoami whois xargs xxd xz xzcat yes zcat zcip'
).split(' ');

/** buildroot's system/skeleton/etc/passwd, as the image has it. */
export const BUSYBOX_PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'bin:x:2:2:bin:/bin:/bin/false',
  'sys:x:3:3:sys:/dev:/bin/false',
  'sync:x:4:100:sync:/bin:/bin/sync',
  'mail:x:8:8:mail:/var/spool/mail:/bin/false',
  'www-data:x:33:33:www-data:/var/www:/bin/false',
  'operator:x:37:37:Operator:/var:/bin/false',
  'nobody:x:65534:65534:nobody:/home:/bin/false',
].map((l) => l + '\n').join('');

/** buildroot's system/skeleton/etc/group (root is a member of wheel). */
export const BUSYBOX_GROUP = [
  'root:x:0:', 'daemon:x:1:', 'bin:x:2:', 'sys:x:3:', 'adm:x:4:', 'tty:x:5:', 'disk:x:6:', 'lp:x:7:', 'mail:x:8:',
  'kmem:x:9:', 'wheel:x:10:root', 'cdrom:x:11:', 'dialout:x:18:', 'floppy:x:19:', 'video:x:28:', 'audio:x:29:',
  'tape:x:32:', 'www-data:x:33:', 'operator:x:37:', 'utmp:x:43:', 'plugdev:x:46:', 'staff:x:50:', 'lock:x:54:',
  'netdev:x:82:', 'users:x:100:', 'nobody:x:65534:',
].map((l) => l + '\n').join('');

/** buildroot's system/skeleton/etc/shadow with root's empty password locked (`root:*:`, CVE-2019-5021). */
const BUSYBOX_SHADOW = ['root', 'daemon', 'bin', 'sys', 'sync', 'mail', 'www-data', 'operator', 'nobody']
  .map((u) => `${u}:*:10933:0:99999:7:::\n`).join('');

/** Debian's /etc/nsswitch.conf, which the glibc build copies in for libnss's name lookups. */
const NSSWITCH = `# /etc/nsswitch.conf
#
# Example configuration of GNU Name Service Switch functionality.
# If you have the \`glibc-doc-reference' and \`info' packages installed, try:
# \`info libc "Name Service Switch"' for information about this file.

passwd:         files
group:          files
shadow:         files
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files
ethers:         db files
rpc:            db files

netgroup:       nis
`;

/** The size of /bin/busybox: 1.37.0 built as the image builds it (defconfig, glibc, dynamically linked, x86-64). */
export const BUSYBOX_BYTES = 1_029_704;
/** The size of /bin/getconf, copied from Debian's libc-bin (bookworm's). */
const GETCONF_BYTES = 27_136;

const isBusybox = (image: string) => /(^|\/)busybox$/.test(parseImage(image).repository);

let busyboxRoot: Tree | undefined;

/** The image's own files and folders, shared by its containers; undefined for an image none are modelled of. */
export function imageRoot(image: string): Tree | undefined {
  // The Debian-based images whose base is known (debianroot.ts): usrmerged root, base-passwd, os-release.
  if (!isBusybox(image)) return debianRoot(image);
  return (busyboxRoot ??= buildBusybox());
}

function buildBusybox(): Tree {
  const t = new Tree();
  const dir = (rel: string, mode = 0o755, uid?: number, gid?: number) => t.set(rel, { dir: true, mode, mtime: 0, ...(uid ? { uid } : {}), ...(gid ? { gid } : {}) }, false);
  const file = (rel: string, text: string, mode = 0o644) => t.set(rel, { dir: false, data: new Uint8Array(Buffer.from(text, 'utf8')), mode, mtime: 0 }, false);
  // device_table.txt's modes: /tmp 1777, /root 700; the home folders the build makes belong to their users.
  for (const d of ['bin', 'dev', 'etc', 'lib', 'tmp', 'usr', 'usr/bin', 'var', 'var/spool', 'var/www']) dir(d, d === 'tmp' ? 0o1777 : 0o755);
  dir('root', 0o700);
  dir('usr/sbin', 0o755, 1, 1);
  dir('var/spool/mail', 0o755, 8, 8);
  dir('home', 0o755, 65534, 65534);
  // One file, every applet a hard link to it: they share its bytes and its link count.
  const links = BUSYBOX_APPLETS.length + 1;
  const binary: FileEntry = { dir: false, data: new Uint8Array(BUSYBOX_BYTES), mode: 0o755, mtime: 0, links, ino: 1 };
  t.set('bin/busybox', binary, false);
  for (const a of BUSYBOX_APPLETS) t.set(`bin/${a}`, binary, false);
  t.set('bin/getconf', { dir: false, data: new Uint8Array(GETCONF_BYTES), mode: 0o755, mtime: 0 }, false);
  t.set('lib64', linkEntry('lib', 0), false);
  t.set('usr/bin/env', linkEntry('../../bin/env', 0), false);
  file('etc/passwd', BUSYBOX_PASSWD);
  file('etc/group', BUSYBOX_GROUP);
  file('etc/shadow', BUSYBOX_SHADOW, 0o600);
  file('etc/nsswitch.conf', NSSWITCH);
  return t;
}
