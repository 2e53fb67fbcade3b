/* DER (ITU-T X.690 distinguished encoding rules): a flat cursor reader and a writer.
 *
 * Reader.  A pn_der is a cursor [p, end) over encoded bytes.  Each call reads one TLV at
 * the cursor; to look inside a SEQUENCE/SET/context tag the caller asks for an inner
 * cursor over its value (pn_der_enter) and walks it explicitly.  Nothing in this reader
 * recurses, so nesting in hostile input costs no stack; the one generic walker
 * (pn_der_validate) keeps an explicit stack bounded by PN_DER_MAX_DEPTH.
 * Enforced (X.690 10.1, 8.1.2, 8.1.3): definite lengths only, in the minimal number of
 * octets; single-octet identifiers (tag numbers 0..30; the high-tag-number form is
 * rejected because nothing peernet reads needs it); a TLV never runs past its container.
 * Errors: PN_ERR_TRUNCATED when a length runs past the available bytes,
 * PN_ERR_CRYPTO_DER for every other malformation (wrong tag, non-minimal form,
 * indefinite length, trailing bytes inside a container), PN_ERR_CRYPTO_DER_DEPTH.
 * A failed call leaves the cursor where it was.
 *
 * Writer.  DER uses pn_wr (peernet/wire.h).  A constructed value is opened with
 * pn_der_wr_open, which writes the tag and a one-octet length placeholder and returns a
 * mark; pn_der_wr_close computes the content length and, when the length needs the long
 * form, moves the content up by the extra octets (memmove) before writing it.  That
 * keeps one forward pass and exact sizing: with a too-small buffer (or a sizing pass
 * with cap 0) pn_wr keeps counting and the close adds the same extra octets to the
 * count, so pn_wr_len is the exact size needed.
 */
#ifndef PEERNET_DER_H
#define PEERNET_DER_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/opts.h"
#include "peernet/wire.h"

/* Identifier octets (X.690 8.1.2): class bits, constructed bit, universal numbers. */
#define PN_DER_CONSTRUCTED      0x20u
#define PN_DER_CONTEXT          0x80u
#define PN_DER_BOOLEAN          0x01u
#define PN_DER_INTEGER          0x02u
#define PN_DER_BIT_STRING       0x03u
#define PN_DER_OCTET_STRING     0x04u
#define PN_DER_NULL             0x05u
#define PN_DER_OID              0x06u
#define PN_DER_UTF8_STRING      0x0Cu
#define PN_DER_PRINTABLE_STRING 0x13u
#define PN_DER_T61_STRING       0x14u
#define PN_DER_IA5_STRING       0x16u
#define PN_DER_UTC_TIME         0x17u
#define PN_DER_GENERALIZED_TIME 0x18u
#define PN_DER_UNIVERSAL_STRING 0x1Cu
#define PN_DER_BMP_STRING       0x1Eu
#define PN_DER_SEQUENCE         0x30u
#define PN_DER_SET              0x31u
/* [n] with the constructed bit (EXPLICIT tags, IMPLICIT SEQUENCE/SET) and without. */
#define PN_DER_CTX_C(n) ((uint8_t)(0xA0u | (n)))
#define PN_DER_CTX_P(n) ((uint8_t)(0x80u | (n)))

/* Longest OID text pn_der_oid_text writes for a typical OID, with its NUL. */
#define PN_DER_OID_TEXT_MAX 128

typedef struct pn_der {
    const uint8_t *p;
    const uint8_t *end;
} pn_der;

/* One TLV: its identifier octet, where it starts (tlv), and its value. */
typedef struct pn_der_tlv {
    uint8_t tag;
    const uint8_t *tlv; /* first byte of the identifier */
    size_t tlv_len;     /* header plus value */
    const uint8_t *val;
    size_t len;
} pn_der_tlv;

/* ---- reader ------------------------------------------------------------------------ */
void pn_der_init(pn_der *d, const uint8_t *buf, size_t len);
int pn_der_at_end(const pn_der *d); /* 1 when no bytes are left */
size_t pn_der_left(const pn_der *d);
/* PN_OK when the cursor consumed everything, PN_ERR_CRYPTO_DER otherwise (for the end
 * of a container); callers at the top level use pn_der_finish_top. */
int pn_der_finish(const pn_der *d);
int pn_der_finish_top(const pn_der *d); /* PN_ERR_TRAILING for leftover bytes */

/* The identifier octet at the cursor, or a negative error when none or invalid. */
int pn_der_peek(const pn_der *d);
/* Read any TLV. */
int pn_der_next(pn_der *d, pn_der_tlv *t);
/* Read a TLV that must carry `tag` (PN_ERR_CRYPTO_DER otherwise). */
int pn_der_expect(pn_der *d, uint8_t tag, pn_der_tlv *t);
/* Read a TLV with `tag` and give a cursor over its value. */
int pn_der_enter(pn_der *d, uint8_t tag, pn_der *inner);
/* Optional element: 1 and t filled when the next TLV has `tag`, 0 when the cursor is at
 * its end or another tag follows, or a negative error. */
int pn_der_optional(pn_der *d, uint8_t tag, pn_der_tlv *t);

/* Primitive values, each reading one TLV of the universal type at the cursor. */
/* INTEGER (X.690 8.3): at least one octet, no redundant leading 0x00/0xFF.  The content
 * octets (two's complement) are returned. */
int pn_der_read_integer(pn_der *d, const uint8_t **val, size_t *len);
/* A non-negative INTEGER as a big-endian magnitude without the sign octet (zero is one
 * 0x00 octet); PN_ERR_CRYPTO_DER for a negative value. */
int pn_der_read_uint(pn_der *d, const uint8_t **mag, size_t *len);
/* A non-negative INTEGER that fits 32 bits (PN_ERR_RANGE otherwise). */
int pn_der_read_u32(pn_der *d, uint32_t *out);
/* A signed INTEGER that fits 64 bits (PN_ERR_RANGE otherwise). */
int pn_der_read_i64(pn_der *d, int64_t *out);
/* BOOLEAN (X.690 11.1): one octet, 0x00 or 0xFF only.  *out is 0 or 1. */
int pn_der_read_bool(pn_der *d, int *out);
int pn_der_read_null(pn_der *d);
/* BIT STRING (X.690 8.6, 11.2): the unused-bits octet is 0..7, 0 for an empty string,
 * and the unused bits are zero.  bits/len exclude the unused-bits octet. */
int pn_der_read_bits(pn_der *d, const uint8_t **bits, size_t *len, unsigned *unused);
int pn_der_read_octets(pn_der *d, const uint8_t **val, size_t *len);
/* OBJECT IDENTIFIER (X.690 8.19): non-empty, every subidentifier minimal and complete.
 * val/len are the content octets, the form pn_der_oid_eq compares against. */
int pn_der_read_oid(pn_der *d, const uint8_t **val, size_t *len);
/* Validate OID content octets (the same rules). */
int pn_der_oid_check(const uint8_t *oid, size_t len);
/* 1 when the OID content octets equal the constant enc/enc_len. */
int pn_der_oid_eq(const uint8_t *oid, size_t len, const uint8_t *enc, size_t enc_len);
/* Dotted text of OID content octets, NUL-terminated; returns the text length.  Arcs
 * above 2^32-1 give PN_ERR_UNSUPPORTED; a short buffer PN_ERR_BUFSIZE. */
int pn_der_oid_text(const uint8_t *oid, size_t len, char *out, size_t cap);
/* Encode dotted text ("1.2.840.113549") to content octets; returns their length. */
int pn_der_oid_from_text(const char *text, uint8_t *out, size_t cap);

/* UTCTime or GeneralizedTime (RFC 5280 4.1.2.5 profile of X.690 11.7/11.8): seconds
 * present, no fraction, "Z" only.  UTCTime years 50..99 are 19xx, 00..49 are 20xx.
 * The result is seconds since 1970-01-01T00:00:00Z (negative before). */
int pn_der_read_time(pn_der *d, int64_t *secs);
/* Parse the value octets of a time TLV of the given tag. */
int pn_der_time_parse(uint8_t tag, const uint8_t *val, size_t len, int64_t *secs);

/* Character strings: UTF8String, PrintableString, IA5String, T61String (read as
 * Latin-1), BMPString (UCS-2 BE), UniversalString (UCS-4 BE).  The value is checked
 * against its type's alphabet. */
int pn_der_read_string(pn_der *d, pn_der_tlv *t);
int pn_der_string_check(uint8_t tag, const uint8_t *val, size_t len);
/* Convert a string value to UTF-8 with a NUL terminator; returns the length without the
 * NUL.  PN_ERR_BUFSIZE when cap is too small. */
int pn_der_string_to_utf8(uint8_t tag, const uint8_t *val, size_t len, char *out, size_t cap);

/* Walk a whole DER encoding iteratively: every TLV well formed, constructed values
 * exactly filled by their children, at most max_depth levels (PN_DER_MAX_DEPTH caps
 * it).  Returns the number of TLVs, or an error (PN_ERR_CRYPTO_DER_DEPTH when deeper).
 * Primitive values are not interpreted. */
int pn_der_validate(const uint8_t *buf, size_t len, unsigned max_depth);

/* ---- calendar ---------------------------------------------------------------------- */
/* Seconds since the epoch for a UTC date (proleptic Gregorian, years 0..9999) and back.
 * No 64-bit division is used. */
int64_t pn_der_time_from_civil(int year, int month, int day, int hour, int min, int sec);
int pn_der_time_to_civil(int64_t secs, int *year, int *month, int *day, int *hour, int *min,
                         int *sec);

/* ---- writer ------------------------------------------------------------------------ */
/* Header for a value of known length. */
void pn_der_wr_header(pn_wr *w, uint8_t tag, size_t len);
void pn_der_wr_tlv(pn_wr *w, uint8_t tag, const void *val, size_t len);
/* Open a constructed value; close it with the returned mark (nest freely). */
size_t pn_der_wr_open(pn_wr *w, uint8_t tag);
void pn_der_wr_close(pn_wr *w, size_t mark);
/* INTEGER from a big-endian magnitude (leading zeros dropped, 0x00 added when the top
 * bit is set): always non-negative.  An empty or all-zero magnitude encodes 0. */
void pn_der_wr_uint(pn_wr *w, const uint8_t *mag, size_t len);
void pn_der_wr_i64(pn_wr *w, int64_t v);
void pn_der_wr_bool(pn_wr *w, int v);
void pn_der_wr_null(pn_wr *w);
void pn_der_wr_oid(pn_wr *w, const uint8_t *enc, size_t len); /* content octets */
/* BIT STRING with zero unused bits. */
void pn_der_wr_bits(pn_wr *w, const uint8_t *bits, size_t len);
void pn_der_wr_octets(pn_wr *w, const uint8_t *val, size_t len);
/* UTCTime for 1950..2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5); PN_ERR_RANGE
 * outside years 0..9999. */
void pn_der_wr_time(pn_wr *w, int64_t secs);

#endif
