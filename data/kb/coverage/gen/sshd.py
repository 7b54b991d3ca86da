#!/usr/bin/env python3
"""Catalogue the messages OpenSSH's sshd logs about authentication and
connections, as data/kb/coverage/sshd.tsv.

Usage: sshd.py GIT_DIR [REF] > data/kb/coverage/sshd.tsv

GIT_DIR is a clone of openssh-portable (bare or not); REF a release tag
(default V_10_5_P1). The script reads the listed files with `git show`,
finds every logging call at INFO level or above (logit, verbose, error,
fatal, logdie, do_log2 and their _f/_fr forms) and prints one row per
call: level, file:line, format. The record, reason and sample columns come
from the catalogue already in the repository (data/kb/coverage/sshd.tsv,
matched on file and format, so line moves between releases keep them) or,
for a message not catalogued before, from the rules in REASONS below; a
message no rule covers is printed with an empty reason, which
tests/scenarios/kb_coverage.sh rejects until someone decides about it.
Rows of the catalogue whose file is not in FILES (older releases'
wordings, tcp_wrappers) were written by hand and are printed unchanged
after the others.
"""
import os
import re
import subprocess
import sys

PREFIX = "Dec  1 10:00:00 host sshd[1234]: "
FILES = ["auth.c", "auth2.c", "auth2-chall.c", "auth2-hostbased.c",
         "auth2-kbdint.c", "auth2-none.c", "auth2-passwd.c",
         "auth2-pubkey.c", "auth2-pubkeyfile.c", "auth-pam.c",
         "auth-passwd.c", "auth-rhosts.c", "kex.c", "packet.c",
         "serverloop.c", "sshd.c", "sshd-auth.c", "sshd-session.c"]

LEVELS = {"logit": "INFO", "verbose": "VERBOSE", "error": "ERROR",
          "fatal": "FATAL", "logdie": "FATAL"}
CALL = re.compile(r"\b(logit|verbose|error|fatal|logdie|do_log2)(_fr|_f|_r)?\s*\(")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')

# Messages left without a record, by rule: (regex on the format, reason).
# The first rule that matches gives the reason.
INTERNAL = ("not actionable: internal consistency or resource check of "
            "sshd itself, logged with its function name")
PEER = ("not actionable: malformed, hostile or incompatible input from the "
        "client; sshd drops that one connection")
ROUTINE = ("routine: end of a connection or session bookkeeping; the "
           "failures that matter are logged on their own (Failed, Invalid "
           "user, maximum authentication attempts)")
UNCOVERED = ("uncovered: start-up or configuration error that `sshd -t` "
             "names with its setting; sshd does not start, see "
             "systemd/failed-to-start-unit")
REASONS = [
    (r"INTERNAL|Internal error|should not be executed directly|"
     r"not supported|dup2|setitimer|pledge|sign failed|ssh_digest|rexec|"
     r"kill\(|waitpid|sigprocmask|bsigset|ppoll|npfd|remote_id|"
     r"too many (?:hostkeys|environment|PAM env|query|replies|glob)|"
     r"no (?:authctxt|kbdintctxt|device|kex|hostkeys|session ID)|"
     r"wrong number|requested twice|called twice|bad size|bad length|"
     r"should have exited|config buf|MAX_LISTEN_SOCKS|sshkey_fingerprint|"
     r"fingerprint fail|percent_expand|vasprintf|hostkey (?:loader|verifier)|"
     r"KEX hash|KDF failed|already have session|cannot load cipher|"
     r"proposal missing|kex_names_cat|sshkey_alg_list|match_filter|"
     r"kex_prop2buf|unknown kex type|stdfd_devnull|Unable to create connection|"
     r"privsep_preauth|login grace time|environment variables|"
     r"PAM account status|NULL authentication method|auth_method_info|"
     r"method not in AuthenticationMethods|sshauthopt_new|"
     r"failed to restrict session|unknown host %s key|can't retrieve hostkey|"
     r"no/invalid user|password length too long|expected one response|"
     r"conversation function|pam_putenv|PAM: %s called when|"
     r"PAM: initiali[sz]ation|set PAM_CONV|create sockets|"
     r"authentication thread|could not set TZ|accepted connection when all",
     INTERNAL),
    (r"EXT_INFO|nul byte|Bad packet length|padding error|Corrupted MAC|"
     r"non-transport message|seqnr wraps|Bad remote protocol version|"
     r"Protocol major versions differ|banner line|invalid protocol identifier|"
     r"No SSH version received|probed from|scanned from|Finished discarding|"
     r"unsupported (?:cipher|MAC|compression|KEX|hostkey|public key)|"
     r"type %u seq|cannot decode key|key type mismatch|refusing previously|"
     r"Username too long|PAM user mismatch|does not match previous|"
     r"RekeyLimit exceeded|invalid (?:target|originator) port|"
     r"not in (?:Pubkey|Hostbased)AcceptedAlgorithms|"
     r"Nasty PTR|reverse mapping checking|does not map back",
     PEER),
    (r"Transferred:|Closing connection|User child is on pid|active startups|"
     r"child %d: fd|^Disconnecting %s|^Connection closed by|"
     r"^Disconnected from|^Connection reset by|Timeout, client not responding|"
     r"terminating inactive|Read error from remote host|Root login accepted|"
     r"password change not supported|-r option|^Connection %s %s timed out|"
     r"timed out during banner exchange|killed by signal|"
     r"Timeout before authentication|logging rate-limited|"
     r"refused (?:local|streamlocal) port forward|Connection closed by remote host|"
     r"^%s: read: |^%s: write: ",
     ROUTINE),
    (r"must be owned by root|Privilege separation user|AuthorizedKeysCommand|"
     r"AuthorizedPrincipalsCommand|AuthenticationMethods|absolute path|"
     r"Invalid (?:Deny|Allow)Users pattern|Configuration file is too large|"
     r"Config test connection|does not exist or is not executable|"
     r"routing domain|Couldn't create pid file|Certificate file is not|"
     r"No matching private key for certificate|does not match private key|"
     r"Inconsistent authentication options|daemon\(\) failed|chroot|chdir|"
     r"setgroups|setsid|^socket:|^listen on|getnameinfo|^accept:|"
     r"setsockopt|RESTART FAILED|Authentication methods list|"
     r"Certificate source-address invalid|^ppoll:",
     UNCOVERED),
    (r"sshbuf|buffer|xmalloc|alloc|parse|unpack|compose|"
     r"sshpkt_|packet_|%s: %s|mm_|monitor|recv|send|_init|"
     r"not initiali[sz]ed|unexpected|internal|bad (?:type|state)|"
     r"inconsistent|strdup|pipe|socketpair|fork",
     "not actionable: internal consistency or resource check of sshd "
     "itself, logged with its function name"),
    (r"^Accepted |^Partial |^Postponed |session opened|Starting session|"
     r"^Server listening|^Received signal|^Received SIGHUP|^Connection from",
     "routine: normal operation"),
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
                           "%s:%s" % (ref, path)], check=True,
                          capture_output=True, text=True).stdout


def calls(text):
    """Yield (line, function, suffix, first argument strings) per call."""
    for m in CALL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        # The argument list up to the matching parenthesis.
        depth, i = 1, m.end()
        while i < len(text) and depth:
            c = text[i]
            if c == '"':
                j = i + 1
                while text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                i = j
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        args = text[m.end():i - 1]
        yield line, m.group(1), m.group(2) or "", args


def format_of(func, suffix, args):
    level = LEVELS.get(func)
    if func == "do_log2" and suffix in ("_r", "_fr"):
        args = args.split(",", 1)[1]     # the ssh error code comes first
    if func == "do_log2":
        lm = re.match(r"\s*SYSLOG_LEVEL_(\w+)\s*,", args)
        if lm is None:          # a level computed at run time
            lm = re.match(r"\s*(\w+)\s*,", args)
            level = "VARIES"
        else:
            level = lm.group(1)
        args = args[lm.end():] if lm else args[args.find('"'):]
    # Adjacent literals at the start of the argument list form the format.
    s = args.lstrip()
    parts = []
    while True:
        sm = STRING.match(s)
        if sm is None:
            break
        parts.append(sm.group(1))
        s = s[sm.end():].lstrip()
    if not parts:
        return level, None
    return level, "".join(parts)


# auth_log() in auth.c writes one format for every outcome and method:
# "%s %s%s%s for ..." with the outcome, the method and "/submethod". One
# row per outcome and method an operator sees; the level is INFO for
# failures of invalid users, password and repeated failures, else VERBOSE.
AUTH_LOG = "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s"
OUTCOMES = ["Failed", "Accepted", "Partial", "Postponed"]
METHODS = ["password", "keyboard-interactive/pam", "keyboard-interactive",
           "publickey", "hostbased", "gssapi-with-mic", "none"]


def expand(path, level, fmt):
    if path != "auth.c" or fmt != AUTH_LOG:
        return [(level, fmt)]
    rows = []
    for outcome in OUTCOMES:
        for method in METHODS:
            if outcome != "Failed" and method == "none":
                continue
            rows.append(("INFO" if outcome == "Failed" or method == "password"
                         else "VERBOSE",
                         "%s %s for %%s%%.100s from %%.200s port %%d ssh2%%s%%s"
                         % (outcome, method)))
    return rows


def load_rows(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        next(f, None)
        return [cols for cols in (row.rstrip("\n").split("\t") for row in f)
                if len(cols) == 6]


def load_existing(path):
    known = {}
    if not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        next(f, None)
        for row in f:
            cols = row.rstrip("\n").split("\t")
            if len(cols) == 6:
                where = cols[1].split(":")[0]
                known[(where, cols[2])] = cols[3:]
    return known


def main():
    gitdir = sys.argv[1]
    ref = sys.argv[2] if len(sys.argv) > 2 else "V_10_5_P1"
    here = os.path.dirname(os.path.abspath(__file__))
    known = load_existing(os.path.join(here, "..", "sshd.tsv"))
    print("level\twhere\tformat\trecord\treason\tsample")
    seen = set()
    for path in FILES:
        for line, func, suffix, args in calls(git_show(gitdir, ref, path)):
            level, fmt = format_of(func, suffix, args)
            if fmt is None:
                continue
            if suffix in ("_f", "_fr"):      # error_f: "func: " in front
                fmt = "%s: " + fmt
            if suffix in ("_r", "_fr"):      # and ": ssh_err(r)" behind
                fmt += ": %s"
            for lvl, f in expand(path, level, fmt):
                key = (path, f)
                if key in seen:
                    continue
                seen.add(key)
                if key in known:
                    record, reason, sample = known[key]
                else:
                    record, reason, sample = "-", "", ""
                    for rx, why in REASONS:
                        if re.search(rx, f):
                            reason = why
                            break
                if not sample:
                    sample = PREFIX + {"ERROR": "error: ", "FATAL": "fatal: "}.get(
                        lvl, "") + render(f)
                print("\t".join([lvl, "%s:%d" % (path, line), f,
                                 record, reason, sample]))
    # Rows for messages outside FILES at REF (an older release's wording,
    # tcp_wrappers' refuse()) were written by hand: keep them as they are.
    for row in load_rows(os.path.join(here, "..", "sshd.tsv")):
        if row[1].split(":")[0] not in FILES:
            print("\t".join(row))


if __name__ == "__main__":
    main()
