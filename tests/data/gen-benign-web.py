#!/usr/bin/env python3
"""Writes the benign web-host corpora under tests/data/benign/.

Ordinary lines of the logs the nginx, aws (CloudFront), tls and certbot
records are written for: 2xx/3xx access lines (with "502"/"504" and the like
in URLs, referrers and byte counts on purpose), start-up and routine
notice/info lines, successful TLS sessions and certbot runs with nothing to
do. The knowledge base must give no match on any of them.

Deterministic (fixed seed): run it from the top of the source tree and the
files come out byte for byte the same.
"""
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "benign")
rnd = random.Random(20261123)

IPS = ["203.0.113.%d" % i for i in (7, 23, 44, 81, 99, 120, 201)] + \
      ["198.51.100.%d" % i for i in (2, 4, 9, 12, 17, 33, 61, 77)] + \
      ["192.0.2.%d" % i for i in (5, 10, 44)] + ["2001:db8::%x" % i for i in (15, 502, 504)]
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
       "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
       "curl/7.88.1", "Go-http-client/2.0", "python-requests/2.31.0", "Amazon CloudFront",
       "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
       "Prometheus/2.45.0", "kube-probe/1.28"]
PATHS = ["/", "/index.html", "/about", "/blog/2026/11/why-502-errors-happen", "/docs/errors/504",
         "/api/v1/items?page=2", "/api/v1/items/502", "/api/v1/orders/499/status", "/assets/app.7f3a1c.js",
         "/assets/site.413.css", "/img/logo.svg", "/img/banner-504x200.png", "/health", "/metrics",
         "/search?q=upstream+timed+out", "/login", "/cart", "/products/503-blue-mug", "/favicon.ico",
         "/robots.txt", "/sitemap.xml", "/.well-known/acme-challenge/m9HqS4cR2k7TfA0yZ1xWbV3uN8pL5oD6eJ2iG4hK1sQ"]
REFS = ["-", "https://www.example.com/", "https://www.google.com/", "https://www.example.com/status/502",
        "https://shop.example.com/cart?step=504", "https://news.example.org/?id=413"]
MON = ["Nov"]


def ts_access(i):
    s = 8 * 3600 + i * 7
    return "23/Nov/2026:%02d:%02d:%02d +0000" % (s // 3600, s // 60 % 60, s % 60)


def ts_error(i):
    s = 6 * 3600 + i * 11
    return "2026/11/23 %02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60)


def access():
    lines = []
    for i in range(260):
        method, path = "GET", rnd.choice(PATHS)
        status = rnd.choice([200] * 10 + [204, 206, 301, 302, 304, 304])
        if path in ("/login", "/cart") and rnd.random() < 0.5:
            method = "POST"
            status = rnd.choice([200, 302, 303])
        if path.startswith("/api/") and rnd.random() < 0.2:
            method = rnd.choice(["PUT", "PATCH", "DELETE"])
            status = rnd.choice([200, 201, 202, 204])
        if status in (204, 304):
            size = 0
        else:
            size = rnd.choice([413, 414, 429, 499, 500, 502, 503, 504, rnd.randint(150, 250000)])
        proto = rnd.choice(["HTTP/1.1", "HTTP/2.0", "HTTP/1.1"])
        user = rnd.choice(["-"] * 8 + ["alice", "502"])
        lines.append('%s - %s [%s] "%s %s %s" %d %d "%s" "%s"' % (
            rnd.choice(IPS), user, ts_access(i), method, path, proto, status, size, rnd.choice(REFS), rnd.choice(UAS)))
    return lines


def error_log():
    m, w = 2230, [2231, 2232, 2233, 2234]
    startup = ['[notice] %d#%d: using the "epoll" event method' % (m, m),
               "[notice] %d#%d: nginx/1.22.1" % (m, m),
               "[notice] %d#%d: built by gcc 12.2.0 (Debian 12.2.0-14)" % (m, m),
               "[notice] %d#%d: built with OpenSSL 3.0.11 19 Sep 2023" % (m, m),
               "[notice] %d#%d: OS: Linux 6.1.0-13-amd64" % (m, m),
               "[notice] %d#%d: getrlimit(RLIMIT_NOFILE): 65535:65535" % (m, m),
               "[notice] %d#%d: start worker processes" % (m, m)] + \
              ["[notice] %d#%d: start worker process %d" % (m, m, x) for x in w]
    conn = rnd.randint(1000, 2000)
    lines = []
    t = 0

    def add(msg):
        nonlocal t
        lines.append("%s %s" % (ts_error(t), msg))
        t += 1

    for s in startup:
        add(s)
    while len(lines) < 240:
        conn += rnd.randint(1, 40)
        wk = rnd.choice(w)
        c, ip = "*%d" % conn, rnd.choice(IPS)
        k = rnd.randint(0, 17)
        if k == 0:
            add("[info] %d#%d: %s client %s closed keepalive connection" % (wk, wk, c, ip))
        elif k == 1:
            add("[info] %d#%d: %s client closed connection while waiting for request, client: %s, server: 0.0.0.0:443" % (wk, wk, c, ip))
        elif k == 2:
            add("[info] %d#%d: %s recv() failed (104: Connection reset by peer) while waiting for request, client: %s, server: 0.0.0.0:80" % (wk, wk, c, ip))
        elif k == 3:
            err = rnd.choice(["error:0A000102:SSL routines::unsupported protocol", "error:0A0000C1:SSL routines::no shared cipher",
                              "error:0A00010B:SSL routines::wrong version number", "error:0A000076:SSL routines::no suitable signature algorithm"])
            add("[info] %d#%d: %s SSL_do_handshake() failed (SSL: %s) while SSL handshaking, client: %s, server: 0.0.0.0:443" % (wk, wk, c, err, ip))
        elif k == 4:
            add("[info] %d#%d: %s client sent plain HTTP request to HTTPS port while reading client request headers, client: %s, server: www.example.com, request: \"GET / HTTP/1.1\", host: \"www.example.com:443\"" % (wk, wk, c, ip))
        elif k == 5:
            p = rnd.choice(["favicon.ico", "apple-touch-icon.png", "debug.log", "error.log", ".env", "wp-login.php", "502.html"])
            add("[error] %d#%d: %s open() \"/var/www/html/%s\" failed (2: No such file or directory), client: %s, server: www.example.com, request: \"GET /%s HTTP/1.1\", host: \"www.example.com\"" % (wk, wk, c, p, ip, p))
        elif k == 6:
            add("[error] %d#%d: %s \"/var/www/html/admin/index.php\" is not found (2: No such file or directory), client: %s, server: www.example.com, request: \"GET /admin/ HTTP/1.1\", host: \"www.example.com\"" % (wk, wk, c, ip))
        elif k == 7:
            add("[warn] %d#%d: %s delaying request, excess: 0.%03d, by zone \"one\", client: %s, server: api.example.com, request: \"GET /v1/items HTTP/1.1\", host: \"api.example.com\"" % (wk, wk, c, rnd.randint(100, 999), ip))
        elif k == 8:
            add("[warn] %d#%d: %s an upstream response is buffered to a temporary file /var/lib/nginx/proxy/%d/%02d/00000%05d while reading upstream, client: %s, server: files.example.com, request: \"GET /export.csv HTTP/1.1\", upstream: \"http://127.0.0.1:8081/export.csv\", host: \"files.example.com\"" % (wk, wk, c, rnd.randint(1, 9), rnd.randint(0, 99), conn, ip))
        elif k == 9:
            add("[warn] %d#%d: %s a client request body is buffered to a temporary file /var/lib/nginx/body/00000%05d, client: %s, server: cms.example.com, request: \"POST /upload HTTP/1.1\", host: \"cms.example.com\"" % (wk, wk, c, conn, ip))
        elif k == 10:
            add("[info] %d#%d: %s client timed out (110: Connection timed out) while waiting for request, client: %s, server: 0.0.0.0:443" % (wk, wk, c, ip))
        elif k == 11:
            add("[info] %d#%d: %s client prematurely closed connection while sending response to client, client: %s, server: www.example.com, request: \"GET /video.mp4 HTTP/1.1\", host: \"www.example.com\"" % (wk, wk, c, ip))
        elif k == 12:
            add("[notice] %d#%d: %s \"^/old/(.*)$\" matches \"/old/page-504\", client: %s, server: www.example.com, request: \"GET /old/page-504 HTTP/1.1\", host: \"www.example.com\"" % (wk, wk, c, ip))
        elif k == 13:
            add("[notice] %d#%d: %s rewritten redirect: \"/new/page-504\", client: %s, server: www.example.com, request: \"GET /old/page-504 HTTP/1.1\", host: \"www.example.com\"" % (wk, wk, c, ip))
        elif k == 14:
            add("[info] %d#%d: %s peer closed connection in SSL handshake while SSL handshaking, client: %s, server: 0.0.0.0:443" % (wk, wk, c, ip))
        elif k == 15:
            add("[info] %d#%d: %s client %s closed keepalive connection (104: Connection reset by peer)" % (wk, wk, c, ip))
        elif k == 16:
            # a reload cycle
            add("[notice] %d#%d: signal 1 (SIGHUP) received from 1, reconfiguring" % (m, m))
            add("[notice] %d#%d: reconfiguring" % (m, m))
            add("[notice] %d#%d: using the \"epoll\" event method" % (m, m))
            add("[notice] %d#%d: start worker processes" % (m, m))
            for x in w:
                add("[notice] %d#%d: gracefully shutting down" % (x, x))
                add("[notice] %d#%d: exiting" % (x, x))
                add("[notice] %d#%d: exit" % (x, x))
                add("[notice] %d#%d: signal 17 (SIGCHLD) received from %d" % (m, m, x))
                add("[notice] %d#%d: worker process %d exited with code 0" % (m, m, x))
            w = [x + 10 for x in w]
            for x in w:
                add("[notice] %d#%d: start worker process %d" % (m, m, x))
        else:
            add("[notice] %d#%d: signal 10 (SIGUSR1) received from 1, reopening logs" % (m, m))
            add("[notice] %d#%d: reopening logs" % (m, m))
    lines.append("%s [warn] %d#%d: could not build optimal types_hash, you should increase either types_hash_max_size: 1024 or types_hash_bucket_size: 64; ignoring types_hash_bucket_size" % (ts_error(t), m, m))
    lines.append("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok")
    lines.append("nginx: configuration file /etc/nginx/nginx.conf test is successful")
    return lines


CF_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
             "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
             "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
             "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
             "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end")
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def cloudfront():
    lines = ["#Version: 1.0", "#Fields: " + CF_FIELDS]
    pops = ["FRA56-P1", "FRA60-P2", "IAD89-C1", "NRT57-P3", "LHR61-P4", "CDG52-P1"]
    objs = [("/assets/app.7f3a1c.js", "application/javascript"), ("/img/banner-504x200.png", "image/png"),
            ("/index.html", "text/html"), ("/api/v1/items", "application/json"), ("/docs/errors/502", "text/html"),
            ("/fonts/inter.woff2", "font/woff2"), ("/video/intro.mp4", "video/mp4")]
    for i in range(240):
        s = 8 * 3600 + i * 5
        path, ctype = rnd.choice(objs)
        result = rnd.choice(["Hit"] * 6 + ["Miss"] * 3 + ["RefreshHit", "Redirect", "Error", "Error"])
        status = {"Hit": 200, "Miss": rnd.choice([200, 200, 304]), "RefreshHit": 200, "Redirect": 301}.get(result, 0)
        detailed = result
        if result == "Error":
            if rnd.random() < 0.5:
                status, detailed, ctype = 404, "Error", "text/html"
            else:
                status, detailed, ctype = 0, "ClientCommError", "-"
        if result == "Redirect":
            ctype = "text/html"
        size = 0 if status in (0, 304) else rnd.choice([502, 503, 504, rnd.randint(300, 900000)])
        proto = "https" if result != "Redirect" else "http"
        rid = "".join(rnd.choice(B64) for _ in range(54)) + "=="
        taken = "%.3f" % (rnd.random() * (0.02 if result == "Hit" else 0.4))
        tls = ("TLSv1.3", "TLS_AES_128_GCM_SHA256") if proto == "https" else ("-", "-")
        query = rnd.choice(["-", "v=502", "page=2", "utm_source=newsletter"])
        f = ["2026-11-23", "%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60), rnd.choice(pops), str(size),
             rnd.choice(IPS), "GET", "d111111abcdef8.cloudfront.net", path, str(status), "-",
             rnd.choice(UAS).replace(" ", "%20"), query, "-", result, rid, "www.example.com", proto, str(rnd.randint(80, 600)), taken,
             "-", tls[0], tls[1], result, rnd.choice(["HTTP/2.0", "HTTP/1.1", "HTTP/3.0"]), "-", "-", str(rnd.randint(1024, 65535)),
             taken, detailed, ctype, "-" if ctype == "-" else str(size), "-", "-"]
        lines.append("\t".join(f))
    return lines


def letsencrypt():
    lines = []
    for day in range(12):
        base = "2026-11-%02d %02d:%02d:%02d" % (10 + day, 3 + day % 2 * 12, 7 * day % 60, 13 * day % 60)
        n = [0]

        def L(level, mod, msg):
            n[0] += 1
            lines.append("%s,%03d:%s:%s:%s" % (base, (n[0] * 37) % 1000, level, mod, msg))
        L("DEBUG", "certbot._internal.main", "certbot version: 2.1.0")
        L("DEBUG", "certbot._internal.main", "Location of certbot entry point: /usr/bin/certbot")
        L("DEBUG", "certbot._internal.main", "Arguments: ['-q']")
        L("DEBUG", "certbot._internal.main", "Discovered plugins: PluginsRegistry(PluginEntryPoint#manual,PluginEntryPoint#nginx,PluginEntryPoint#null,PluginEntryPoint#standalone,PluginEntryPoint#webroot)")
        L("DEBUG", "certbot._internal.log", "Root logging level set at 30")
        for name in ("example.com", "shop.example.com"):
            L("DEBUG", "certbot._internal.display.obj", "Notifying user: Processing /etc/letsencrypt/renewal/%s.conf" % name)
            L("DEBUG", "certbot._internal.plugins.selection", "Requested authenticator webroot and installer None")
            L("DEBUG", "certbot._internal.storage", "Should renew, less than 30 days before certificate expiry 2026-12-%02d 08:00:00 UTC." % (10 + day) if day == 11 else
              "Cert not yet due for renewal")
            L("INFO", "certbot._internal.renewal", "Certificate not yet due for renewal" if day != 11 else "Renewing an existing certificate for %s" % name)
        if day == 11:
            L("DEBUG", "acme.client", "Sending GET request to https://acme-v02.api.letsencrypt.org/directory.")
            L("DEBUG", "urllib3.connectionpool", "Starting new HTTPS connection (1): acme-v02.api.letsencrypt.org:443")
            L("DEBUG", "urllib3.connectionpool", 'https://acme-v02.api.letsencrypt.org:443 "GET /directory HTTP/1.1" 200 1022')
            L("INFO", "certbot._internal.auth_handler", "Performing the following challenges:")
            L("INFO", "certbot._internal.auth_handler", "http-01 challenge for example.com")
            L("INFO", "certbot._internal.plugins.webroot", "Using the webroot path /var/www/letsencrypt for all unmatched domains.")
            L("DEBUG", "certbot._internal.plugins.webroot", "Creating root challenges validation dir at /var/www/letsencrypt/.well-known/acme-challenge")
            L("INFO", "certbot._internal.auth_handler", "Waiting for verification...")
            L("INFO", "certbot._internal.auth_handler", "Cleaning up challenges")
            L("DEBUG", "certbot._internal.storage", "Writing new private key to /etc/letsencrypt/archive/example.com/privkey7.pem.")
            L("DEBUG", "certbot._internal.display.obj", "Notifying user: Congratulations, all renewals succeeded: ")
            L("DEBUG", "certbot._internal.display.obj", "Notifying user:   /etc/letsencrypt/live/example.com/fullchain.pem (success)")
            L("INFO", "certbot.compat.misc", "Running deploy-hook command: systemctl reload nginx")
        else:
            L("DEBUG", "certbot._internal.display.obj", "Notifying user: The following certificates are not due for renewal yet:")
            L("DEBUG", "certbot._internal.display.obj", "Notifying user:   /etc/letsencrypt/live/example.com/fullchain.pem expires on 2027-01-20 (skipped)")
            L("DEBUG", "certbot._internal.display.obj", "Notifying user: No renewals were attempted.")
        L("DEBUG", "certbot._internal.renewal", "no renewal failures")
        lines.append("Nov %2d %02d:%02d:01 web-1 systemd[1]: Starting certbot.service - Certbot..." % (10 + day, 3 + day % 2 * 12, 7 * day % 60))
        lines.append("Nov %2d %02d:%02d:04 web-1 certbot[%d]: Saving debug log to /var/log/letsencrypt/letsencrypt.log" % (10 + day, 3 + day % 2 * 12, 7 * day % 60, 2200 + day))
        lines.append("Nov %2d %02d:%02d:05 web-1 certbot[%d]: 0 renew failure(s), 0 parse failure(s)" % (10 + day, 3 + day % 2 * 12, 7 * day % 60, 2200 + day))
        lines.append("Nov %2d %02d:%02d:05 web-1 systemd[1]: certbot.service: Deactivated successfully." % (10 + day, 3 + day % 2 * 12, 7 * day % 60))
        lines.append("Nov %2d %02d:%02d:05 web-1 systemd[1]: Finished certbot.service - Certbot." % (10 + day, 3 + day % 2 * 12, 7 * day % 60))
    return lines


def tls_clients():
    lines = []
    hosts = ["www.example.com", "api.example.com", "shop.example.com", "mx.example.net"]
    for i in range(16):
        h = hosts[i % len(hosts)]
        lines += ["CONNECTED(00000003)",
                  "depth=2 C = US, O = Internet Security Research Group, CN = ISRG Root X1", "verify return:1",
                  "depth=1 C = US, O = Let's Encrypt, CN = R11", "verify return:1",
                  "depth=0 CN = %s" % h, "verify return:1", "---", "Certificate chain",
                  " 0 s:CN = %s" % h, "   i:C = US, O = Let's Encrypt, CN = R11",
                  "   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: RSA-SHA256",
                  "Server certificate", "subject=CN = %s" % h, "issuer=C = US, O = Let's Encrypt, CN = R11", "---",
                  "No client certificate CA names sent", "Peer signing digest: SHA256",
                  "Server Temp Key: X25519, 253 bits", "SSL handshake has read 4513 bytes and written 401 bytes",
                  "Verification: OK", "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384",
                  "Server public key is 256 bit", "Secure Renegotiation IS NOT supported" if i % 2 else "Secure Renegotiation IS supported",
                  "Protocol  : TLSv1.3", "Verify return code: 0 (ok)", "DONE"]
        lines += ["*   Trying 203.0.113.%d:443..." % (10 + i), "* Connected to %s (203.0.113.%d) port 443 (#0)" % (h, 10 + i),
                  "* ALPN: offers h2,http/1.1", "* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384",
                  "* Server certificate:", "*  subject: CN=%s" % h, "*  start date: Nov 20 08:00:00 2026 GMT",
                  "*  expire date: Feb 18 08:00:00 2027 GMT",
                  "*  subjectAltName: host \"%s\" matched cert's \"%s\"" % (h, h), "*  issuer: C=US; O=Let's Encrypt; CN=R11",
                  "*  SSL certificate verify ok.", "notAfter=Feb 18 08:00:00 2027 GMT",
                  "Nov 23 08:%02d:%02d mx1 postfix/smtp[%d]: Verified TLS connection established to %s[203.0.113.%d]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256" % (i, i * 3, 20100 + i, h, 10 + i),
                  "Nov 23 08:%02d:%02d mx1 postfix/smtpd[%d]: Anonymous TLS connection established from unknown[198.51.100.%d]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)" % (i, i * 3 + 1, 20200 + i, i + 2)]
    return lines


def write(name, lines):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("nginx-access.log", access())
    write("nginx-error.log", error_log())
    write("cloudfront.log", cloudfront())
    write("letsencrypt.log", letsencrypt())
    write("tls-clients.log", tls_clients())
