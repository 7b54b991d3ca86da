/*
 * gen_net: the "net" benchmark corpus (see bench/README.md): mail and network
 * services. Postfix, Dovecot, OpenSSH, sudo and OpenVPN lines behind an RFC
 * 5424 header (with structured data) or an RFC 3164 one, Squid's native
 * access.log, BIND query logs and Zeek TSV logs; IPv6 addresses as often as
 * IPv4, UTF-8 in user names and mail subjects. Signatures: a Postfix reject
 * reason for clients of one domain writing to another, sshd and Dovecot
 * failures for one user from one subnet, Squid TCP_DENIED of one subnet to
 * one site, a BIND denial of one name to one subnet, an OpenVPN client's
 * error from one subnet, a Zeek notice type from one subnet, sudo refusals,
 * Postfix SASL failures, invalid users from a subnet as an alternation of
 * many names, a literal-free queue id after a common word, and anchored
 * Squid and Zeek shapes.
 *
 * Its vocabulary and line shapes are its own. The healthy lines use the same
 * words: temporary (4xx) rejects with the signatures' reasons and domains,
 * accepted logins of the same users from the same subnets, TCP_DENIED/407,
 * approved queries of the same names, other messages of the same VPN clients.
 *
 * The formats follow the programs' documentation: Squid's native format is
 * squid.conf's built-in "logformat squid %ts.%03tu %6tr %>a %Ss/%03>Hs %<st
 * %rm %ru %[un %Sh/%<a %mt"; BIND's query line is "client @0x%x
 * ADDR#PORT (NAME): query: NAME CLASS TYPE FLAGS (SERVER)"; Zeek's TSV
 * logs are the fields of conn.log, notice.log and ssl.log separated by tabs,
 * "-" for unset; RFC 5424 section 6 for the header and structured data
 * (SD-IDs of section 7: timeQuality, origin, meta).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "sigset.h"

#define NET_EPOCH 1795392000u /* 2026-11-23T00:00:00Z */

/* Client domains of mail and web traffic; invented names of several TLDs. */
static const char *const domains[] = {
	"fjordpost.no", "ostwind-mail.de", "cerulean.io", "brightpath.co.uk", "sakura-net.jp",
	"newsbird.com", "andesmail.cl", "baobab.co.za", "tundra-isp.ca", "lagoa.com.br",
	"steppe.kz", "harbor-nl.nl", "kontor24.de", "maison-dupont.fr", "pivot-cloud.net",
	"quokka.com.au", "vltava.cz", "adgrid.net", "shopwave.io", "quickdesk.com",
};
static const char *const reasons[] = {
	"Relay access denied",
	"Recipient address rejected: User unknown in virtual mailbox table",
	"Client host rejected: Access denied",
	"Sender address rejected: Domain not found",
	"Helo command rejected: need fully-qualified hostname",
	"Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help",
	"Sender address rejected: not owned by user",
	"Client host rejected: cannot find your reverse hostname",
	"Recipient address rejected: Mailbox is full",
	"Sender address rejected: need fully-qualified address",
	"Data command rejected: Multi-recipient bounce",
	"Recipient address rejected: Message rejected due to SPF policy",
};
static const char *const users[] = {
	"alice", "bob", "j\xC3\xBCrgen", "s\xC3\xB8ren", "zo\xC3\xAB", "\xC5\x82ukasz",
	"jos\xC3\xA9", "fran\xC3\xA7ois", "ingrid", "mehmet", "\xD0\xB0\xD0\xBD\xD0\xBD\xD0\xB0",
	"dmitri", "yuki", "\xC3\xA1kos", "bj\xC3\xB6rn", "chlo\xC3\xA9", "ren\xC3\xA9""e", "deploy",
	"backup", "git", "root", "ops", "nagios", "priya",
};
/* The names scanning bots try; "Invalid user" signatures take many of them. */
static const char *const bot_users[] = {
	"admin", "oracle", "test", "guest", "ubuntu", "pi", "postgres", "ftpuser", "support",
	"jenkins", "hadoop", "minecraft", "steam", "user1", "tomcat", "mysql", "ansible",
	"vagrant", "docker", "sysadmin", "webmaster", "demo", "es", "zabbix",
};
/* First octets and IPv6 /32s of the subnets addresses come from. */
static const unsigned v4_first[] = { 45, 77, 91, 103, 141, 178, 185, 193, 198, 203, 212, 217 };
static const char *const v6_first[] = {
	"2a01:4f8", "2600:1f18", "2001:41d0", "2a02:c207", "2606:4700", "2400:cb00", "240e:3b0",
	"2804:14c", "2a00:1450", "2001:67c",
};
static const struct bench_nets nets = BENCH_NETS(v4_first, v6_first);
static const char *const web_hosts[] = {
	"cdn", "api", "img", "static", "telemetry", "update", "ads", "pixel", "files", "login",
	"stream", "news",
};
static const char *const squid_ok[] = {
	"TCP_MISS/200", "TCP_TUNNEL/200", "TCP_HIT/200", "TCP_MEM_HIT/200", "TCP_REFRESH_UNMODIFIED/304",
	"TCP_MISS/304", "TCP_DENIED/407", "TCP_MISS/404", "TCP_MISS/200", "TCP_TUNNEL/200",
};
static const char *const qtypes[] = { "A", "AAAA", "MX", "TXT", "PTR", "SRV", "HTTPS", "NS" };
static const char *const vpn_cns[] = {
	"laptop-anna", "laptop-bob", "phone-yuki", "branch-oslo", "branch-lyon", "gw-warehouse",
	"ci-runner-3", "tablet-ingrid", "kiosk-07", "contractor-ak", "nas-backup", "lab-router",
};
static const char *const vpn_errors[] = {
	"TLS Error: TLS handshake failed",
	"TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)",
	"VERIFY ERROR: depth=0, error=certificate has expired",
	"AUTH: Received control message: AUTH_FAILED",
	"TLS Error: cannot locate HMAC in incoming packet",
	"Fatal TLS error (check_tls_errors_co), restarting",
	"VERIFY ERROR: depth=1, error=certificate revoked",
};
static const char *const vpn_ok[] = {
	"TLS: soft reset sec=3600/3600 bytes=0/-1 pkts=0/0",
	"Data Channel: cipher 'AES-256-GCM', peer-id: 3",
	"Control Channel: TLSv1.3, cipher TLSv1.3 TLS_AES_256_GCM_SHA384, peer certificate: 2048 bits RSA",
	"SIGUSR1[soft,ping-restart] received, client-instance restarting",
	"TLS Error: TLS handshake failed (retrying)",
};
static const char *const notes[] = {
	"Scan::Port_Scan", "Scan::Address_Scan", "SSH::Password_Guessing",
	"SSL::Invalid_Server_Cert", "SSL::Certificate_Expired", "HTTP::SQL_Injection_Attacker",
	"DNS::External_Name", "Software::Vulnerable_Version", "Weird::Activity",
	"FTP::Bruteforcing", "Traceroute::Detected", "Heartbleed::SSL_Heartbeat_Attack",
};
static const char *const note_msgs[] = {
	"scanned at least 15 unique ports of host", "scanned at least 25 unique hosts on port 22/tcp",
	"appears to be guessing SSH passwords (seen in 30 connections).",
	"SSL certificate validation failed with (unable to get local issuer certificate)",
	"Certificate CN=mail.example has expired", "An SQL injection attacker was discovered!",
	"A local name resolved to an external address", "host is running a vulnerable version",
};
static const char *const sudo_cmds[] = {
	"/usr/bin/systemctl restart postfix", "/usr/sbin/postqueue -f", "/usr/bin/journalctl -u dovecot",
	"/usr/sbin/rndc reload", "/usr/bin/tail -f /var/log/squid/access.log",
	"/usr/sbin/openvpn --status /run/openvpn/server.status", "/bin/cat /etc/shadow",
	"/usr/bin/zeekctl deploy", "/usr/sbin/iptables -L -n", "/usr/bin/apt-get upgrade",
};
static const char *const sudo_dirs[] = {
	"/root", "/etc/postfix", "/var/log", "/srv/mail", "/etc/bind", "/opt/zeek", "/tmp", "/etc/squid",
};
static const char *const subjects[] = {
	"Gr\xC3\xBC\xC3\x9F""e aus M\xC3\xBCnchen", "Rechnung Nr. 4711 \xE2\x80\x93 Zahlungserinnerung",
	"\xE4\xBC\x9A\xE8\xAD\xB0\xE3\x81\xAE\xE4\xBB\xB6", "\xD0\xA1\xD1\x87\xD1\x91\xD1\x82 \xD0\xBD\xD0\xB0 \xD0\xBE\xD0\xBF\xD0\xBB\xD0\xB0\xD1\x82\xD1\x83",
	"R\xC3\xA9union d'\xC3\xA9quipe", "Weekly report", "Your order has shipped",
	"Re: caf\xC3\xA9 menu \xE2\x98\x95", "Backup finished", "Fw: Angebot f\xC3\xBCr 2027",
};
static const char *const hosts[] = { "mx1", "mx2", "imap1", "bastion", "vpn-gw", "ns1", "proxy1" };

/* An address: IPv4 or IPv6 equally often. */
static void
addr(char *out, size_t size, struct bench_rng *r)
{
	bench_addr(out, size, r, &nets);
}

/* A subnet's text as an address begins with it. */
static void
subnet(char *out, size_t size, struct bench_rng *r)
{
	bench_subnet(out, size, r, &nets);
}

/* An address in a subnet as subnet() writes it. */
static void
addr_in(char *out, size_t size, const char *net, struct bench_rng *r)
{
	if (strchr(net, ':'))
		snprintf(out, size, "%s%x::%x", net, bench_rng_below(r, 0x10000), 1 + bench_rng_below(r, 0xFFFF));
	else
		snprintf(out, size, "%s%u", net, 1 + bench_rng_below(r, 254));
}

/* A Postfix queue id: 10 to 12 upper-case hex digits. */
static void
queue_id(char *out, struct bench_rng *r)
{
	unsigned len = 10 + bench_rng_below(r, 3);

	for (unsigned i = 0; i < len; i++)
		out[i] = "0123456789ABCDEF"[bench_rng_below(r, 16)];
	out[len] = '\0';
}

/* An IPv4 or IPv6 address, the same in PCRE2 and ERE. */
#define RE_ADDR "[0-9a-fA-F.:]+"

static void
make_sig(struct bench_sig *s, struct bench_rng *r)
{
	char buf[320], net[48];
	uint32_t kind = bench_rng_below(r, 100);

	memset(s, 0, sizeof *s);
	s->caseless = bench_rng_below(r, 25) == 0;
	if (kind < 20) {
		/* A permanent reject, for one reason, of clients of one domain to another. */
		bench_sig_lit(s, "NOQUEUE: reject: RCPT from ");
		bench_sig_raw(s, "[\\w-]+\\.", "[A-Za-z0-9_-]+\\.", "mail7.");
		snprintf(buf, sizeof buf, "%s[", BENCH_PICK(r, domains));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, RE_ADDR "\\]: 5\\d\\d 5\\.\\d\\.\\d+ <[^>@]*@",
			      RE_ADDR "\\]: 5[0-9][0-9] 5\\.[0-9]\\.[0-9]+ <[^>@]*@",
			      "2a01:4f8:10::7]: 554 5.7.1 <info@");
		snprintf(buf, sizeof buf, "%s>: %s", BENCH_PICK(r, domains), BENCH_PICK(r, reasons));
		bench_sig_lit(s, buf);
	} else if (kind < 36) {
		/* sshd: a failed password for one user from one subnet. */
		char a[64];

		bench_sig_raw(s, "Failed (?:password|keyboard-interactive/pam) for (?:invalid user )?",
			      "Failed (password|keyboard-interactive/pam) for (invalid user )?",
			      "Failed password for ");
		snprintf(buf, sizeof buf, "%s from ", BENCH_PICK(r, users));
		bench_sig_lit(s, buf);
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		addr_in(a, sizeof a, net, r);
		bench_sig_raw(s, "[0-9a-f.:]+ port \\d+ ssh2", "[0-9a-f.:]+ port [0-9]+ ssh2", a + strlen(net));
		bench_sig_raw(s, "", "", " port 52144 ssh2");
	} else if (kind < 48) {
		/* Squid: a client subnet's request to one site denied by an ACL (403, not 407). */
		char a[64];

		bench_sig_raw(s, "\\d{10}\\.\\d{3} +\\d+ ", "[0-9]{10}\\.[0-9]{3} +[0-9]+ ", "1795420800.123    412 ");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		addr_in(a, sizeof a, net, r);
		bench_sig_raw(s, "[0-9a-f.:]+ TCP_DENIED/403 \\d+ (?:GET|POST|CONNECT|HEAD) (?:https?://)?",
			      "[0-9a-f.:]+ TCP_DENIED/403 [0-9]+ (GET|POST|CONNECT|HEAD) (https?://)?", a + strlen(net));
		bench_sig_raw(s, "", "", " TCP_DENIED/403 3901 CONNECT ");
		snprintf(buf, sizeof buf, "%s.%s", BENCH_PICK(r, web_hosts), BENCH_PICK(r, domains));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "[:/]", "[:/]", ":443");
	} else if (kind < 58) {
		/* BIND: a recursive query of one client subnet for one name denied. */
		bench_sig_raw(s, "client @0x[0-9a-f]+ ", "client @0x[0-9a-f]+ ", "client @0x7f3a2c01b8 ");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "[0-9a-f.:]*#\\d+ \\([^)]*\\): query \\(cache\\) '",
			      "[0-9a-f.:]*#[0-9]+ \\([^)]*\\): query \\(cache\\) '", "9#53211 (x): query (cache) '");
		snprintf(buf, sizeof buf, "%s.%s/%s/IN' denied", BENCH_PICK(r, web_hosts), BENCH_PICK(r, domains),
			 BENCH_PICK(r, qtypes));
		bench_sig_lit(s, buf);
	} else if (kind < 66) {
		/* OpenVPN: one client's TLS or authentication error from one subnet. */
		snprintf(buf, sizeof buf, "%s/", BENCH_PICK(r, vpn_cns));
		bench_sig_lit(s, buf);
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "[0-9a-f.:]+ ", "[0-9a-f.:]+ ", "17:1194 ");
		bench_sig_lit(s, BENCH_PICK(r, vpn_errors));
		bench_sig_raw(s, "$", "$", "");
	} else if (kind < 74) {
		/* Zeek notice.log: one notice type raised for a source in one subnet. */
		s->caseless = false;
		bench_sig_raw(s, "\\t", "\t", "\t");
		bench_sig_lit(s, BENCH_PICK(r, notes));
		/* notice.log's columns after the type: msg, sub, src. */
		bench_sig_raw(s, "\\t[^\\t]+\\t[^\\t]*\\t", "\t[^\t]+\t[^\t]*\t",
			      "\tscanned at least 15 unique ports of host\t-\t");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "[0-9a-f.:]*\\t", "[0-9a-f.:]*\t", "9\t2a00:1450:4:1::9\t22\t-");
	} else if (kind < 81) {
		/* Dovecot: authentication failures of one user from one subnet. */
		bench_sig_raw(s, "(?:imap|pop3|submission)-login: .*\\(auth failed, \\d+ attempts? in \\d+ secs\\): user=<",
			      "(imap|pop3|submission)-login: .*\\(auth failed, [0-9]+ attempts? in [0-9]+ secs\\): user=<",
			      "imap-login: Disconnected: Connection closed (auth failed, 3 attempts in 12 secs): user=<");
		snprintf(buf, sizeof buf, "%s@%s>, method=", BENCH_PICK(r, users), BENCH_PICK(r, domains));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "(?:PLAIN|LOGIN), rip=", "(PLAIN|LOGIN), rip=", "PLAIN, rip=");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "", "", "7, lip=10.0.0.25, TLS, session=<a1b2c3d4>");
	} else if (kind < 86) {
		/* sudo: one user refused one command in one directory. */
		snprintf(buf, sizeof buf, " %s : ", BENCH_PICK(r, users));
		bench_sig_lit(s, buf);
		bench_sig_raw(s, "(?:\\d+ incorrect password attempts?|user NOT in sudoers|command not allowed) ; TTY=[^ ]+ ; PWD=",
			      "([0-9]+ incorrect password attempts?|user NOT in sudoers|command not allowed) ; TTY=[^ ]+ ; PWD=",
			      "3 incorrect password attempts ; TTY=pts/2 ; PWD=");
		snprintf(buf, sizeof buf, "%s ; USER=root ; COMMAND=%s", BENCH_PICK(r, sudo_dirs), BENCH_PICK(r, sudo_cmds));
		bench_sig_lit(s, buf);
	} else if (kind < 92) {
		/* sshd: any of many bot user names from one subnet (an alternation). */
		unsigned k = 6 + bench_rng_below(r, 11), first = bench_rng_below(r, 24);

		s->caseless = false;
		bench_sig_alt(s, "Invalid user ", bot_users, BENCH_COUNT(bot_users), first, 5, k, " from ");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
	} else if (kind < 96) {
		/* A queue id after a common word: the literal is on most Postfix lines. */
		static const char *const words[] = { "queued as ", "message-id=<", "Ok: ", "qid=" };
		static const char *const tails[] = {
			": milter-reject: END-OF-MESSAGE", ": status=expired, returned to sender",
			": hold: header X-Spam-Flag", ": discard: body",
		};
		unsigned lo = 10 + bench_rng_below(r, 2), hi = lo + 1 + bench_rng_below(r, 2);
		unsigned len = lo + bench_rng_below(r, hi - lo + 1);
		char q[16], rq[40];

		s->caseless = false;
		bench_sig_lit(s, BENCH_PICK(r, words));
		snprintf(rq, sizeof rq, "\\b[0-9A-F]{%u,%u}\\b", lo, hi);
		for (unsigned i = 0; i < len; i++)
			q[i] = "0123456789ABCDEF"[bench_rng_below(r, 16)];
		q[len] = '\0';
		bench_sig_raw(s, rq, rq, q);
		bench_sig_lit(s, BENCH_PICK(r, tails));
	} else if (kind < 98) {
		/* Postfix SASL: failed authentication from one subnet. */
		bench_sig_raw(s, "warning: [\\w.-]+\\[", "warning: [A-Za-z0-9_.-]+\\[", "warning: unknown[");
		subnet(net, sizeof net, r);
		bench_sig_lit(s, net);
		bench_sig_raw(s, "[0-9a-f.:]+\\]: SASL (?:LOGIN|PLAIN|CRAM-MD5) authentication failed",
			      "[0-9a-f.:]+\\]: SASL (LOGIN|PLAIN|CRAM-MD5) authentication failed",
			      "9]: SASL LOGIN authentication failed");
	} else if (bench_rng_below(r, 2)) {
		/* No literal worth a key: a Squid request of 100 s or more answered 5xx. */
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^\\d{10}\\.\\d{3} +\\d{6,} " RE_ADDR " [A-Z_]+/5\\d\\d \\d+ [A-Z]+ [^ ]+ ",
			      "^[0-9]{10}\\.[0-9]{3} +[0-9]{6,} " RE_ADDR " [A-Z_]+/5[0-9][0-9] [0-9]+ [A-Z]+ [^ ]+ ",
			      "1795420800.123 123456 2001:41d0:7::5 TCP_MISS/502 4120 GET http://cdn.cerulean.io/x - HIER_DIRECT/2001:41d0:7::9 text/html");
	} else {
		/* No literal worth a key: a Zeek connection of unknown service with a huge reply. */
		s->anchored = true;
		s->caseless = false;
		bench_sig_raw(s, "^\\d{10}\\.\\d{6}\\tC[0-9A-Za-z]{17}\\t" RE_ADDR "\\t\\d+\\t" RE_ADDR "\\t\\d+\\ttcp\\t-\\t[\\d.]+\\t\\d+\\t\\d{10,}\\t",
			      "^[0-9]{10}\\.[0-9]{6}\tC[0-9A-Za-z]{17}\t" RE_ADDR "\t[0-9]+\t" RE_ADDR "\t[0-9]+\ttcp\t-\t[0-9.]+\t[0-9]+\t[0-9]{10,}\t",
			      "1795420800.123456\tCa1b2c3d4e5f6g7h8i\t45.3.2.1\t50123\t2a01:4f8:1:2::3\t443\ttcp\t-\t3600.5\t1200\t12345678901\tSF\t-\t-\t0\tShADadFf\t40\t3000\t9000000\t12400000000\t-");
	}
}

/* "<PRI>1 TIME HOST APP PROCID MSGID [SD]" (RFC 5424) or "Mon DD HH:MM:SS HOST APP[PID]:" (RFC 3164). */
static void
syslog_header(FILE *f, struct bench_rng *r, uint32_t n, const char *app, const char *proc)
{
	unsigned h = n / 36000 % 24, m = n / 600 % 60, sec = n / 10 % 60, pid = 300 + bench_rng_below(r, 60000);
	const char *host = BENCH_PICK(r, hosts);

	if (bench_rng_below(r, 2)) {
		fprintf(f, "Nov 23 %02u:%02u:%02u %s %s%s%s[%u]: ", h, m, sec, host, app, *proc ? "/" : "",
			proc, pid);
		return;
	}
	/* RFC 5424 6.2.1: PRI = facility * 8 + severity (mail 2, authpriv 10; err to info). */
	fprintf(f, "<%u>1 2026-11-23T%02u:%02u:%02u.%06u+01:00 %s.%s %s%s%s %u %s ",
		(strcmp(app, "postfix") == 0 || strcmp(app, "dovecot") == 0 ? 16 : 80) + 3 + bench_rng_below(r, 4),
		h, m, sec, bench_rng_below(r, 1000000), host, BENCH_PICK(r, domains), app, *proc ? "/" : "",
		proc, pid, *proc ? proc : "-");
	switch (bench_rng_below(r, 4)) {
	case 0:
		fputs("- ", f);
		break;
	case 1:
		fprintf(f, "[timeQuality tzKnown=\"1\" isSynced=\"1\" syncAccuracy=\"%u\"] ",
			1000 * (1 + bench_rng_below(r, 90)));
		break;
	case 2:
		fprintf(f, "[origin software=\"%s\" swVersion=\"%u.%u\"][meta sequenceId=\"%u\"] ", app,
			1 + bench_rng_below(r, 3), bench_rng_below(r, 10), n);
		break;
	default:
		fprintf(f, "[meta sequenceId=\"%u\" sysUpTime=\"%u\" language=\"en\"] ", n, 100 * n);
		break;
	}
	/* 6.4: a UTF-8 MSG may begin with a BOM. */
	if (bench_rng_below(r, 4) == 0)
		fputs("\xEF\xBB\xBF", f);
}

static void
healthy_postfix(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const char *const procs[] = { "smtpd", "smtpd", "cleanup", "qmgr", "smtp", "smtpd" };
	const char *proc = BENCH_PICK(r, procs), *dom = BENCH_PICK(r, domains);
	char a[64], q[16], q2[16];

	addr(a, sizeof a, r);
	queue_id(q, r);
	syslog_header(f, r, n, "postfix", proc);
	if (strcmp(proc, "cleanup") == 0) {
		if (bench_rng_below(r, 3))
			fprintf(f, "%s: message-id=<%08x.%u@%s>\n", q, bench_rng_below(r, 0xFFFFFFFFu),
				bench_rng_below(r, 100000), dom);
		else
			fprintf(f, "%s: info: header Subject: %s from %s.%s[%s]; from=<%s@%s> to=<%s@%s> proto=ESMTP helo=<mail.%s>\n",
				q, BENCH_PICK(r, subjects), BENCH_PICK(r, web_hosts), dom, a, BENCH_PICK(r, users),
				dom, BENCH_PICK(r, users), BENCH_PICK(r, domains), dom);
	} else if (strcmp(proc, "qmgr") == 0) {
		if (bench_rng_below(r, 2))
			fprintf(f, "%s: from=<%s@%s>, size=%u, nrcpt=%u (queue active)\n", q, BENCH_PICK(r, users),
				dom, 800 + bench_rng_below(r, 90000), 1 + bench_rng_below(r, 3));
		else
			fprintf(f, "%s: removed\n", q);
	} else if (strcmp(proc, "smtp") == 0) {
		queue_id(q2, r);
		fprintf(f, "%s: to=<%s@%s>, relay=mx%u.%s[%s]:25, delay=%u.%u, delays=0.%u/0.0%u/0.%u/0.%u, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)\n",
			q, BENCH_PICK(r, users), dom, 1 + bench_rng_below(r, 3), dom, a, bench_rng_below(r, 5),
			bench_rng_below(r, 10), bench_rng_below(r, 10), bench_rng_below(r, 10),
			bench_rng_below(r, 10), bench_rng_below(r, 10), q2);
	} else {
		switch (bench_rng_below(r, 5)) {
		case 0:
			fprintf(f, "connect from mail%u.%s[%s]\n", bench_rng_below(r, 20), dom, a);
			break;
		case 1:
			fprintf(f, "disconnect from mail%u.%s[%s] ehlo=1 starttls=1 mail=1 rcpt=%u data=1 quit=1 commands=6\n",
				bench_rng_below(r, 20), dom, a, 1 + bench_rng_below(r, 3));
			break;
		case 2:
			fprintf(f, "%s: client=mail%u.%s[%s]\n", q, bench_rng_below(r, 20), dom, a);
			break;
		default: {
			/* The signatures' reasons and domains with a temporary code (soft_bounce). */
			unsigned code = 450 + bench_rng_below(r, 3);

			fprintf(f, "NOQUEUE: reject: RCPT from mail%u.%s[%s]: %u 4.%u.%u <%s@%s>: %s; from=<%s@%s> to=<%s@%s> proto=ESMTP helo=<mail.%s>\n",
				bench_rng_below(r, 20), dom, a, code, 1 + bench_rng_below(r, 7), bench_rng_below(r, 8),
				BENCH_PICK(r, users), BENCH_PICK(r, domains), BENCH_PICK(r, reasons),
				BENCH_PICK(r, users), dom, BENCH_PICK(r, users), BENCH_PICK(r, domains), dom);
			break;
		}
		}
	}
}

static void
healthy_auth(FILE *f, struct bench_rng *r, uint32_t n, uint32_t kind)
{
	const char *user = BENCH_PICK(r, users);
	char a[64];

	addr(a, sizeof a, r);
	if (kind == 0) {
		static const char *const keys[] = { "ED25519", "RSA", "ECDSA" };

		syslog_header(f, r, n, "sshd", "");
		switch (bench_rng_below(r, 5)) {
		case 0:
			fprintf(f, "Accepted publickey for %s from %s port %u ssh2: %s SHA256:%08x%08x%08x\n", user, a,
				1024 + bench_rng_below(r, 64000), BENCH_PICK(r, keys), bench_rng_below(r, 0xFFFFFFFFu),
				bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu));
			break;
		case 1:
			fprintf(f, "Failed publickey for %s from %s port %u ssh2: %s SHA256:%08x%08x\n", user, a,
				1024 + bench_rng_below(r, 64000), BENCH_PICK(r, keys), bench_rng_below(r, 0xFFFFFFFFu),
				bench_rng_below(r, 0xFFFFFFFFu));
			break;
		case 2:
			fprintf(f, "Connection closed by invalid user %s %s port %u [preauth]\n", BENCH_PICK(r, bot_users),
				a, 1024 + bench_rng_below(r, 64000));
			break;
		case 3:
			fprintf(f, "pam_unix(sshd:session): session opened for user %s(uid=%u) by (uid=0)\n", user,
				1000 + bench_rng_below(r, 50));
			break;
		default:
			fprintf(f, "Accepted password for %s from %s port %u ssh2\n", user, a,
				1024 + bench_rng_below(r, 64000));
			break;
		}
	} else if (kind == 1) {
		static const char *const protos[] = { "imap", "pop3", "submission" };
		const char *p = BENCH_PICK(r, protos);

		syslog_header(f, r, n, "dovecot", "");
		if (bench_rng_below(r, 2))
			fprintf(f, "%s-login: Login: user=<%s@%s>, method=PLAIN, rip=%s, lip=10.0.0.25, mpid=%u, TLS, session=<%08x%04x>\n",
				p, user, BENCH_PICK(r, domains), a, 1000 + bench_rng_below(r, 60000),
				bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFF));
		else
			fprintf(f, "%s(%s@%s)<%u><%08x>: Disconnected: Logged out in=%u out=%u deleted=%u expunged=%u trashed=0 hdr_count=%u hdr_bytes=%u body_count=0 body_bytes=0\n",
				p, user, BENCH_PICK(r, domains), 1000 + bench_rng_below(r, 60000),
				bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 900), bench_rng_below(r, 90000),
				bench_rng_below(r, 3), bench_rng_below(r, 3), bench_rng_below(r, 40), bench_rng_below(r, 40000));
	} else if (kind == 2) {
		syslog_header(f, r, n, "sudo", "");
		if (bench_rng_below(r, 3))
			fprintf(f, "   %s : TTY=pts/%u ; PWD=%s ; USER=root ; COMMAND=%s\n", user,
				bench_rng_below(r, 8), BENCH_PICK(r, sudo_dirs), BENCH_PICK(r, sudo_cmds));
		else
			fprintf(f, "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%u)\n", user,
				1000 + bench_rng_below(r, 50));
	} else {
		const char *cn = BENCH_PICK(r, vpn_cns);

		syslog_header(f, r, n, "ovpn-server", "");
		switch (bench_rng_below(r, 4)) {
		case 0:
			fprintf(f, "%s/%s:%u MULTI_sva: pool returned IPv4=10.8.%u.%u, IPv6=fd00:8::%x\n", cn, a,
				1024 + bench_rng_below(r, 64000), bench_rng_below(r, 4), 2 + bench_rng_below(r, 250),
				2 + bench_rng_below(r, 4000));
			break;
		case 1:
			fprintf(f, "%s/%s:%u VERIFY OK: depth=0, CN=%s\n", cn, a, 1024 + bench_rng_below(r, 64000), cn);
			break;
		case 2:
			fprintf(f, "%s Peer Connection Initiated with [AF_INET%s]%s:%u\n", cn, strchr(a, ':') ? "6" : "",
				a, 1024 + bench_rng_below(r, 64000));
			break;
		default:
			fprintf(f, "%s/%s:%u %s\n", cn, a, 1024 + bench_rng_below(r, 64000), BENCH_PICK(r, vpn_ok));
			break;
		}
	}
}

/* Squid's native access.log (fixed-width time and elapsed columns). */
static void
healthy_squid(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const char *const mimes[] = { "text/html", "application/json", "image/webp", "-", "text/css" };
	const char *code = BENCH_PICK(r, squid_ok), *host = BENCH_PICK(r, web_hosts), *dom = BENCH_PICK(r, domains);
	char a[64], up[64];

	addr(a, sizeof a, r);
	addr(up, sizeof up, r);
	if (strncmp(code, "TCP_TUNNEL", 10) == 0)
		fprintf(f, "%9u.%03u %6u %s %s %u CONNECT %s.%s:443 %s HIER_DIRECT/%s -\n", NET_EPOCH + n / 10,
			bench_rng_below(r, 1000), bench_rng_below(r, 90000), a, code, bench_rng_below(r, 900000),
			host, dom, bench_rng_below(r, 4) ? "-" : BENCH_PICK(r, users), up);
	else
		fprintf(f, "%9u.%03u %6u %s %s %u %s http://%s.%s/%s/%x %s %s/%s %s\n", NET_EPOCH + n / 10,
			bench_rng_below(r, 1000), bench_rng_below(r, 9000), a, code, 200 + bench_rng_below(r, 90000),
			bench_rng_below(r, 5) ? "GET" : "POST", host, dom, BENCH_PICK(r, web_hosts),
			bench_rng_below(r, 0xFFFFFF), bench_rng_below(r, 4) ? "-" : BENCH_PICK(r, users),
			code[4] == 'H' || code[4] == 'M' ? "NONE" : "HIER_DIRECT", code[4] == 'D' ? "-" : up,
			BENCH_PICK(r, mimes));
}

/* BIND 9 with print-time, print-category and print-severity. */
static void
healthy_bind(FILE *f, struct bench_rng *r, uint32_t n)
{
	const char *host = BENCH_PICK(r, web_hosts), *dom = BENCH_PICK(r, domains), *t = BENCH_PICK(r, qtypes);
	char a[64];
	unsigned cl = bench_rng_below(r, 0xFFFFFFFFu);

	addr(a, sizeof a, r);
	fprintf(f, "23-Nov-2026 %02u:%02u:%02u.%03u ", n / 36000 % 24, n / 600 % 60, n / 10 % 60,
		bench_rng_below(r, 1000));
	if (bench_rng_below(r, 5))
		fprintf(f, "queries: info: client @0x7f%08x %s#%u (%s.%s): query: %s.%s IN %s +%s (%s)\n", cl, a,
			1024 + bench_rng_below(r, 64000), host, dom, host, dom, t,
			bench_rng_below(r, 2) ? "E(0)K" : "E(0)DV", bench_rng_below(r, 2) ? "10.0.0.53" : "fd00::53");
	else
		fprintf(f, "security: debug 3: client @0x7f%08x %s#%u (%s.%s): query (cache) '%s.%s/%s/IN' approved\n",
			cl, a, 1024 + bench_rng_below(r, 64000), host, dom, host, dom, t);
}

/* A Zeek connection uid: "C" and 17 base-62 characters. */
static void
zeek_uid(char *out, struct bench_rng *r)
{
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	out[0] = 'C';
	for (int i = 1; i < 18; i++)
		out[i] = b62[bench_rng_below(r, 62)];
	out[18] = '\0';
}

/* Zeek TSV logs (conn, ssl, notice): tab-separated, "-" unset, "(empty)" empty. */
static void
healthy_zeek(FILE *f, struct bench_rng *r, uint32_t n)
{
	static const char *const services[] = { "ssl", "dns", "http", "-", "smtp", "ssh", "quic,ssl" };
	static const char *const states[] = { "SF", "S0", "REJ", "RSTO", "SH", "OTH", "S1" };
	static const char *const hist[] = { "ShADadFf", "ShADadfF", "S", "ShR", "Dd", "ShADadR" };
	static const unsigned ports[] = { 443, 53, 25, 993, 22, 80, 1194 }, notice_ports[] = { 22, 443, 21 };
	uint32_t kind = bench_rng_below(r, 100);
	char uid[20], o[64], p[64];

	zeek_uid(uid, r);
	addr(o, sizeof o, r);
	addr(p, sizeof p, r);
	fprintf(f, "%u.%06u\t%s\t%s\t%u\t%s\t%u\t", NET_EPOCH + n / 10, bench_rng_below(r, 1000000), uid, o,
		1024 + bench_rng_below(r, 64000), p, BENCH_PICK(r, ports));
	if (kind < 75) {
		fprintf(f, "%s\t%s\t%u.%06u\t%u\t%u\t%s\t%s\t%s\t0\t%s\t%u\t%u\t%u\t%u\t-\n",
			bench_rng_below(r, 5) ? "tcp" : "udp", BENCH_PICK(r, services), bench_rng_below(r, 300),
			bench_rng_below(r, 1000000), bench_rng_below(r, 90000), bench_rng_below(r, 9000000),
			BENCH_PICK(r, states), bench_rng_below(r, 2) ? "T" : "F", bench_rng_below(r, 2) ? "T" : "F",
			BENCH_PICK(r, hist), bench_rng_below(r, 900), bench_rng_below(r, 90000), bench_rng_below(r, 900),
			bench_rng_below(r, 9000000));
	} else if (kind < 97) {
		/* ssl.log: long lines of names and fingerprints. */
		fprintf(f, "TLSv1%s\tTLS_%s\tx25519\t%s.%s\t%s\t-\t%s\tT\tCsiI\t%08x%08x%08x%08x%08x,%08x%08x%08x%08x%08x\t(empty)\t%s\n",
			bench_rng_below(r, 3) ? "3" : "2",
			bench_rng_below(r, 2) ? "AES_256_GCM_SHA384" : "ECDHE_RSA_WITH_AES_128_GCM_SHA256",
			BENCH_PICK(r, web_hosts), BENCH_PICK(r, domains), bench_rng_below(r, 4) ? "F" : "T",
			bench_rng_below(r, 2) ? "h2" : "http/1.1", bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu), bench_rng_below(r, 0xFFFFFFFFu),
			bench_rng_below(r, 5) ? "T" : "F");
	} else {
		/* notice.log: the signatures' notice types, for sources of site-local space. */
		fprintf(f, "-\t-\t-\ttcp\t%s\t%s %s\t-\tfd00:%x::%x\t%s\t%u\t-\t-\tNotice::ACTION_LOG\t3600.000000\n",
			BENCH_PICK(r, notes), o, BENCH_PICK(r, note_msgs), bench_rng_below(r, 0xFFFF),
			1 + bench_rng_below(r, 0xFFFF), p, BENCH_PICK(r, notice_ports));
	}
}

static void
healthy_line(FILE *f, struct bench_rng *r, uint32_t n)
{
	uint32_t kind = bench_rng_below(r, 100);

	if (kind < 22)
		healthy_postfix(f, r, n);
	else if (kind < 34)
		healthy_auth(f, r, n, 0);
	else if (kind < 42)
		healthy_auth(f, r, n, 1);
	else if (kind < 46)
		healthy_auth(f, r, n, 2);
	else if (kind < 52)
		healthy_auth(f, r, n, 3);
	else if (kind < 72)
		healthy_squid(f, r, n);
	else if (kind < 84)
		healthy_bind(f, r, n);
	else
		healthy_zeek(f, r, n);
}

/* An error line: the sample behind a syslog header of the collector. */
static void
error_line(FILE *f, struct bench_rng *r, uint32_t n, const char *sample)
{
	syslog_header(f, r, n, "netlog", "");
	fprintf(f, "%s\n", sample);
}

int
bench_generate_net(const char *dir, size_t corpus_bytes)
{
	static const struct bench_corpus net = {
		.prefix = "net", .seed = 0x4E37C0DEu,
		.make_sig = make_sig, .healthy_line = healthy_line, .error_line = error_line,
	};

	return bench_corpus_write(dir, corpus_bytes, &net);
}
