/*
 * test_render: the Markdown view of a record (`fixwatch show`) and the text
 * view of a match (`fixwatch scan --format text`).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "match/match.h"
#include "core/render.h"
#include "testutil.h"

/* Each of want[] must be a whole line of text, in this order. */
static void
assert_lines_in_order(const char *text, const char *const *want, size_t n)
{
	const char *p = text;

	for (size_t i = 0; i < n; i++) {
		const char *hit = p;
		size_t len = strlen(want[i]);

		for (;;) {
			hit = strstr(hit, want[i]);
			if (!hit)
				fail_msg("line %zu not found (in order): \"%s\"\n--- in ---\n%s", i, want[i], text);
			if ((hit == text || hit[-1] == '\n') && (hit[len] == '\n' || hit[len] == '\0'))
				break;
			hit++;
		}
		p = hit + len;
	}
}

static char *
render_md(const struct fw_kb *kb, const struct fw_record *r, bool zh)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fw_render_markdown(f, kb, r, zh);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void
test_markdown_seed(void **state)
{
	const char *seed = tu_seed_path();
	struct fw_kb *kb = tu_kb_load(&seed, 1, true);
	char *md = render_md(kb, &kb->records[0], false);
	const char *const want[] = {
		"# 502 ERROR The request could not be satisfied. CloudFront wasn't able to connect to the "
		"origin - SSL handshake failed",
		"",
		"- **ID:** `aws/cloudfront-custom-origin-ssl-handshake-failed`",
		"- **Domain:** aws",
		"- **Category:** network_error",
		"- **Verification:** ai_generated",
		"- **Confidence:** 86%",
		"- **Fix rate:** 83%",
		"- **Documentation:** <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
		"SSL_handshake_failure.html>",
		"## Root cause",
		"CloudFront cannot establish an SSL/TLS connection to the custom origin because the "
		"origin's SSL certificate is invalid, expired, self-signed, or does not match the origin "
		"domain name.",
		"## Workarounds",
		"1. **Ensure the origin's SSL certificate is issued by a trusted CA (e.g., Let's Encrypt, "
		"DigiCert) and matches the origin domain. Use `openssl s_client -connect "
		"origin.example.com:443 -servername origin.example.com` to test the handshake.** (90% success)",
		"2. **Configure CloudFront to use the 'Origin Domain Name' that matches the certificate's "
		"Common Name (CN) or Subject Alternative Name (SAN).** (85% success)",
		"3. **If the origin uses a self-signed certificate, upload the certificate to ACM "
		"(Certificate Manager) and attach it to the CloudFront distribution: `aws acm "
		"import-certificate --certificate file://cert.pem --private-key file://privkey.pem`.** "
		"(80% success)",
		"## Dead ends",
		"- The SSL handshake still fails because the certificate issue remains; CloudFront "
		"requires a valid certificate. (70% fail)",
		"- This is a workaround but compromises security; it may not be allowed if the origin "
		"requires HTTPS. (40% fail)",
		"- The certificate issue is persistent; restarting does not fix the SSL configuration. "
		"(85% fail)",
		"## Versions",
		"| Version | Status | Introduced | Deprecated | Removed |",
		"| CloudFront 2024-05-01 | active | — | — | — |",
		"| OpenSSL 3.0.12 | active | — | — | — |",
		"| TLS 1.2 | active | — | — | — |",
		"## Recognised by",
		"- `502 ERROR The request could not be satisfied. CloudFront wasn't able to connect to the "
		"origin - SSL handshake failed`",
		tu_fmt("_Source: %s_", seed),
	};

	assert_lines_in_order(md, want, TU_N(want));
	/* how equals action: no code block repeating it; no Related section (lists are empty). */
	assert_null(strstr(md, "```"));
	assert_null(strstr(md, "## Related"));
	free(md);

	md = render_md(kb, &kb->records[0], true);
	assert_true(strncmp(md, "# 502 错误 无法满足请求。CloudFront 无法连接到源站 - SSL 握手失败\n", 74) == 0);
	assert_non_null(strstr(md, "\nCloudFront 无法与自定义源建立 SSL/TLS 连接"));
	free(md);
	fw_kb_free(kb);
}

static void
test_markdown_extensions(void **state)
{
	static const char *const lines[] = {
		"{'id':'t/x','signature':'Sig','regex':'a+b','regexes':['c'],'flags':'i','priority':2,"
		"'workarounds':[{'how':'step 1','success_rate':0.333},{'action':'Do it','how':'step 2',"
		"'condition':'when z'},{'action':''}],'dead_ends':[{'action':'Reboot','why_fails':'no'}],"
		"'examples':['aab','C'],'transition_graph':{'leads_to':['t/y','t/z']}}",
	};
	struct fw_kb *kb = tu_kb_from_lines("k.jsonl", lines, 1, true);
	char *md = render_md(kb, &kb->records[0], false);
	const char *const want[] = {
		"# Sig",
		"- **Category:** —",
		"- **Priority:** 2",
		"1. **step 1** (33% success)",
		"2. **Do it**",
		"   - *When:* when z",
		"   ```",
		"   step 2",
		"   ```",
		"- **Reboot** — no",
		"- `a+b` (case-insensitive)",
		"- `c` (case-insensitive)",
		"aab",
		"C",
		"## Related",
		"- **Leads to:** `t/y`, `t/z`",
		tu_fmt("_Source: %s:1_", tu_path("k.jsonl")),
	};

	assert_lines_in_order(md, want, TU_N(want));
	assert_null(strstr(md, "Confidence"));
	assert_null(strstr(md, "## Root cause"));
	assert_null(strstr(md, "## Versions"));
	assert_null(strstr(md, "3. "));
	free(md);
	fw_kb_free(kb);
}

static void
test_text_escapes(void **state)
{
	static const char *const lines[] = {
		"{'id':'t/x','signature':'S','regex':'key=(?<v>\\\\S+)','category':'timeout','confidence':0.5,"
		"'root_cause':'RC','workarounds':[{'action':'Fix','success_rate':0.9,'condition':'on Mondays'}],"
		"'dead_ends':[{'why_fails':'Avoid'}],'official_doc_url':'https://d','severity':'err'}",
		"{'id':'t/y','signature':'S','regex':'key'}",
	};
	static const char line[] = "key=\x1b[2J\x7f\\ \0\r\n\t\xff|\xc2\x9b|\xc3\xa9|\xe2\x82|\xc0\xaf";
	struct fw_kb *kb = tu_kb_from_lines("k.jsonl", lines, TU_N(lines), true);
	struct fw_matcher *m;
	struct fw_match_ctx *ctx;
	struct fw_match_result r;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_REFERENCE, &m, NULL), 0);
	ctx = fw_match_ctx_new(m);
	assert_non_null(ctx);
	assert_int_equal(fw_match_line(ctx, line, sizeof line - 1, NULL, &r), 2);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	fw_render_text(f, kb, &r, 0, true, "in.log:7", line, sizeof line - 1, false, false);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(text,
		"in.log:7: t/x err [timeout] confidence 50%\n"
		"  line:  key=\\x1b[2J\\x7f\\\\ \\x00\\x0d\\x0a\t\\xff|\\xc2\\x9b|\xc3\xa9|"
		"\\xe2\\x82|\\xc0\\xaf\n"
		"  v: \\x1b[2J\\x7f\\\\\n"
		"  cause: RC\n"
		"  fix:   Fix (90% success)\n"
		"  when:  on Mondays\n"
		"  avoid: Avoid\n"
		"  docs:  https://d\n"
		"  also:  t/y\n");
	free(text);

	/* Colours mark the labels; the line's own escape sequences stay escaped. */
	f = open_memstream(&text, &len);
	assert_non_null(f);
	fw_render_text(f, kb, &r, 0, false, "in.log:7", line, sizeof line - 1, false, true);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(text,
		"\x1b[2min.log:7:\x1b[0m \x1b[1mt/x\x1b[0m \x1b[1;31merr\x1b[0m [timeout] confidence 50%\n"
		"  \x1b[2mline:\x1b[0m  key=\\x1b[2J\\x7f\\\\ \\x00\\x0d\\x0a\t\\xff|\\xc2\\x9b|\xc3\xa9|"
		"\\xe2\\x82|\\xc0\\xaf\n"
		"  \x1b[2mv:\x1b[0m \\x1b[2J\\x7f\\\\\n"
		"  \x1b[1mcause:\x1b[0m RC\n"
		"  \x1b[1;32mfix:\x1b[0m   Fix (90% success)\n"
		"  \x1b[32mwhen:\x1b[0m  on Mondays\n"
		"  \x1b[31mavoid:\x1b[0m Avoid\n"
		"  \x1b[2mdocs:\x1b[0m  https://d\n");
	free(text);
	fw_match_ctx_free(ctx);
	fw_matcher_free(m);
	fw_kb_free(kb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_markdown_seed, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_markdown_extensions, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_text_escapes, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
