#!/usr/bin/env python3
"""Generate the host-side benign corpora (tests/data/benign/) and the host
sample logs (data/samples/syslog, data/samples/app-errors.log).

Deterministic: a fixed seed and a fixed clock, so re-running it reproduces
the committed files byte for byte. Run from the top of the source tree:
    python3 tests/data/gen-host-logs.py
The benign files hold only ordinary lines of these programs (start-up and
shutdown notes, accepted logins, cron runs, checkpoints, saves); the KB must
give no alert on any of them. The samples mix such lines with real faults.
"""
import datetime
import os
import random

RNG = random.Random(20261123)
T0 = datetime.datetime(2026, 11, 23, 6, 25, 0)
HOSTS = ['web-1']
USERS = ['deploy', 'ci', 'admin', 'backup']
LAN = ['10.0.4.12', '10.0.4.17', '10.0.4.21', '10.8.0.14', '10.0.9.3']
UNITS = [('nginx.service', 'A high performance web server and a reverse proxy server'),
         ('php8.2-fpm.service', 'The PHP 8.2 FastCGI Process Manager'),
         ('redis-server.service', 'Advanced key-value store'),
         ('logrotate.service', 'Rotate log files'),
         ('apt-daily.service', 'Daily apt download activities'),
         ('man-db.service', 'Daily man-db regeneration'),
         ('certbot.service', 'Certbot'),
         ('phpsessionclean.service', 'Clean php session files'),
         ('systemd-tmpfiles-clean.service', 'Cleanup of Temporary Directories')]


class Clock:
    def __init__(self, start):
        self.t = start

    def tick(self, lo=1, hi=40):
        self.t += datetime.timedelta(seconds=RNG.randint(lo, hi), microseconds=RNG.randint(0, 999999))
        return self.t


def syslog_ts(t):
    return t.strftime('%b %d %H:%M:%S').replace(' 0', '  ', 1) if t.day < 10 else t.strftime('%b %d %H:%M:%S')


def pid():
    return RNG.randint(1200, 65000)


def fp():
    return 'SHA256:' + ''.join(RNG.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') for _ in range(43))


def syslog_line(t, host='web-1'):
    """One ordinary line of /var/log/syslog (or auth.log) on a web host."""
    k = RNG.randrange(22)
    ts = syslog_ts(t)
    u, desc = RNG.choice(UNITS)
    user = RNG.choice(USERS)
    ip = RNG.choice(LAN)
    p = pid()
    port = RNG.randint(32768, 60999)
    up = '%d.%06d' % (RNG.randint(100000, 1900000), RNG.randint(0, 999999))
    if k == 0:
        return '%s %s systemd[1]: Starting %s - %s...' % (ts, host, u, desc)
    if k == 1:
        return '%s %s systemd[1]: Started %s - %s.' % (ts, host, u, desc)
    if k == 2:
        return '%s %s systemd[1]: %s: Deactivated successfully.' % (ts, host, u)
    if k == 3:
        return '%s %s systemd[1]: Finished %s - %s.' % (ts, host, u, desc)
    if k == 4:
        return '%s %s systemd[1]: %s: Consumed %d.%03ds CPU time.' % (ts, host, u, RNG.randint(0, 90), RNG.randint(0, 999))
    if k == 5:
        return '%s %s sshd[%d]: Accepted publickey for %s from %s port %d ssh2: ED25519 %s' % (ts, host, p, user, ip, port, fp())
    if k == 6:
        return '%s %s sshd[%d]: pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)' % (ts, host, p, user, 1000 + USERS.index(user))
    if k == 7:
        return '%s %s sshd[%d]: Received disconnect from %s port %d:11: disconnected by user' % (ts, host, p, ip, port)
    if k == 8:
        return '%s %s sshd[%d]: Disconnected from user %s %s port %d' % (ts, host, p, user, ip, port)
    if k == 9:
        return '%s %s systemd-logind[512]: New session %d of user %s.' % (ts, host, RNG.randint(10, 900), user)
    if k == 10:
        return '%s %s systemd-logind[512]: Removed session %d.' % (ts, host, RNG.randint(10, 900))
    if k == 11:
        return '%s %s CRON[%d]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)' % (ts, host, p)
    if k == 12:
        return '%s %s CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)' % (ts, host, p)
    if k == 13:
        return '%s %s CRON[%d]: (www-data) CMD (php /var/www/shop/bin/console app:queue:work --time-limit=55)' % (ts, host, p)
    if k == 14:
        return '%s %s sudo[%d]:   %s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl status %s' % (ts, host, p, user, RNG.randint(0, 3), user, u)
    if k == 15:
        return '%s %s systemd[1]: %s: Main process exited, code=exited, status=0/SUCCESS' % (ts, host, u)
    if k == 16:
        return '%s %s kernel: [%s] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:ab:cd:ef:08:00 SRC=198.51.100.%d DST=10.0.0.5 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=%d PROTO=TCP SPT=%d DPT=%d WINDOW=1024 RES=0x00 SYN URGP=0' % (ts, host, up, RNG.randint(1, 254), RNG.randint(1, 65000), port, RNG.choice([23, 3389, 8443, 5900]))
    if k == 17:
        return '%s %s systemd-timesyncd[480]: Initial synchronization to time server 185.125.190.56:123 (ntp.ubuntu.com).' % (ts, host) if RNG.random() < 0.2 else \
               '%s %s systemd-journald[312]: Time spent on flushing to /var/log/journal/4b1f6c2d9e0a4f8b8d3e2a1c5b7d9e0f is %d.%03dms for %d entries.' % (ts, host, RNG.randint(1, 90), RNG.randint(0, 999), RNG.randint(100, 3000))
    if k == 18:
        return '%s %s rsyslogd[620]:  [origin software="rsyslogd" swVersion="8.2302.0" x-pid="620" x-info="https://www.rsyslog.com"] rsyslogd was HUPed' % (ts, host)
    if k == 19:
        return '%s %s dhclient[701]: DHCPREQUEST for 10.0.0.5 on eth0 to 10.0.0.1 port 67' % (ts, host) if RNG.random() < 0.5 else \
               '%s %s dhclient[701]: bound to 10.0.0.5 -- renewal in %d seconds.' % (ts, host, RNG.randint(1200, 1800))
    if k == 20:
        return '%s %s systemd[1]: Reached target timers.target - Timer Units.' % (ts, host) if RNG.random() < 0.5 else \
               '%s %s systemd[1]: Reloading %s - %s...' % (ts, host, u, desc)
    return '%s %s php8.2-fpm[%d]: [NOTICE] [pool www] child %d started' % (ts, host, RNG.randint(800, 900), p)


def kernel_boot(host='web-1'):
    t = T0 - datetime.timedelta(minutes=30)
    ts = syslog_ts(t)
    lines = ['Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)',
             'Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-27-amd64 root=UUID=6f1c2a8e-41b2-4d0a-9a3e-2c7d9b1e5f10 ro quiet',
             'BIOS-provided physical RAM map:', 'NX (Execute Disable) protection: active', 'SMBIOS 2.8 present.',
             'Hypervisor detected: KVM', 'MCE: In-kernel MCE decoding enabled.', 'rcu: Hierarchical RCU implementation.',
             'NMI watchdog: Enabled. Permanently consumes one hw-PMU counter.', 'VFS: Disk quotas dquot_6.6.0',
             'TCP: Hash tables configured (established 65536 bind 65536)', 'NET: Registered PF_INET6 protocol family',
             'virtio_blk virtio1: [vda] 83886080 512-byte logical blocks (42.9 GB/40.0 GiB)', ' vda: vda1 vda14 vda15',
             'EXT4-fs (vda1): mounted filesystem 6f1c2a8e-41b2-4d0a-9a3e-2c7d9b1e5f10 with ordered data mode. Quota mode: none.',
             'EXT4-fs (vda1): re-mounted 6f1c2a8e-41b2-4d0a-9a3e-2c7d9b1e5f10. Quota mode: none.',
             'nf_conntrack: default automatic helper assignment has been turned off for security reasons and CT-based firewall rule not found. Use the iptables CT target to attach helpers instead.',
             'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready', 'audit: type=1400 audit(1763878800.412:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="nvidia_modprobe" pid=402 comm="apparmor_parser"',
             'random: crng init done', 'Adding 2097148k swap on /swapfile.  Priority:-2 extents:6 across:2260988k',
             'TCP: bbr: BBR congestion control registered', 'br-3f2a9c1b8d7e: port 1(veth1a2b3c4) entered blocking state',
             'br-3f2a9c1b8d7e: port 1(veth1a2b3c4) entered forwarding state', 'overlayfs: idmapped layers are currently not supported']
    out = []
    up = 0.0
    for l in lines:
        up += RNG.uniform(0.001, 0.4)
        out.append('%s %s kernel: [%12.6f] %s' % (ts, host, up, l))
    return out


def fpm_line(t):
    ts = t.strftime('[%d-%b-%Y %H:%M:%S]')
    k = RNG.randrange(8)
    p = pid()
    pool = RNG.choice(['www', 'www', 'shop', 'api'])
    if k < 3:
        return '%s NOTICE: [pool %s] child %d started' % (ts, pool, p)
    if k < 5:
        return '%s NOTICE: [pool %s] child %d exited with code 0 after %d.%06d seconds from start' % (ts, pool, p, RNG.randint(30, 7200), RNG.randint(0, 999999))
    if k == 5:
        return '%s NOTICE: Reloading in progress ...' % ts
    if k == 6:
        return '%s NOTICE: using inherited socket fd=%d, "/run/php/php8.2-fpm.sock"' % (ts, RNG.randint(7, 9))
    return '%s NOTICE: ready to handle connections' % ts


def fpm_start(t):
    ts = t.strftime('[%d-%b-%Y %H:%M:%S]')
    return ['%s NOTICE: fpm is running, pid %d' % (ts, pid()), '%s NOTICE: ready to handle connections' % ts,
            '%s NOTICE: systemd monitor interval set to 10000ms' % ts]


PG_Q = ['SELECT id, total FROM orders WHERE customer_id = $1', 'UPDATE carts SET updated_at = now() WHERE id = $1',
        'INSERT INTO events (kind, payload) VALUES ($1, $2)', 'SELECT count(*) FROM sessions WHERE expires_at > now()']


def pg_line(t):
    ts = t.strftime('%Y-%m-%d %H:%M:%S.') + '%03d UTC' % RNG.randint(0, 999)
    p = pid()
    ip = RNG.choice(LAN)
    port = RNG.randint(32768, 60999)
    k = RNG.randrange(9)
    if k == 0:
        return '%s [%d] LOG:  checkpoint starting: time' % (ts, 812)
    if k == 1:
        b = RNG.randint(10, 9000)
        return '%s [%d] LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=%d.%03d s, sync=0.%03d s, total=%d.%03d s; sync files=%d, longest=0.%03d s, average=0.001 s; distance=%d kB, estimate=%d kB' % (
            ts, 812, b, b / 163.84, RNG.randint(0, 3), RNG.randint(1, 269), RNG.randint(0, 999), RNG.randint(0, 99), RNG.randint(1, 270), RNG.randint(0, 999), RNG.randint(3, 90), RNG.randint(0, 99), RNG.randint(100, 90000), RNG.randint(90000, 120000))
    if k == 2:
        return '%s [%d] [unknown]@[unknown] LOG:  connection received: host=%s port=%d' % (ts, p, ip, port)
    if k == 3:
        return '%s [%d] app@shop LOG:  connection authorized: user=app database=shop application_name=%s' % (ts, p, RNG.choice(['psql', 'shop-web', 'shop-worker']))
    if k == 4:
        return '%s [%d] app@shop LOG:  disconnection: session time: 0:%02d:%02d.%03d user=app database=shop host=%s port=%d' % (ts, p, RNG.randint(0, 59), RNG.randint(0, 59), RNG.randint(0, 999), ip, port)
    if k == 5:
        return '%s [%d] LOG:  automatic vacuum of table "shop.public.%s": index scans: 1' % (ts, p, RNG.choice(['orders', 'carts', 'sessions', 'events']))
    if k == 6:
        return '%s [%d] LOG:  automatic analyze of table "shop.public.%s"' % (ts, p, RNG.choice(['orders', 'carts', 'sessions', 'events']))
    if k == 7:
        return '%s [%d] app@shop LOG:  duration: %d.%03d ms  statement: %s' % (ts, p, RNG.randint(250, 900), RNG.randint(0, 999), RNG.choice(PG_Q))
    return '%s [%d] app@shop LOG:  duration: %d.%03d ms  execute <unnamed>: %s' % (ts, p, RNG.randint(250, 900), RNG.randint(0, 999), RNG.choice(PG_Q))


def pg_start(t):
    ts = t.strftime('%Y-%m-%d %H:%M:%S.') + '101 UTC'
    return ['%s [812] LOG:  starting PostgreSQL 15.10 (Debian 15.10-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit' % ts,
            '%s [812] LOG:  listening on IPv4 address "127.0.0.1", port 5432' % ts,
            '%s [812] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"' % ts,
            '%s [815] LOG:  database system was shut down at 2026-11-23 06:20:11 UTC' % ts,
            '%s [812] LOG:  database system is ready to accept connections' % ts]


MARIA_START = ['Starting MariaDB 10.11.6-MariaDB-0+deb12u1 source revision fecd78b83785d5ae96f2c6ff340375be803cd299 as process 812',
               'InnoDB: Compressed tables use zlib 1.2.13', 'InnoDB: Number of transaction pools: 1',
               'InnoDB: Using crc32 + pclmulqdq instructions', 'InnoDB: Using liburing',
               'InnoDB: Initializing buffer pool, total size = 1.000GiB, chunk size = 16.000MiB',
               'InnoDB: Completed initialization of buffer pool', 'InnoDB: File system buffers for log disabled (block size=512 bytes)',
               'InnoDB: 128 rollback segments are active.', 'InnoDB: Setting file \'./ibtmp1\' size to 12.000MiB. Physically writing the file full; Please wait ...',
               'InnoDB: File \'./ibtmp1\' size is now 12.000MiB.', 'InnoDB: log sequence number 46590; transaction id 14',
               'InnoDB: Loading buffer pool(s) from /var/lib/mysql/ib_buffer_pool', 'Plugin \'FEEDBACK\' is disabled.',
               'Server socket created on IP: \'127.0.0.1\'.', '/usr/sbin/mariadbd: ready for connections.',
               'InnoDB: Buffer pool(s) load completed at 261123  6:25:03']
MARIA_STOP = ['/usr/sbin/mariadbd (initiated by: unknown): Normal shutdown', 'InnoDB: FTS optimize thread exiting.',
              'InnoDB: Starting shutdown...', 'InnoDB: Dumping buffer pool(s) to /var/lib/mysql/ib_buffer_pool',
              'InnoDB: Buffer pool(s) dump completed at 261123  6:20:10', 'InnoDB: Shutdown completed; log sequence number 46590; transaction id 15',
              '/usr/sbin/mariadbd: Shutdown complete']
MYSQL8 = ['[System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.40) starting as process 1',
          '[System] [MY-013576] [InnoDB] InnoDB initialization has started.',
          '[System] [MY-013577] [InnoDB] InnoDB initialization has ended.',
          '[Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.',
          '[System] [MY-013602] [Server] Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.',
          '[System] [MY-011323] [Server] X Plugin ready for connections. Bind-address: \'::\' port: 33060, socket: /var/run/mysqld/mysqlx.sock',
          '[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: \'8.0.40\'  socket: \'/var/run/mysqld/mysqld.sock\'  port: 3306  MySQL Community Server - GPL.',
          '[System] [MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.0.40).',
          '[System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.40)  MySQL Community Server - GPL.']


def maria_ts(t):
    return t.strftime('%Y-%m-%d ') + ('%2d' % t.hour) + t.strftime(':%M:%S')


def mysql_corpus(clock):
    out = []
    for cycle in range(9):
        t = clock.tick(60, 600)
        for l in MARIA_START:
            out.append('%s 0 [Note] %s' % (maria_ts(t), l))
        out.append("Version: '10.11.6-MariaDB-0+deb12u1'  socket: '/run/mysqld/mysqld.sock'  port: 3306  Debian 12")
        t = clock.tick(600, 3600)
        for l in MARIA_STOP:
            out.append('%s 0 [Note] %s' % (maria_ts(t), l))
        t = clock.tick(5, 60)
        for i, l in enumerate(MYSQL8):
            if i == 7:
                t = clock.tick(600, 3600)
            out.append('%sZ %d %s' % (t.strftime('%Y-%m-%dT%H:%M:%S.') + '%06d' % (1000 + 91000 * i), 1 if 1 <= i <= 2 else 0, l))
    return out


def redis_line(t, role='M', p=812):
    ts = '%d:%s %s.%03d' % (p, role, t.strftime('%d %b %Y %H:%M:%S'), RNG.randint(0, 999))
    child = '%d:C %s.%03d' % (pid(), t.strftime('%d %b %Y %H:%M:%S'), RNG.randint(0, 999))
    k = RNG.randrange(6)
    if k == 0:
        return ['%s * %d changes in %d seconds. Saving...' % (ts, RNG.choice([1, 100, 10000]), RNG.choice([60, 300, 3600])),
                '%s * Background saving started by pid %d' % (ts, pid()),
                '%s * DB saved on disk' % child,
                '%s * Fork CoW for RDB: current %d MB, peak %d MB, average %d MB' % (child, RNG.randint(0, 4), RNG.randint(0, 8), RNG.randint(0, 4)),
                '%s * Background saving terminated with success' % ts]
    if k == 1:
        return ['%s * Background append only file rewriting started by pid %d' % (ts, pid()),
                '%s * Successfully created the temporary AOF base file temp-rewriteaof-bg-%d.aof' % (child, pid()),
                '%s * Background AOF rewrite terminated with success' % ts,
                '%s * Background AOF rewrite finished successfully' % ts]
    if k == 2:
        return ['%s * Replica 10.0.0.9:6379 asks for synchronization' % ts,
                "%s * Partial resynchronization request from 10.0.0.9:6379 accepted. Sending %d bytes of backlog starting from offset %d." % (ts, RNG.randint(0, 9000), RNG.randint(1, 10 ** 8))]
    if k == 3:
        return ['%s * DB saved on disk' % ts]
    if k == 4:
        return ['%s * Connection with replica 10.0.0.9:6379 lost.' % ts]
    return ['%s * Synchronization with replica 10.0.0.9:6379 succeeded' % ts]


def redis_start(t, p=812):
    ms = iter(range(100, 1000, 7))
    ts = lambda r: '%d:%s %s.%03d' % (p, r, t.strftime('%d %b %Y %H:%M:%S'), next(ms))
    return ['%s # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo' % ts('C'),
            '%s # Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=%d, just started' % (ts('C'), p),
            '%s # Configuration loaded' % ts('C'),
            '%s * monotonic clock: POSIX clock_gettime' % ts('M'),
            '%s * Running mode=standalone, port=6379.' % ts('M'),
            '%s # Server initialized' % ts('M'),
            '%s * Loading RDB produced by version 7.0.15' % ts('M'),
            '%s * RDB age %d seconds' % (ts('M'), RNG.randint(5, 900)),
            '%s * RDB memory usage when created %d.%02d Mb' % (ts('M'), RNG.randint(1, 900), RNG.randint(0, 99)),
            '%s * Done loading RDB, keys loaded: %d, keys expired: %d.' % (ts('M'), RNG.randint(100, 90000), RNG.randint(0, 50)),
            '%s * DB loaded from disk: 0.%03d seconds' % (ts('M'), RNG.randint(1, 999)),
            '%s * Ready to accept connections tcp' % ts('M'),
            '%s * Ready to accept connections unix' % ts('M')]


def redis_replica(t, p=2204):
    ts = '%d:S %s.%03d' % (p, t.strftime('%d %b %Y %H:%M:%S'), RNG.randint(0, 999))
    return ['%s * Connecting to MASTER 10.0.0.8:6379' % ts, '%s * MASTER <-> REPLICA sync started' % ts,
            '%s * Non blocking connect for SYNC fired the event.' % ts, '%s * Master replied to PING, replication can continue...' % ts,
            '%s * Trying a partial resynchronization (request 8f0c2e1d4b5a69788a9b0c1d2e3f4a5b6c7d8e9f:%d).' % (ts, RNG.randint(1, 10 ** 8)),
            "%s * Successful partial resynchronization with master." % ts,
            '%s * MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.' % ts]


def docker_line(t):
    jt = t.strftime('%Y-%m-%dT%H:%M:%S.') + '%09dZ' % RNG.randint(0, 999999999)
    ts = syslog_ts(t)
    cid = '%064x' % RNG.getrandbits(256)
    name, image = RNG.choice([('api', 'myorg/api:1.4'), ('worker', 'myorg/worker:1.4'), ('cache', 'redis:7'), ('proxy', 'nginx:1.25-alpine')])
    k = RNG.randrange(10)
    if k == 0:
        return '%s web-1 dockerd[812]: time="%s" level=info msg="ignoring event" container=%s module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"' % (ts, jt, cid)
    if k == 1:
        return '%s web-1 containerd[640]: time="%s" level=info msg="shim disconnected" id=%s namespace=moby' % (ts, jt, cid)
    if k == 2:
        return '%s web-1 containerd[640]: time="%s" level=info msg="cleaning up after shim disconnected" id=%s namespace=moby' % (ts, jt, cid)
    if k == 3:
        return '%s web-1 containerd[640]: time="%s" level=info msg="loading plugin \\"io.containerd.event.v1.publisher\\"..." runtime=io.containerd.runc.v2 type=io.containerd.event.v1' % (ts, jt)
    if k == 4:
        return '%s container start %s (image=%s, name=%s)' % (jt, cid, image, name)
    if k == 5:
        return '%s container die %s (exitCode=0, image=%s, name=%s)' % (jt, cid, image, name)
    if k == 6:
        return '%s network connect 3f2a9c1b8d7e4a6f9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a (container=%s, name=shop_default, type=bridge)' % (jt, cid)
    if k == 7:
        return '%s container create %s (image=%s, name=%s)' % (jt, cid, image, name)
    if k == 8:
        return '%s web-1 dockerd[812]: time="%s" level=info msg="Container failed to exit within 10s of signal 15 - using the force" container=%s' % (ts, jt, cid[:12]) if RNG.random() < 0.1 else \
               '%s web-1 dockerd[812]: time="%s" level=info msg="API listen on /run/docker.sock"' % (ts, jt)
    return '%s12   %s   "docker-entrypoint.s..."   %d hours ago   Up %d hours   0.0.0.0:%d->%d/tcp   %s' % (cid[:10], image, RNG.randint(2, 40), RNG.randint(1, 2), RNG.choice([8080, 8081, 6380]), RNG.choice([80, 6379]), name)


def docker_start(t):
    jt = t.strftime('%Y-%m-%dT%H:%M:%S.') + '000111222Z'
    ts = syslog_ts(t)
    msgs = ['Starting up', 'libcontainerd: started new containerd process" pid=640', '[graphdriver] using prior storage driver: overlay2',
            'Loading containers: start.', 'Default bridge (docker0) is assigned with an IP address 172.17.0.0/16. Daemon option --bip can be used to set a preferred IP address',
            'Loading containers: done.', 'Docker daemon" commit=311b9ff graphdriver=overlay2 version=24.0.7', 'Daemon has completed initialization',
            'API listen on /run/docker.sock']
    return ['%s web-1 dockerd[812]: time="%s" level=info msg="%s' % (ts, jt, m) + ('' if m.endswith('640') else '"') for m in msgs]


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


def benign():
    c = Clock(T0)
    write('tests/data/benign/host-syslog.log', kernel_boot() + [syslog_line(c.tick()) for _ in range(400)])
    c = Clock(T0)
    write('tests/data/benign/php-fpm.log', fpm_start(c.tick()) + [fpm_line(c.tick(1, 120)) for _ in range(240)])
    c = Clock(T0)
    write('tests/data/benign/postgresql.log', pg_start(c.tick()) + [pg_line(c.tick(1, 30)) for _ in range(300)])
    c = Clock(T0)
    write('tests/data/benign/mariadb-mysql-error.log', mysql_corpus(c))
    c = Clock(T0)
    red = redis_start(c.tick())
    while len(red) < 260:
        red += redis_line(c.tick(10, 300))
    red += redis_replica(c.tick())
    write('tests/data/benign/redis-server.log', red)
    c = Clock(T0)
    write('tests/data/benign/docker.log', docker_start(c.tick()) + [docker_line(c.tick(1, 90)) for _ in range(260)])


# The sample host log tells one morning's story: a brute-force wave on sshd,
# PHP-FPM running out of workers, the OOM killer taking a worker and then
# Redis' background save failing, a disk filling up, a crash-looping unit.
INCIDENTS = [
    (40, ['sshd[23110]: Invalid user admin from 198.51.100.23 port 40212',
          'sshd[23110]: Failed password for invalid user admin from 198.51.100.23 port 40212 ssh2',
          'sshd[23104]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.77  user=root',
          'sshd[23104]: Failed password for root from 203.0.113.77 port 51844 ssh2',
          'sshd[23190]: error: maximum authentication attempts exceeded for root from 203.0.113.77 port 52010 ssh2 [preauth]',
          'sshd[23190]: Disconnecting authenticating user root 203.0.113.77 port 52010: Too many authentication failures [preauth]',
          'sshd[23301]: error: kex_exchange_identification: Connection closed by remote host']),
    (90, ['sshd[23340]: Unable to negotiate with 10.20.0.9 port 41022: no matching host key type found. Their offer: ssh-rsa,ssh-dss [preauth]',
          'sshd[23410]: Authentication refused: bad ownership or modes for directory /home/deploy/.ssh']),
    (140, ['php8.2-fpm[812]: [WARNING] [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 12 total children',
           'php8.2-fpm[812]: [WARNING] [pool www] server reached pm.max_children setting (12), consider raising it',
           'php8.2-fpm[812]: [WARNING] [pool www] child 41234, script \'/var/www/shop/public/index.php\' (request: "POST /index.php?route=checkout") execution timed out (60.112304 sec), terminating']),
    (180, ['kernel: [1834512.117001] php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
           'kernel: [1834512.118199] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/php8.2-fpm.service,task=php-fpm8.2,pid=41301,uid=33',
           'kernel: [1834512.118203] Out of memory: Killed process 41301 (php-fpm8.2) total-vm:812344kB, anon-rss:402112kB, file-rss:0kB, shmem-rss:1024kB, UID:33 pgtables:1100kB oom_score_adj:0',
           'php8.2-fpm[812]: [WARNING] [pool www] child 41301 exited on signal 9 (SIGKILL) after 120.000112 seconds from start',
           'redis-server[905]: Can\'t save in background: fork: Cannot allocate memory']),
    (230, ['kernel: [1835100.210021] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.',
           'kernel: [1835100.300000] nf_conntrack: nf_conntrack: table full, dropping packet']),
    (280, ['systemd[1]: queue-worker.service: Main process exited, code=exited, status=1/FAILURE',
           'systemd[1]: queue-worker.service: Failed with result \'exit-code\'.',
           'systemd[1]: Failed to start queue-worker.service - Shop queue worker.',
           'systemd[1]: queue-worker.service: Scheduled restart job, restart counter is at 5.',
           'systemd[1]: queue-worker.service: Start request repeated too quickly.',
           'systemd[1]: queue-worker.service: Failed with result \'start-limit-hit\'.']),
    (330, ['CRON[51200]: tar: /var/backups/www.tar.gz: Cannot write: No space left on device',
           'dockerd[812]: time="{jt}" level=error msg="Handler for POST /v1.43/containers/create returned error: mkdir /var/lib/docker/overlay2/4e2a9d1c-init/merged: no space left on device"',
           'systemd-journald[312]: Suppressed 4126 messages from nginx.service']),
    (370, ['kernel: [1835200.400100] INFO: task jbd2/vda1-8:312 blocked for more than 120 seconds.',
           'kernel: [1835200.400101] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.']),
]


def samples():
    c = Clock(T0 + datetime.timedelta(hours=1))
    lines = []
    todo = list(INCIDENTS)
    for i in range(420):
        t = c.tick(1, 25)
        if todo and todo[0][0] == i:
            for msg in todo.pop(0)[1]:
                t = c.tick(0, 2)
                jt = t.strftime('%Y-%m-%dT%H:%M:%S.') + '%06d000Z' % t.microsecond
                lines.append('%s web-1 %s' % (syslog_ts(t), msg.replace('{jt}', jt)))
        lines.append(syslog_line(t))
    write('data/samples/syslog', lines)

    # Application-side errors as a PHP shop and its workers log them.
    c = Clock(T0 + datetime.timedelta(hours=1, minutes=10))
    def php_ts():
        return c.tick(5, 200).strftime('[%d-%b-%Y %H:%M:%S UTC]')
    app = [
        '%s PHP Notice:  Only variables should be passed by reference in /var/www/shop/app/Cart.php on line 77' % php_ts(),
        '%s PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [1040] Too many connections in /var/www/shop/app/Db.php:22' % php_ts(),
        '%s PHP Warning:  Undefined array key "coupon" in /var/www/shop/app/Checkout.php on line 203' % php_ts(),
        '%s PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000]: General error: 1205 Lock wait timeout exceeded; try restarting transaction in /var/www/shop/app/Order.php:118' % php_ts(),
        '%s PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/shop/vendor/doctrine/orm/src/UnitOfWork.php on line 2912' % php_ts(),
        '%s PHP Fatal error:  Uncaught Predis\\Response\\ServerException: MISCONF Redis is configured to save RDB snapshots, but it\'s currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error. in /var/www/shop/vendor/predis/predis/src/Client.php:370' % php_ts(),
        '%s PHP Deprecated:  Creation of dynamic property App\\Cart::$legacy is deprecated in /var/www/shop/app/Cart.php on line 31' % php_ts(),
        '%s PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /var/www/shop/app/Export.php on line 91' % php_ts(),
        '%s worker.ERROR: psycopg2.OperationalError: connection to server at "10.0.0.5", port 5432 failed: FATAL:  sorry, too many clients already' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s worker.INFO: job finished {"job":"SendOrderMail","ms":182}' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s worker.ERROR: redis.exceptions.ResponseError: OOM command not allowed when used memory > \'maxmemory\'.' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s worker.INFO: job finished {"job":"RebuildSearchIndex","ms":91822}' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s uptime.WARNING: check=cdn-home url=https://www.example.com/ status=502 body="502 ERROR The request could not be satisfied. CloudFront wasn\'t able to connect to the origin - SSL handshake failed"' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s deploy.ERROR: docker: Error response from daemon: pull access denied for myorg/shop-worker, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied.' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s deploy.INFO: image myorg/shop-web:1.4.2 pulled' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s deploy.ERROR: docker: Error response from daemon: driver failed programming external connectivity on endpoint shop-web (8f2a0c3e1d4b): Bind for 0.0.0.0:8080 failed: port is already allocated.' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
        '%s deploy.ERROR: git@github.com: Permission denied (publickey).' % c.tick().strftime('[%Y-%m-%dT%H:%M:%S+00:00]'),
    ]
    ok = [fpm_line(c.tick(5, 60)) for _ in range(20)]
    mixed = []
    for i, l in enumerate(app):
        mixed.append(l)
        mixed.extend(ok[i:i + 1])
    write('data/samples/app-errors.log', mixed)


if __name__ == '__main__':
    benign()
    samples()
