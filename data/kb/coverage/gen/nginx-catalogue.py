#!/usr/bin/env python3
"""Build data/kb/coverage/nginx.tsv from an nginx source tree.

Usage: nginx-catalogue.py GIT_DIR TAG FIXWATCH KB OUT_TSV

Reads src/{core,event,http,stream,mail}/*.c of nginx at TAG with `git show`
(no work tree needed), collects every ngx_log_error()/ngx_ssl_error() call
whose level is NGX_LOG_ERR, NGX_LOG_CRIT, NGX_LOG_ALERT or NGX_LOG_EMERG and
every ngx_connection_error() call (logged at error level on an upstream or
client connection for the usual errnos), and writes one row per distinct
(level, file, format). A call whose level is a variable is listed at each
level the source makes plain (see variable_levels()). Only the message
formats are kept.

Each format is rendered into a sample line with the prefix and context nginx
adds (`*N` connection number, `while ACTION`, `client:`/`server:`/... for
the http, stream and mail modules), using gen/nginx-context.tsv for the
action and errno a call site uses. The sample is matched against the KB with
`fixwatch scan --match all`; the first record that matches fills `record`.
Rows no record matches take the reason of the first rule of
gen/nginx-reasons.tsv that fits, else keep the reason the same row (level,
file and format) had in OUT_TSV before, else get "no record yet".
"""

import json
import os
import re
import subprocess
import sys

LEVELS = {"NGX_LOG_EMERG": "emerg", "NGX_LOG_ALERT": "alert",
          "NGX_LOG_CRIT": "crit", "NGX_LOG_ERR": "error"}
AREAS = ("src/core/", "src/event/", "src/http/", "src/stream/", "src/mail/", "src/os/unix/")
HEADER = "level\twhere\tformat\trecord\treason\tsample"

ERRNO = {23: "Too many open files in system", 2: "No such file or directory", 13: "Permission denied",
         24: "Too many open files", 28: "No space left on device",
         32: "Broken pipe", 98: "Address already in use",
         99: "Cannot assign requested address", 104: "Connection reset by peer",
         110: "Connection timed out", 111: "Connection refused",
         113: "No route to host", 12: "Cannot allocate memory",
         22: "Invalid argument", 11: "Resource temporarily unavailable",
         1: "Operation not permitted", 17: "File exists", 20: "Not a directory",
         97: "Address family not supported by protocol",
         9: "Bad file descriptor", 3: "No such process", 4: "Interrupted system call",
         36: "File name too long", 103: "Software caused connection abort"}


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir] + list(args),
                          check=True, capture_output=True, text=True).stdout


def split_args(text, start):
    """Split the argument list that begins after '(' at text[start]."""
    args, depth, cur, i = [], 0, [], start
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c == "'":
            j = text.index("'", i + 2 if text[i + 1] == "\\" else i + 1)
            if text[i + 1] == "\\":
                j = text.index("'", i + 3)
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append("".join(cur).strip())
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return None


def strip_comments(src):
    src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
    return src


def format_of(expr, macros):
    """Concatenate string literals and *_n macros; None if not static."""
    out = []
    for tok in re.findall(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\S', expr):
        if tok.startswith('"'):
            out.append(tok[1:-1])
        elif tok in macros:
            out.append(macros[tok])
        else:
            return None
    return "".join(out)


def c_unescape(s):
    return (s.replace('\\"', '"').replace("\\t", "\t").replace("\\n", "\n")
            .replace("\\\\", "\\"))


SPEC = re.compile(r"%([0-9]*)(\.[0-9]+|\.\*)?(\*)?([umXxlz]*)([VvsOTMzidlDpcZNrPe%])")


def render(fmt, values):
    it = iter(values)

    def sub(m):
        conv = m.group(5)
        if conv == "%":
            return "%"
        if conv in "ZN":
            return ""
        if conv == "c":
            return "x"
        if conv == "p":
            return "00005581A2C3D4E0"
        if conv in "Vvs":
            return next(it, "example")
        if "x" in m.group(4) or "X" in m.group(4):
            return "1f"
        if m.group(4).startswith("m") or conv == "M":
            return "60000"
        return "3"
    return SPEC.sub(sub, fmt)


def string_values(fmt):
    """Plausible values for each %V/%s in order, from the surrounding text."""
    vals = []
    for m in SPEC.finditer(fmt):
        if m.group(5) not in "Vvs":
            continue
        before = fmt[:m.start()].rstrip('"\\ ')
        word = before.split()[-1].lower() if before.split() else ""
        if fmt[m.start() - 1:m.start()] == '"':
            if "host" in word or "resolve" in word:
                vals.append("backend.example.com")
            elif "user" in word or "getpwnam" in word:
                vals.append("www-data")
            elif "group" in word or "getgrnam" in word:
                vals.append("www-data")
            else:
                vals.append("/var/www/example.com/index.html")
        elif "()" in word or word.endswith("_"):
            vals.append("example")
        else:
            vals.append("example")
    return vals


# Levels that are a variable set from a directive or a default, as the source
# sets them: the resolver's log level (ngx_resolver_create(): NGX_LOG_ERR),
# limit_conn_log_level and limit_req_log_level (default error). A delay of
# limit_req is logged one level below limit_req_log_level (warn by default)
# and a temporary file's notice at warn or notice: below the catalogue.
MEMBER_LEVELS = {"r->log_level": ["error"], "lccf->log_level": ["error"],
                 "lrcf->limit_log_level": ["error"], "lrcf->delay_log_level": [],
                 "tf->log_level": []}
ASSIGN = re.compile(r"\blevel\s*=\s*(NGX_LOG_[A-Z]+)\s*;")


def variable_levels(src, pos, expr):
    """The catalogued levels a call whose level is EXPR can log at: the
    defaults above, or for a local `level` every `level = NGX_LOG_X;` in
    the enclosing function before the call (a switch on the errno, as the
    static module's 404 is NGX_LOG_ERR and other errors NGX_LOG_CRIT).
    None when the source does not make it plain (a wrapper's parameter)."""
    expr = expr.strip()
    if expr in MEMBER_LEVELS:
        return MEMBER_LEVELS[expr]
    if expr != "level":
        return None
    start = src.rfind("\n{", 0, pos)
    found = []
    for m in ASSIGN.finditer(src, start if start >= 0 else 0, pos):
        lv = LEVELS.get(m.group(1))
        if lv and lv not in found:
            found.append(lv)
    if not ASSIGN.search(src, start if start >= 0 else 0, pos):
        return None
    return found


def load_context(path):
    ctx = {}
    if not os.path.exists(path):
        return ctx
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            c += [""] * (5 - len(c))
            ctx[c[0]] = (c[1], c[2], c[3], c[4])
    return ctx


CONST_ERRNO = {23: "Too many open files in system", "NGX_ETIMEDOUT": 110, "NGX_ECONNREFUSED": 111, "NGX_ECONNRESET": 104,
               "NGX_ENOENT": 2, "NGX_EACCES": 13, "NGX_EPERM": 1, "NGX_ENOSPC": 28,
               "NGX_EEXIST": 17, "NGX_ENOTDIR": 20, "NGX_EINVAL": 22, "NGX_EPIPE": 32,
               "NGX_EMFILE": 24, "NGX_ENFILE": 23, "NGX_EAGAIN": 11, "NGX_EHOSTUNREACH": 113}


def sample_for(level, where, fmt, has_err, ctx):
    action, err, message, after = ("", "", "", "")
    for key in ("%s [%s] %s" % (where, level, fmt), "[%s] %s" % (level, fmt), fmt):
        if key in ctx:
            action, err, message, after = ctx[key]
            break
    ssl = ""
    if " (SSL: " in message:
        # A realistic OpenSSL queue given with the message goes after the errno.
        message, ssl = message.split(" (SSL: ", 1)
        ssl = " (SSL: " + ssl
    if not err and has_err in CONST_ERRNO:
        err = str(CONST_ERRNO[has_err])
    # A configuration file and line (" in %s:%ui") is the file nginx read.
    fmt_r = fmt.replace(" in %s:%ui", " in /etc/nginx/sites-enabled/example.conf:12")
    text = message or render(fmt_r, string_values(fmt_r))
    if err:
        n = int(err)
        text += " (%d: %s)" % (n, ERRNO.get(n, "Unknown error"))
    elif has_err:
        text += (" (2: No such file or directory)" if re.search(r"open|stat|not found", fmt)
                 else " (22: Invalid argument)")
    text += ssl
    if where.startswith("ngx_event_openssl") or "SSL_" in fmt:
        pass
    conn = ""
    tail = ""
    area = where.split("/")[0]
    if area == "os":
        area = "http" if action else "core"
    if level == "emerg" and not action:
        # emerg messages come from reading the configuration or starting
        # the processes, outside any connection.
        area = "core"
    if area == "http":
        conn = "*5 "
        if action:
            tail += " while " + action
        tail += ', client: 203.0.113.5, server: example.com, request: "GET /index.html HTTP/1.1"'
        if "upstream" in where or "proxy" in where or "fastcgi" in where or "uwsgi" in where \
                or "scgi" in where or "grpc" in where or "upstream" in action:
            tail += ', upstream: "http://127.0.0.1:8080/index.html"'
        tail += ', host: "example.com"'
    elif area in ("stream", "mail"):
        conn = "*5 "
        if action:
            tail += " while " + action
        tail += ", client: 203.0.113.5, server: 0.0.0.0:%s" % ("443" if area == "stream" else "25")
        if area == "stream" and ("proxy" in where or "upstream" in where):
            tail += ', upstream: "127.0.0.1:8080"'
    else:
        if action:
            tail += " while " + action
        # The context the call site's own log handler appends (OCSP's
        # responder, a connection's client before any request).
        tail += after
        if ", client: " in after:
            conn = "*5 "
    line = "2026/12/01 10:00:00 [%s] 1234#1234: %s%s%s" % (level, conn, c_unescape(text), tail)
    return line.replace("\t", " ").replace("\n", " ")


def main():
    gitdir, tag, fixwatch, kb, out = sys.argv[1:6]
    here = os.path.dirname(os.path.abspath(__file__))
    ctx = load_context(os.path.join(here, "nginx-context.tsv"))
    rules = []
    with open(os.path.join(here, "nginx-reasons.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                c = line.rstrip("\n").split("\t")
                lv = set(c[2].split(",")) if len(c) > 2 and c[2] else None
                rules.append((re.compile(c[0]), c[1], lv))
    files = [f for f in git(gitdir, "ls-tree", "-r", "--name-only", tag).split()
             if f.startswith(AREAS) and f.endswith(".c")]
    macros = {}
    for f in git(gitdir, "ls-tree", "-r", "--name-only", tag).split():
        if (f.startswith("src/os/unix/") or f.startswith(AREAS)) and f.endswith(".h"):
            for m in re.finditer(r'#define\s+(ngx_\w+_n)\s+"([^"]*)"',
                                 git(gitdir, "show", "%s:%s" % (tag, f))):
                macros.setdefault(m.group(1), m.group(2))
    rows, seen, skipped, resolved = [], set(), 0, 0
    call = re.compile(r"\b(ngx_log_error|ngx_ssl_error|ngx_connection_error)\s*\(")
    for f in files:
        src = strip_comments(git(gitdir, "show", "%s:%s" % (tag, f)))
        for m in call.finditer(src):
            args = split_args(src, m.end())
            if args is None:
                continue
            if m.group(1) == "ngx_connection_error":
                levels, err, fexpr = ["error"], args[1], ",".join(args[2:])
            else:
                if len(args) < 4:
                    skipped += 1
                    continue
                if args[0] in LEVELS:
                    levels = [LEVELS[args[0]]]
                elif args[0].startswith("NGX_LOG_"):
                    continue
                else:
                    levels = variable_levels(src, m.start(), args[0])
                    if levels is None:
                        skipped += 1
                        continue
                    resolved += 1
                err, fexpr = args[2], args[3]
            fmt = format_of(fexpr, macros)
            if fmt is None:
                skipped += 1
                continue
            where = f[len("src/"):]
            for level in levels:
                key = (level, where, fmt)
                if key in seen:
                    continue
                seen.add(key)
                if m.group(1) == "ngx_ssl_error":
                    fmt_shown = fmt + " (SSL: ...)"
                else:
                    fmt_shown = fmt
                rows.append([level, where, fmt_shown, err.strip() if err.strip() != "0" else "", fmt])
    old = {}
    if os.path.exists(out):
        with open(out, encoding="utf-8") as fh:
            for line in fh.read().splitlines()[1:]:
                c = line.split("\t")
                if len(c) == 6 and c[3] == "-":
                    old[(c[0], c[1], c[2])] = c[4]
    samples = []
    for r in rows:
        s = sample_for(r[0], r[1], r[4], r[3], ctx)
        if r[2].endswith(" (SSL: ...)") and " (SSL: " not in s:
            # ngx_ssl_error() appends the queue to the message, before the
            # log handler's " while ACTION" and request context.
            cuts = [i for i in (s.find(" while "), s.find(", client:")) if i >= 0]
            s_ssl = s[:min(cuts)] if cuts else s
            rest = s[len(s_ssl):]
            s = s_ssl + " (SSL: error:0A000126:SSL routines::unexpected eof while reading)" + rest
        samples.append(s)
    res = subprocess.run([fixwatch, "scan", "-k", kb, "--match", "all", "-"],
                         input="\n".join(samples) + "\n", capture_output=True, text=True)
    hit = {}
    for line in res.stdout.splitlines():
        a = json.loads(line)
        hit.setdefault(a["source"]["line_no"], a["id"])
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n")
        order = sorted(range(len(rows)), key=lambda i: (rows[i][1], rows[i][0], rows[i][2]))
        for i in order:
            level, where, fmt_shown = rows[i][0], rows[i][1], rows[i][2]
            rec = hit.get(i + 1, "-")
            reason = ""
            if rec == "-":
                reason = old.get((level, where, fmt_shown), "no record yet")
                for rx, why, lv in rules:
                    if (lv is None or level in lv) and rx.search(where + "\t" + fmt_shown):
                        reason = why
                        break
            fmt_cell = fmt_shown.replace("\t", "\\t").replace("\n", "\\n")
            fh.write("\t".join([level, where, fmt_cell, rec, reason, samples[i]]) + "\n")
    print("%d rows, %d covered, %d calls with a variable level resolved, "
          "%d calls with a non-static level or format skipped"
          % (len(rows), len(hit), resolved, skipped), file=sys.stderr)


if __name__ == "__main__":
    main()
