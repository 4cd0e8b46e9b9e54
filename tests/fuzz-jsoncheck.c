/*
 * fuzz-jsoncheck.c: a strict JSON checker for the fuzz targets, written
 * for them from RFC 8259: values, objects, arrays, numbers, literals, and
 * strings with every escape rule (no raw control characters, four hex
 * digits after \u, surrogates only in pairs).  Output is also held to
 * plain ASCII, which is what sockkit writes.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"

static int	hex4(const char *, size_t, size_t, unsigned *);
static int	json_escape(const char *, size_t, size_t *, uint32_t *);
static int	json_number(const char *, size_t, size_t *);
static int	json_value(const char *, size_t, size_t *, int);
static int	json_members(const char *, size_t, size_t *, int, int);
static void	skip_ws(const char *, size_t, size_t *);

/* Four hex digits at s[i..]; returns 0 or -1. */
static int
hex4(const char *s, size_t len, size_t i, unsigned *v)
{
	size_t	 k;
	int	 c;

	*v = 0;
	if (len - i < 4 || i > len)
		return -1;
	for (k = i; k < i + 4; k++) {
		c = s[k];
		if (c >= '0' && c <= '9')
			*v = *v << 4 | (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v = *v << 4 | (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* The escape at s[*i] (just after the backslash) into *cp; 0 or -1. */
static int
json_escape(const char *s, size_t len, size_t *i, uint32_t *cp)
{
	static const char	 esc[] = "\"\\/bfnrt", val[] = "\"\\/\b\f\n\r\t";
	const char		*e;
	unsigned		 u, lo;

	if (*i >= len)
		return -1;
	if (s[*i] != 'u') {
		if (s[*i] == '\0' || (e = strchr(esc, s[*i])) == NULL)
			return -1;
		*cp = (unsigned char)val[e - esc];
		(*i)++;
		return 0;
	}
	if (hex4(s, len, *i + 1, &u) == -1 || (u >= 0xdc00 && u <= 0xdfff))
		return -1;
	*i += 5;
	if (u >= 0xd800 && u <= 0xdbff) {	/* a surrogate pair */
		if (len - *i < 6 || s[*i] != '\\' || s[*i + 1] != 'u' ||
		    hex4(s, len, *i + 2, &lo) == -1 || lo < 0xdc00 ||
		    lo > 0xdfff)
			return -1;
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		*i += 6;
	}
	*cp = u;
	return 0;
}

long
json_string(const char *s, size_t len, size_t *pos, uint32_t *cp,
    size_t max)
{
	size_t		 i = *pos, n = 0;
	uint32_t	 c;

	if (i >= len || s[i] != '"')
		return -1;
	for (i++; i < len && s[i] != '"'; n++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return -1;
		if (s[i] == '\\') {
			i++;
			if (json_escape(s, len, &i, &c) == -1)
				return -1;
		} else
			c = (unsigned char)s[i++];
		if (cp != NULL && n < max)
			cp[n] = c;
	}
	if (i >= len)
		return -1;
	*pos = i + 1;
	return (long)n;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; 0 or -1. */
static int
json_number(const char *s, size_t len, size_t *pos)
{
	size_t	 i = *pos, d;

	if (i < len && s[i] == '-')
		i++;
	for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d || (s[d] == '0' && i - d > 1))
		return -1;
	if (i < len && s[i] == '.') {
		for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return -1;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return -1;
	}
	*pos = i;
	return 0;
}

static void
skip_ws(const char *s, size_t len, size_t *pos)
{
	while (*pos < len && strchr(" \t\n\r", s[*pos]) != NULL &&
	    s[*pos] != '\0')
		(*pos)++;
}

/* The members of an object (obj) or array after its opening bracket. */
static int
json_members(const char *s, size_t len, size_t *pos, int depth, int obj)
{
	char	 close = obj ? '}' : ']';

	skip_ws(s, len, pos);
	if (*pos < len && s[*pos] == close) {
		(*pos)++;
		return 0;
	}
	for (;;) {
		skip_ws(s, len, pos);
		if (obj) {
			if (json_string(s, len, pos, NULL, 0) == -1)
				return -1;
			skip_ws(s, len, pos);
			if (*pos >= len || s[(*pos)++] != ':')
				return -1;
		}
		if (json_value(s, len, pos, depth + 1) == -1)
			return -1;
		skip_ws(s, len, pos);
		if (*pos >= len)
			return -1;
		if (s[*pos] == close) {
			(*pos)++;
			return 0;
		}
		if (s[(*pos)++] != ',')
			return -1;
	}
}

/* One value at s[*pos], *pos moved past it; 0 or -1. */
static int
json_value(const char *s, size_t len, size_t *pos, int depth)
{
	static const char *const lit[] = { "true", "false", "null" };
	size_t			 k;

	skip_ws(s, len, pos);
	if (*pos >= len || depth > 64)
		return -1;
	switch (s[*pos]) {
	case '{':
	case '[':
		(*pos)++;
		return json_members(s, len, pos, depth, s[*pos - 1] == '{');
	case '"':
		return json_string(s, len, pos, NULL, 0) == -1 ? -1 : 0;
	}
	for (k = 0; k < 3; k++) {
		if (len - *pos >= strlen(lit[k]) &&
		    memcmp(s + *pos, lit[k], strlen(lit[k])) == 0) {
			*pos += strlen(lit[k]);
			return 0;
		}
	}
	return json_number(s, len, pos);
}

int
json_check_object(const char *s, size_t len)
{
	size_t	 pos = 0;

	skip_ws(s, len, &pos);
	if (pos >= len || s[pos] != '{' || json_value(s, len, &pos, 0) == -1)
		return -1;
	skip_ws(s, len, &pos);
	return pos == len ? 0 : -1;
}
