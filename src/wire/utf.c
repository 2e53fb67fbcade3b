/* UTF-8 and UTF-16LE validation and conversion.  MS-PPGRH and MS-PNRP carry strings as
 * UTF-16LE on the wire; the API speaks UTF-8. */
#include "peernet/wire.h"

/* Decode one scalar value from UTF-8; returns bytes used or a negative error. */
static int utf8_next(const uint8_t *s, size_t len, uint32_t *cp)
{
    uint32_t c = s[0], min;
    size_t n, i;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        c &= 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        c &= 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return PN_ERR_UTF8;
    }
    if (n > len)
        return PN_ERR_UTF8;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return PN_ERR_UTF8;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return PN_ERR_UTF8;
    *cp = c;
    return (int)n;
}

/* Decode one scalar value from UTF-16LE bytes; returns bytes used or a negative error. */
static int utf16_next(const uint8_t *s, size_t len, uint32_t *cp)
{
    uint32_t hi, lo;
    if (len < 2)
        return PN_ERR_UTF16;
    hi = pn_get_u16le(s);
    if (hi < 0xD800 || hi > 0xDFFF) {
        *cp = hi;
        return 2;
    }
    if (hi > 0xDBFF || len < 4)
        return PN_ERR_UTF16;
    lo = pn_get_u16le(s + 2);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return PN_ERR_UTF16;
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    return 4;
}

int pn_utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    uint32_t cp;
    while (i < len) {
        int n = utf8_next(s + i, len - i, &cp);
        if (n < 0)
            return n;
        i += (size_t)n;
    }
    return PN_OK;
}

int pn_utf16le_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    uint32_t cp;
    if (len % 2 != 0)
        return PN_ERR_UTF16;
    while (i < len) {
        int n = utf16_next(s + i, len - i, &cp);
        if (n < 0)
            return n;
        i += (size_t)n;
    }
    return PN_OK;
}

/* Both conversions validate the whole input and size the output before writing, so a
 * failure leaves out untouched beyond what the caller already owned. */
int pn_utf8_to_utf16le(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *needed)
{
    size_t i = 0, need = 0, o = 0;
    uint32_t cp;
    while (i < in_len) {
        int n = utf8_next(in + i, in_len - i, &cp);
        if (n < 0)
            return n;
        i += (size_t)n;
        need += cp >= 0x10000 ? 4 : 2;
    }
    if (needed != NULL)
        *needed = need;
    if (need > cap || need > (size_t)INT32_MAX)
        return PN_ERR_BUFSIZE;
    for (i = 0; i < in_len;) {
        i += (size_t)utf8_next(in + i, in_len - i, &cp);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            pn_put_u16le(out + o, (uint16_t)(0xD800 + (cp >> 10)));
            pn_put_u16le(out + o + 2, (uint16_t)(0xDC00 + (cp & 0x3FF)));
            o += 4;
        } else {
            pn_put_u16le(out + o, (uint16_t)cp);
            o += 2;
        }
    }
    return (int)o;
}

int pn_utf16le_to_utf8(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *needed)
{
    size_t i = 0, need = 0, o = 0;
    uint32_t cp;
    if (in_len % 2 != 0)
        return PN_ERR_UTF16;
    while (i < in_len) {
        int n = utf16_next(in + i, in_len - i, &cp);
        if (n < 0)
            return n;
        i += (size_t)n;
        need += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    if (needed != NULL)
        *needed = need;
    if (need > cap || need > (size_t)INT32_MAX)
        return PN_ERR_BUFSIZE;
    for (i = 0; i < in_len;) {
        i += (size_t)utf16_next(in + i, in_len - i, &cp);
        if (cp < 0x80) {
            out[o++] = (uint8_t)cp;
        } else if (cp < 0x800) {
            out[o++] = (uint8_t)(0xC0 | (cp >> 6));
            out[o++] = (uint8_t)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[o++] = (uint8_t)(0xE0 | (cp >> 12));
            out[o++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (uint8_t)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (uint8_t)(0xF0 | (cp >> 18));
            out[o++] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (uint8_t)(0x80 | (cp & 0x3F));
        }
    }
    return (int)o;
}
