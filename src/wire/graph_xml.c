/* MS-PPGRH 2.2.3.5 record attributes: the XML subset the schema allows, and nothing more.
 *
 *   doc     = S? "<attributes" S? ">" (S? element)+ S? "</attributes" S? ">" S?
 *   element = "<attribute" (S attr)(S attr) S? ("/>" | ">" text "</attribute" S? ">")
 *   attr    = ("name" | "type") S? "=" S? quoted   (each exactly once, either order)
 *
 * No declaration, comments, CDATA, processing instructions or other attributes (decision
 * G-11).  The structure is fixed, so the parser is a flat loop: no recursion, and the
 * work is linear in the input. */
#include "wire/graph_int.h"
#include "wire/pn_mem.h"

typedef struct xp {
    const uint8_t *p; /* wire UTF-16 */
    size_t n;         /* code units, NUL excluded */
    const uint8_t *base;
    pn_graph_err *err;
} xp;

static uint32_t at(const xp *x, size_t i)
{
    return i < x->n ? pn_graph_u16_get(x->p + 2 * i) : 0xFFFFFFFFu;
}

static int xfail(const xp *x, int code, size_t i, const char *field)
{
    return pn_graph_fail(x->err, code, x->base, x->p + 2 * (i < x->n ? i : x->n), field);
}

static int is_space(uint32_t c)
{
    return c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A;
}

static void skip_space(const xp *x, size_t *i)
{
    while (is_space(at(x, *i)))
        (*i)++;
}

/* Match an ASCII literal. */
static int lit(const xp *x, size_t i, const char *s)
{
    for (; *s; s++, i++)
        if (at(x, i) != (uint32_t)(unsigned char)*s)
            return 0;
    return 1;
}

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static int expect(const xp *x, size_t *i, const char *s, const char *field)
{
    if (!lit(x, *i, s))
        return xfail(x, PN_ERR_GRAPH_XML, *i, field);
    *i += slen(s);
    return PN_OK;
}

/* XML 1.0 Char for a BMP code unit (surrogates were paired by the string check). */
static int xml_char(uint32_t c)
{
    return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0xFFFD);
}

/* One character of text starting at *i (entity references expanded).  Returns the code
 * point (a surrogate pair counts as one), or -1 at a malformed reference. */
static long text_char(const xp *x, size_t *i, size_t end)
{
    static const struct {
        const char *name;
        uint32_t c;
    } ents[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    uint32_t c = at(x, *i), v = 0;
    size_t k, digits = 0;
    if (c >= 0xD800 && c <= 0xDBFF && *i + 1 < end) {
        uint32_t d = at(x, *i + 1);
        *i += 2;
        return (long)(0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00));
    }
    if (c != '&') {
        (*i)++;
        return (long)c;
    }
    for (k = 0; k < sizeof ents / sizeof ents[0]; k++)
        if (*i + 1 + slen(ents[k].name) <= end && lit(x, *i + 1, ents[k].name)) {
            *i += 1 + slen(ents[k].name);
            return (long)ents[k].c;
        }
    if (at(x, *i + 1) != '#')
        return -1;
    k = *i + 2;
    if (at(x, k) == 'x') {
        for (k++; k < end && digits < 7; k++, digits++) {
            uint32_t d = at(x, k);
            if (d >= '0' && d <= '9')
                v = v * 16 + (d - '0');
            else if ((d | 0x20) >= 'a' && (d | 0x20) <= 'f')
                v = v * 16 + ((d | 0x20) - 'a' + 10);
            else
                break;
        }
    } else {
        for (; k < end && digits < 8; k++, digits++) {
            uint32_t d = at(x, k);
            if (d < '0' || d > '9')
                break;
            v = v * 10 + (d - '0');
        }
    }
    if (digits == 0 || k >= end || at(x, k) != ';')
        return -1;
    if (!(xml_char(v) && !(v >= 0xD800 && v <= 0xDFFF)) && !(v >= 0x10000 && v <= 0x10FFFF))
        return -1;
    *i = k + 1;
    return (long)v;
}

static int is_digit(long c)
{
    return c >= '0' && c <= '9';
}

/* Read exactly n digits from the expanded value. */
static int digits(const xp *x, size_t *i, size_t end, int n, unsigned *out)
{
    unsigned v = 0;
    for (; n > 0; n--) {
        long c;
        if (*i >= end)
            return 0;
        c = text_char(x, i, end);
        if (!is_digit(c))
            return 0;
        v = v * 10 + (unsigned)(c - '0');
    }
    *out = v;
    return 1;
}

static int next_is(const xp *x, size_t *i, size_t end, char want)
{
    size_t j = *i;
    if (j >= end || text_char(x, &j, end) != want)
        return 0;
    *i = j;
    return 1;
}

/* ISO 8601 calendar date, optionally with a time and a zone (decision G-11):
 * YYYY-MM-DD[Thh:mm[:ss[.f+]][Z|(+|-)hh:mm]] */
static int date_ok(const xp *x, size_t i, size_t end)
{
    static const unsigned char dim[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y, mo, d, h, mi, s;
    if (!digits(x, &i, end, 4, &y) || !next_is(x, &i, end, '-') || !digits(x, &i, end, 2, &mo) ||
        !next_is(x, &i, end, '-') || !digits(x, &i, end, 2, &d))
        return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > dim[mo - 1])
        return 0;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    if (i == end)
        return 1;
    if (!next_is(x, &i, end, 'T') || !digits(x, &i, end, 2, &h) || !next_is(x, &i, end, ':') ||
        !digits(x, &i, end, 2, &mi) || h > 23 || mi > 59)
        return 0;
    if (next_is(x, &i, end, ':')) {
        if (!digits(x, &i, end, 2, &s) || s > 60)
            return 0;
        if (next_is(x, &i, end, '.')) {
            unsigned f;
            if (!digits(x, &i, end, 1, &f))
                return 0;
            while (digits(x, &i, end, 1, &f))
                ;
        }
    }
    if (i == end || next_is(x, &i, end, 'Z'))
        return i == end;
    if (!next_is(x, &i, end, '+') && !next_is(x, &i, end, '-'))
        return 0;
    if (!digits(x, &i, end, 2, &h) || !next_is(x, &i, end, ':') || !digits(x, &i, end, 2, &mi))
        return 0;
    return h <= 23 && mi <= 59 && i == end;
}

/* MS-PPGRH 2.2.3.5: names the Peer Infrastructure keeps for itself (compared without
 * regard to case: decision G-11). */
static int reserved_name(const xp *x, size_t i, size_t n)
{
    static const char *const names[] = {"peerlastmodifiedby",       "peercreatorid",
                                        "peerlastmodificationtime", "peerrecordid",
                                        "peerrecordtype",           "peercreationtime"};
    size_t k, j;
    for (k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (slen(names[k]) != n)
            continue;
        for (j = 0; j < n; j++) {
            uint32_t c = at(x, i + j);
            if (c >= 'A' && c <= 'Z')
                c |= 0x20;
            if (c != (uint32_t)(unsigned char)names[k][j])
                break;
        }
        if (j == n)
            return 1;
    }
    return 0;
}

/* One <attribute> element starting at *i (at its '<'). */
static int element(const xp *x, size_t *i, unsigned flags, pn_graph_attr *a)
{
    int seen_name = 0, seen_type = 0, k;
    size_t name_at = 0, name_n = 0, type_at = 0, type_n = 0, vstart, vend;
    int rc;
    if ((rc = expect(x, i, "<attribute", "attribute")) != PN_OK)
        return rc;
    for (k = 0; k < 2; k++) {
        size_t s = *i, q, v;
        uint32_t quote;
        int is_name;
        skip_space(x, i);
        if (*i == s)
            return xfail(x, PN_ERR_GRAPH_XML, *i, "attribute");
        if (lit(x, *i, "name"))
            is_name = 1;
        else if (lit(x, *i, "type"))
            is_name = 0;
        else
            return xfail(x, PN_ERR_GRAPH_XML, *i, "attribute");
        if ((is_name && seen_name) || (!is_name && seen_type))
            return xfail(x, PN_ERR_GRAPH_XML, *i, is_name ? "attribute/name" : "attribute/type");
        *i += 4;
        skip_space(x, i);
        if ((rc = expect(x, i, "=", "attribute")) != PN_OK)
            return rc;
        skip_space(x, i);
        quote = at(x, *i);
        if (quote != '"' && quote != '\'')
            return xfail(x, PN_ERR_GRAPH_XML, *i, "attribute");
        q = ++*i;
        for (v = q; v < x->n && at(x, v) != quote; v++)
            ;
        if (v >= x->n)
            return xfail(x, PN_ERR_GRAPH_XML, q, "attribute");
        if (is_name) {
            seen_name = 1;
            name_at = q;
            name_n = v - q;
        } else {
            seen_type = 1;
            type_at = q;
            type_n = v - q;
        }
        *i = v + 1;
    }
    /* attribute/name: 1 to 40 characters of [0-9A-Za-z]. */
    if (name_n < 1 || name_n > PN_GRAPH_ATTR_NAME_MAX)
        return xfail(x, PN_ERR_GRAPH_ATTR, name_at, "attribute/name");
    for (k = 0; (size_t)k < name_n; k++) {
        uint32_t c = at(x, name_at + (size_t)k);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return xfail(x, PN_ERR_GRAPH_ATTR, name_at + (size_t)k, "attribute/name");
    }
    if ((flags & PN_GRAPH_ATTRS_APP) && reserved_name(x, name_at, name_n))
        return xfail(x, PN_ERR_GRAPH_ATTR, name_at, "attribute/name");
    if (type_n == 6 && lit(x, type_at, "string"))
        a->type = PN_GRAPH_ATTR_STRING;
    else if (type_n == 3 && lit(x, type_at, "int"))
        a->type = PN_GRAPH_ATTR_INT;
    else if (type_n == 4 && lit(x, type_at, "date"))
        a->type = PN_GRAPH_ATTR_DATE;
    else
        return xfail(x, PN_ERR_GRAPH_ATTR, type_at, "attribute/type");
    skip_space(x, i);
    if (lit(x, *i, "/>")) {
        *i += 2;
        vstart = vend = *i;
    } else {
        size_t j;
        if ((rc = expect(x, i, ">", "attribute")) != PN_OK)
            return rc;
        vstart = *i;
        while (*i < x->n && at(x, *i) != '<')
            (*i)++;
        vend = *i;
        /* Text: XML characters, well-formed references, no "]]>". */
        for (j = vstart; j < vend;) {
            size_t c0 = j;
            long c = text_char(x, &j, vend);
            if (c < 0 || (c < 0x10000 && !xml_char((uint32_t)c)))
                return xfail(x, PN_ERR_GRAPH_XML, c0, "attribute value");
            if (c == '>' && at(x, c0) == '>' && c0 >= vstart + 2 && at(x, c0 - 1) == ']' &&
                at(x, c0 - 2) == ']')
                return xfail(x, PN_ERR_GRAPH_XML, c0, "attribute value");
        }
        if ((rc = expect(x, i, "</attribute", "attribute")) != PN_OK)
            return rc;
        skip_space(x, i);
        if ((rc = expect(x, i, ">", "attribute")) != PN_OK)
            return rc;
    }
    if (a->type == PN_GRAPH_ATTR_INT) {
        size_t j = vstart;
        if (vstart == vend)
            return xfail(x, PN_ERR_GRAPH_ATTR, vstart, "attribute value");
        while (j < vend) {
            size_t c0 = j;
            if (!is_digit(text_char(x, &j, vend)))
                return xfail(x, PN_ERR_GRAPH_ATTR, c0, "attribute value");
        }
    } else if (a->type == PN_GRAPH_ATTR_DATE && !date_ok(x, vstart, vend)) {
        return xfail(x, PN_ERR_GRAPH_ATTR, vstart, "attribute value");
    }
    a->name.p = x->p + 2 * name_at;
    a->name.count = (uint32_t)name_n;
    a->value.p = x->p + 2 * vstart;
    a->value.count = (uint32_t)(vend - vstart);
    return PN_OK;
}

static int root_open(const xp *x, size_t *i)
{
    int rc;
    skip_space(x, i);
    if ((rc = expect(x, i, "<attributes", "attributes")) != PN_OK)
        return rc;
    skip_space(x, i);
    return expect(x, i, ">", "attributes");
}

static int setup(xp *x, const pn_graph_str16 *xml, const uint8_t *base, pn_graph_err *err)
{
    size_t bad = 0;
    x->p = xml->p;
    x->n = xml->count > 0 ? xml->count - 1 : 0;
    x->base = base != NULL ? base : xml->p;
    x->err = err;
    if (xml->count == 0 || xml->p == NULL)
        return pn_graph_fail(err, PN_ERR_GRAPH_XML, x->base, xml->p, "Attributes");
    if (pn_graph_str16_check(xml->p, xml->count, &bad) != PN_OK)
        return pn_graph_fail(err, PN_ERR_GRAPH_STRING, x->base, xml->p + 2 * bad, "Attributes");
    return PN_OK;
}

int pn_graph_attrs_check(const pn_graph_str16 *xml, unsigned flags, const uint8_t *base,
                         pn_graph_err *err)
{
    xp x;
    size_t i = 0, j;
    int count = 0, rc;
    if ((rc = setup(&x, xml, base, err)) != PN_OK)
        return rc;
    if ((rc = root_open(&x, &i)) != PN_OK)
        return rc;
    for (;;) {
        pn_graph_attr a;
        skip_space(&x, &i);
        if (lit(&x, i, "</"))
            break;
        if (count >= PN_GRAPH_MAX_ATTRIBUTES)
            return xfail(&x, PN_ERR_GRAPH_TOO_BIG, i, "attribute");
        if ((rc = element(&x, &i, flags, &a)) != PN_OK)
            return rc;
        count++;
    }
    /* The schema's sequence has the default minOccurs of 1. */
    if (count == 0)
        return xfail(&x, PN_ERR_GRAPH_XML, i, "attribute");
    if ((rc = expect(&x, &i, "</attributes", "attributes")) != PN_OK)
        return rc;
    skip_space(&x, &i);
    if ((rc = expect(&x, &i, ">", "attributes")) != PN_OK)
        return rc;
    j = i;
    skip_space(&x, &j);
    if (j != x.n)
        return xfail(&x, PN_ERR_GRAPH_XML, j, "attributes");
    return count;
}

int pn_graph_attrs_validate(const pn_graph_str16 *xml, unsigned flags, const uint8_t *base,
                            pn_graph_err *err)
{
    if (err != NULL) {
        err->code = PN_OK;
        err->offset = 0;
        err->field = NULL;
    }
    if (xml == NULL)
        return PN_ERR_ARG;
    return pn_graph_attrs_check(xml, flags, base, err);
}

int pn_graph_attrs_next(const pn_graph_str16 *xml, size_t *pos, pn_graph_attr *a)
{
    xp x;
    size_t i = *pos;
    if (setup(&x, xml, NULL, NULL) != PN_OK)
        return PN_ERR_GRAPH_XML;
    if (i == 0 && root_open(&x, &i) != PN_OK)
        return PN_ERR_GRAPH_XML;
    skip_space(&x, &i);
    if (i >= x.n || lit(&x, i, "</"))
        return 0;
    if (element(&x, &i, 0, a) != PN_OK)
        return PN_ERR_GRAPH_XML;
    *pos = i;
    return 1;
}

/* ---- value expansion and building ---------------------------------------------------- */
typedef struct uw { /* UTF-8 or UTF-16 sink that counts past its capacity */
    uint8_t *buf;
    size_t cap, n;
} uw;

static void put8(uw *o, uint8_t b)
{
    if (o->buf != NULL && o->n < o->cap)
        o->buf[o->n] = b;
    o->n++;
}

static void put_utf8(uw *o, uint32_t c)
{
    if (c < 0x80) {
        put8(o, (uint8_t)c);
    } else if (c < 0x800) {
        put8(o, (uint8_t)(0xC0 | (c >> 6)));
        put8(o, (uint8_t)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        put8(o, (uint8_t)(0xE0 | (c >> 12)));
        put8(o, (uint8_t)(0x80 | ((c >> 6) & 0x3F)));
        put8(o, (uint8_t)(0x80 | (c & 0x3F)));
    } else {
        put8(o, (uint8_t)(0xF0 | (c >> 18)));
        put8(o, (uint8_t)(0x80 | ((c >> 12) & 0x3F)));
        put8(o, (uint8_t)(0x80 | ((c >> 6) & 0x3F)));
        put8(o, (uint8_t)(0x80 | (c & 0x3F)));
    }
}

int pn_graph_attr_value_utf8(const pn_graph_attr *a, char *out, size_t cap, size_t *needed)
{
    xp x;
    uw o;
    size_t i = 0;
    x.p = a->value.p;
    x.n = a->value.count;
    x.base = NULL;
    x.err = NULL;
    o.buf = (uint8_t *)out;
    o.cap = cap;
    o.n = 0;
    while (i < x.n) {
        long c = text_char(&x, &i, x.n);
        if (c < 0)
            return PN_ERR_GRAPH_XML;
        put_utf8(&o, (uint32_t)c);
    }
    if (needed != NULL)
        *needed = o.n;
    if (o.n > cap || out == NULL)
        return PN_ERR_BUFSIZE;
    if (o.n < cap)
        out[o.n] = 0;
    return (int)o.n;
}

static void put16(uw *o, uint32_t u)
{
    if (o->buf != NULL && o->n + 2 <= o->cap)
        pn_graph_u16_put(o->buf + o->n, (uint16_t)u);
    o->n += 2;
}

static void put_ascii(uw *o, const char *s)
{
    for (; *s; s++)
        put16(o, (uint8_t)*s);
}

/* UTF-8 text as UTF-16, escaping the characters XML text cannot hold literally. */
static int put_text(uw *o, const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t len = slen(s), i = 0;
    if (pn_utf8_valid(p, len) != PN_OK)
        return PN_ERR_UTF8;
    while (i < len) {
        uint32_t c = p[i];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, k;
        if (n > 1)
            c &= 0x3Fu >> (n - 1);
        for (k = 1; k < n; k++)
            c = (c << 6) | (p[i + k] & 0x3Fu);
        i += n;
        if (c == '&')
            put_ascii(o, "&amp;");
        else if (c == '<')
            put_ascii(o, "&lt;");
        else if (c == '>')
            put_ascii(o, "&gt;");
        else if (c < 0x10000 && !xml_char(c))
            return PN_ERR_GRAPH_ATTR;
        else if (c >= 0x10000) {
            put16(o, 0xD800 + ((c - 0x10000) >> 10));
            put16(o, 0xDC00 + (c & 0x3FF));
        } else {
            put16(o, c);
        }
    }
    return PN_OK;
}

int pn_graph_attrs_encode(const pn_graph_attr_in *attrs, size_t n, uint8_t *buf, size_t cap,
                          size_t *needed, pn_graph_str16 *out)
{
    static const char *const types[] = {NULL, "string", "int", "date"};
    uw o;
    size_t k;
    int rc;
    if (needed != NULL)
        *needed = 0;
    if (attrs == NULL || n == 0)
        return PN_ERR_ARG;
    o.buf = buf;
    o.cap = cap;
    o.n = 0;
    put_ascii(&o, "<attributes>");
    for (k = 0; k < n; k++) {
        const char *nm = attrs[k].name;
        if (nm == NULL || attrs[k].value == NULL || attrs[k].type < PN_GRAPH_ATTR_STRING ||
            attrs[k].type > PN_GRAPH_ATTR_DATE)
            return PN_ERR_ARG;
        put_ascii(&o, "<attribute name=\"");
        if ((rc = put_text(&o, nm)) != PN_OK)
            return rc;
        put_ascii(&o, "\" type=\"");
        put_ascii(&o, types[attrs[k].type]);
        put_ascii(&o, "\">");
        if ((rc = put_text(&o, attrs[k].value)) != PN_OK)
            return rc;
        put_ascii(&o, "</attribute>");
    }
    put_ascii(&o, "</attributes>");
    put16(&o, 0);
    if (needed != NULL)
        *needed = o.n;
    if (o.n > cap || buf == NULL)
        return PN_ERR_BUFSIZE;
    if (o.n / 2 > 0xFFFFFFFFu || o.n > 0x7fffffffu)
        return PN_ERR_OVERFLOW;
    {
        pn_graph_str16 s;
        s.p = buf;
        s.count = (uint32_t)(o.n / 2);
        rc = pn_graph_attrs_check(&s, 0, NULL, NULL);
        if (rc < 0)
            return rc;
        if (out != NULL)
            *out = s;
    }
    return (int)o.n;
}
