/*
 * unit-svg.c: XML text of the picture writer, in TAP: markup, quotes,
 * control bytes and bytes that are not UTF-8 never reach the document as
 * they came; valid UTF-8 (the ladder's box drawing) passes unchanged.  And
 * a picture of no conversation is still a whole document.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "tap.h"

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

int
main(void)
{
	char	*doc;

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
	return tap_done();
}
