/*
 * unit-svg.c: XML text of the picture writer, in TAP: markup, quotes,
 * control bytes and bytes that are not UTF-8 never reach the document as
 * they came; valid UTF-8 (the ladder's box drawing) passes unchanged.  And
 * a picture of no conversation is still a whole document.  A small budget
 * leaves calls and transcript out, and both the page and svg_left_out()
 * say so (tests/svg-budget.sh measures the memory).  When strdup() fails
 * the picture fails with ENOMEM and the ladder folds a data phase it
 * cannot hold, never a NULL used.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "ladder.h"
#include "render.h"
#include "svg.h"
#include "tap.h"
#include "track.h"

static int	 fail_strdup;

/* The program's strdup(), which fails while fail_strdup is set. */
char *
strdup(const char *str)
{
	size_t	 n = strlen(str) + 1;
	char	*p;

	if (fail_strdup || (p = malloc(n)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	return memcpy(p, str, n);
}

/* svg_xml_text() of len bytes of s, as a C string (static). */
static const char *
xml(const char *s, size_t len)
{
	static char	 out[512];
	FILE		*fp = fmemopen(out, sizeof out, "w");

	if (fp == NULL)
		return "";
	svg_xml_text(fp, s, len);
	putc('\0', fp);
	fclose(fp);
	return out;
}

/* The whole SVG (html 0) or HTML page of an empty collector. */
static char *
empty_doc(int html)
{
	struct svg_opts	 o;
	struct svg	*s;
	char		*buf = NULL;
	size_t		 size;
	FILE		*fp;

	memset(&o, 0, sizeof o);
	o.transcript = html;
	o.text = &render_transcript;
	o.title = "a <title> & \"quotes\"";
	if ((s = svg_new(&o)) == NULL ||
	    (fp = open_memstream(&buf, &size)) == NULL)
		return NULL;
	svg_call(s, 1000, "connect() to <host>", 111);
	if (html)
		svg_html(s, fp);
	else
		svg_write(s, fp);
	fclose(fp);
	svg_free(s);
	return buf;
}

/*
 * The HTML page of 50 calls on a budget of 3 calls and 400 bytes of
 * transcript; what svg_left_out() said through left.
 */
static char *
budget_doc(char *left, size_t len)
{
	struct svg_opts	 o;
	struct svg	*s;
	char		*buf = NULL, what[32];
	size_t		 size;
	FILE		*fp;
	int		 i;

	memset(&o, 0, sizeof o);
	o.transcript = 1;
	o.text = &render_transcript;
	o.max_items = 3;
	o.max_transcript = 400;
	if ((s = svg_new(&o)) == NULL ||
	    (fp = open_memstream(&buf, &size)) == NULL)
		return NULL;
	for (i = 0; i < 50; i++) {
		snprintf(what, sizeof what, "send %d", i);
		svg_call(s, 1000 + i, what, 0);
	}
	svg_html(s, fp);
	fclose(fp);
	if (!svg_left_out(s, 1, left, len))
		left[0] = '\0';
	svg_free(s);
	return buf;
}

/* svg_write() of a picture whose call could not be kept; its errno. */
static int
nomem_doc(void)
{
	struct svg_opts	 o;
	struct svg	*s;
	FILE		*fp = fopen("/dev/null", "w");
	int		 rc, e;

	memset(&o, 0, sizeof o);
	if (fp == NULL || (s = svg_new(&o)) == NULL)
		return 0;
	fail_strdup = 1;
	svg_call(s, 1000, "connect()", 0);
	fail_strdup = 0;
	rc = svg_write(s, fp);
	e = errno;
	svg_free(s);
	fclose(fp);
	return rc == -1 ? e : 0;
}

/*
 * The ladder of the pcap (Ethernet, little-endian, as in tests/golden) at
 * srcdir/golden/name, drawn with strdup() failing.
 */
static char *
ladder_nomem(const char *name)
{
	struct ladder_opts	 lo;
	struct decode_pkt	 pk;
	struct ladder		*l;
	struct track		*tr = track_new(0);
	uint8_t			 hdr[16], pkt[65536];
	uint32_t		 caplen;
	char			 path[1024], *buf = NULL;
	size_t			 size;
	FILE			*in, *out;

	snprintf(path, sizeof path, "%s/golden/%s", getenv("srcdir") ?
	    getenv("srcdir") : "tests", name);
	memset(&lo, 0, sizeof lo);
	if (tr == NULL || (in = fopen(path, "rb")) == NULL)
		return NULL;
	if ((out = open_memstream(&buf, &size)) == NULL ||
	    (l = ladder_new(out, &lo)) == NULL || fread(pkt, 1, 24, in) != 24)
		return NULL;
	fail_strdup = 1;
	while (fread(hdr, 1, 16, in) == 16) {
		memcpy(&caplen, hdr + 8, 4);
		if (caplen > sizeof pkt || fread(pkt, 1, caplen, in) != caplen)
			break;
		decode_packet(1, pkt, caplen, caplen, &pk);
		track_packet(tr, 1000, &pk, ladder_event, l);
	}
	track_finish(tr, ladder_event, l);
	fail_strdup = 0;
	ladder_free(l);
	fclose(out);
	fclose(in);
	return buf;
}

int
main(void)
{
	char	*doc, left[512];

	tap_is_str(xml("a<b>&c", 6), "a&lt;b&gt;&amp;c", "markup escaped");
	tap_is_str(xml("\"'", 2), "&quot;&#39;", "quotes escaped");
	tap_is_str(xml("x\0y\x1b\x7f", 5), "x\\x00y\\x1b\\x7f",
	    "NUL, ESC and DEL shown as \\xNN");
	tap_is_str(xml("\t\n", 2), "\t\n", "tab and newline kept");
	tap_is_str(xml("\xe2\x94\x80\xe2\x96\xb6", 6),
	    "\xe2\x94\x80\xe2\x96\xb6", "box drawing (UTF-8) kept");
	tap_is_str(xml("\xff\xfe", 2), "\\xff\\xfe", "bytes not UTF-8 shown");
	tap_is_str(xml("\xe2\x94", 2), "\\xe2\\x94", "a cut sequence shown");
	tap_is_str(xml("\xc0\xaf", 2), "\\xc0\\xaf", "an overlong / shown");
	tap_is_str(xml("\xed\xa0\x80", 3), "\\xed\\xa0\\x80",
	    "a UTF-16 surrogate shown");
	tap_is_str(xml("]]>", 3), "]]&gt;", "no CDATA end");

	doc = empty_doc(0);
	tap_ok(doc != NULL && strncmp(doc, "<?xml ", 6) == 0 &&
	    strstr(doc, "</svg>\n") != NULL, "SVG: a whole document");
	tap_ok(doc != NULL && strstr(doc, "a &lt;title&gt; &amp; &quot;"
	    "quotes&quot;") != NULL, "SVG: the title escaped");
	tap_ok(doc != NULL && strstr(doc, "connect() to &lt;host&gt; failed: "
	    "ECONNREFUSED") != NULL, "SVG: a call without packets drawn");
	free(doc);
	doc = empty_doc(1);
	tap_ok(doc != NULL && strncmp(doc, "<!DOCTYPE html>", 15) == 0 &&
	    strstr(doc, "</html>\n") != NULL, "HTML: a whole page");
	tap_ok(doc != NULL && strstr(doc, "<pre class=\"transcript\">") != NULL
	    && strstr(doc, "this host: connect() to &lt;host&gt;") != NULL,
	    "HTML: the transcript holds the call");
	free(doc);

	doc = budget_doc(left, sizeof left);
	tap_ok(doc != NULL && strstr(doc, "send 2<") != NULL &&
	    strstr(doc, "send 3<") == NULL, "budget: 3 calls drawn, not 4");
	tap_ok(doc != NULL && strstr(doc, ">47 socket calls not drawn: the "
	    "picture&#39;s budget is 1000 conversations and 3 packets and "
	    "calls") != NULL, "budget: the picture says what it left out");
	tap_ok(doc != NULL && strstr(doc, "this host: send 0\n") != NULL &&
	    strstr(doc, "this host: send 49") == NULL,
	    "budget: the transcript stops");
	tap_ok(doc != NULL && strstr(doc, "The transcript stops here: its "
	    "budget of 400 bytes is spent") != NULL,
	    "budget: the page says where");
	tap_is_str(left, "47 socket calls not drawn: the picture's budget is "
	    "1000 conversations and 3 packets and calls (view --conv N or a "
	    "filter picks fewer); the transcript stops at its budget of 400 "
	    "bytes, before 0 packets", "budget: svg_left_out() says both");
	free(doc);

	tap_is_ll(nomem_doc(), ENOMEM,
	    "strdup() failing: svg_write() fails with ENOMEM");
	doc = ladder_nomem("close-client.pcap");
	tap_ok(doc != NULL && strstr(doc, "(data phase: segments folded") !=
	    NULL && strstr(doc, "\"ping\\n\"") == NULL,
	    "strdup() failing: the ladder folds the data phase it cannot hold");
	tap_ok(doc != NULL && strstr(doc, "verdict: closed by A") != NULL,
	    "strdup() failing: the ladder still ends with the verdict");
	free(doc);
	return tap_done();
}
