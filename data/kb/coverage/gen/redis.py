#!/usr/bin/env python3
"""Catalogue the warnings Redis logs, as data/kb/coverage/redis.tsv.

Usage: redis.py GIT_DIR [REF] > data/kb/coverage/redis.tsv

GIT_DIR is a clone of github.com/redis/redis; REF a release tag (default
7.4.1). Every serverLog(LL_WARNING, ...) call in the files below is one
row: level, file:line, format. Record, reason and sample come from the
catalogue already in the repository (matched on file and format) or, for
a message not catalogued before, from the rules in REASONS; a message no
rule covers gets an empty reason, which tests/scenarios/kb_coverage.sh
rejects until someone decides about it.
"""
import os
import re
import subprocess
import sys

PREFIX = "1234:M 01 Dec 2026 10:00:00.000 # "
FILES = ["server.c", "rdb.c", "aof.c", "replication.c", "networking.c",
         "config.c", "acl.c", "evict.c", "module.c", "cluster_legacy.c"]
CALL = re.compile(r"\bserverLog\s*\(\s*LL_WARNING\s*,")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')

INTERNAL = ("not actionable: internal consistency check or a bug report "
            "printed by the crash handler")
ROUTINE = "routine: state change the operator asked for or start-up notice"
CLUSTER = ("uncovered: Redis Cluster state and slot messages; this KB does "
           "not cover cluster mode yet")
MODULE = ("uncovered: a loadable module failed; the module's name and error "
          "are in the message")
REPL = ("uncovered: replication failure between master and replica "
        "(network, AUTH, timeouts, the replica's disk); the replica retries "
        "on its own")
PERSIST = ("uncovered: a persistence file (RDB, AOF, its manifest, the "
           "config or ACL file) could not be opened, written, synced or "
           "renamed; the OS error in the message names the cause")
START = ("uncovered: start-up or configuration problem that the message "
         "names with its setting")
CLIENT = ("not actionable: a misbehaving or hostile client; Redis closes "
          "that connection")
LOAD = ("uncovered: the data set on disk cannot be loaded; redis-check-rdb "
        "or redis-check-aof names the damage")
REASONS = [
    (r"(?i)bug|assert|unexpected|wrong type|corrupt(?:ed)? .* encoding|"
     r"not reached|internal|unknown (?:opcode|type|encoding)|panic|"
     r"stack trace|register|backtrace|------", INTERNAL),
    (r"(?i)cluster|slot|failover|node %|gossip|epoch|myself", CLUSTER),
    (r"(?i)module", MODULE),
    (r"(?i)shutdown|ready to exit|bye bye|user requested|"
     r"Received SIG|SIGTERM|SIGINT|Server initialized|"
     r"DB saved on disk|Saving the final|Killing it|Exit anyway|can't exit|"
     r"Revert incomplete MULTI|AOF reopen|Deprecation warning|Errorstats|"
     r"errors code list|no config file specified|32 bit instance|"
     r"will retry in|Disconnecting timedout replica|loaded anyway|"
     r"Truncating the AOF|short read while loading|detected child|"
     r"Background (?:saving|transfer|AOF rewrite) (?:error|terminated)|"
     r"last replica dropped|IO thread|state machine error|"
     r"CRITICAL ERROR|Last valid command offset|^%s$|^%s\\n$|"
     r"^>>> |at line %d|FATAL AOF MANIFEST", ROUTINE),
    (r"(?i)SECURITY ATTACK|query buffer|disconnecting it|Error accepting|"
     r"inline protocol from master|is sending an error|"
     r"Over client maxmemory|PSYNC with an offset|wrong offset", CLIENT),
    (r"(?i)RDB format|RDB checksum|Wrong signature|duplicated key|"
     r"failed reading hash|Failed loading library|Failed creating function|"
     r"more than %d databases|Unknown command '%s' reading|"
     r"Unrecoverable error reading|rdb file reading failure|"
     r"RDB (?:preamble|base file)|truncated file is not|doesn't exist|"
     r"Failure loading rdb", LOAD),
    (r"(?i)write|fsync|rename|open|create|moving|move|sync|chmod|truncat|"
     r"seek|persist|stat:|length|recover", PERSIST),
    (r"(?i)ulimit|maxclients|open files|NOFILE|listen|TLS|LOCALE|"
     r"event loop|supervision|PID file|config|oom_score_adj|maxmemory|"
     r"ACL|restart|unix socket|somaxconn|enable the AOF|Out Of Memory", START),
]



CONV = re.compile(r"%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
                  r"(?:hh|h|ll|l|z|j|t|L)?([diouxXsScpf%])")
VALUES = {"d": "1", "i": "1", "u": "1", "o": "1", "x": "1f", "X": "1F",
          "s": "example", "S": "example", "c": "x", "p": "0x1", "f": "1.0",
          "%": "%"}


def render(fmt):
    """The format with every conversion replaced by a plain value."""
    text = fmt.replace('\\"', '"').replace("\\n", "").replace("\\t", " ")
    return CONV.sub(lambda m: VALUES[m.group(1)], text).strip()


def git_show(gitdir, ref, path):
    return subprocess.run(["git", "--git-dir", gitdir, "show",
                           "%s:src/%s" % (ref, path)], check=True,
                          capture_output=True, text=True).stdout


def calls(text):
    for m in CALL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        s = text[m.end():].lstrip()
        parts = []
        while True:
            sm = STRING.match(s)
            if sm is None:
                break
            parts.append(sm.group(1))
            s = s[sm.end():].lstrip()
        if parts:
            yield line, "".join(parts)


def load_existing(path):
    known = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            next(f, None)
            for row in f:
                cols = row.rstrip("\n").split("\t")
                if len(cols) == 6:
                    known[(cols[1].split(":")[0], cols[2])] = cols[3:]
    return known


def main():
    gitdir = sys.argv[1]
    ref = sys.argv[2] if len(sys.argv) > 2 else "7.4.1"
    here = os.path.dirname(os.path.abspath(__file__))
    known = load_existing(os.path.join(here, "..", "redis.tsv"))
    print("level\twhere\tformat\trecord\treason\tsample")
    seen = set()
    for path in FILES:
        for line, fmt in calls(git_show(gitdir, ref, path)):
            fmt = fmt.replace("\t", "\\t")
            key = (path, fmt)
            if key in seen:
                continue
            seen.add(key)
            by_file = {"replication.c": REPL, "module.c": MODULE,
                       "cluster_legacy.c": CLUSTER}
            if key not in known and path in by_file:
                known[key] = ["-", by_file[path], ""]
            if key in known:
                record, reason, sample = known[key]
            else:
                record, reason, sample = "-", "", ""
                for rx, why in REASONS:
                    if re.search(rx, fmt):
                        reason = why
                        break
            if not sample:
                sample = PREFIX + render(fmt)
            print("\t".join(["WARNING", "%s:%d" % (path, line), fmt,
                             record, reason, sample]))


if __name__ == "__main__":
    main()
