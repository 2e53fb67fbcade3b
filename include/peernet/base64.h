/* Base64 (RFC 4648 section 4): encoder and strict decoder.
 *
 * The decoder accepts only canonical text: the standard alphabet, '=' padding to a
 * multiple of four characters, and zero bits in the unused low bits of the last
 * character before the padding (RFC 4648 3.5).  With PN_BASE64_SKIP_WS it ignores
 * spaces, tabs, CR and LF anywhere, for PEM bodies; nothing else is ever skipped.
 * Characters are mapped to values with arithmetic rather than a table, so decoding a
 * PEM private key does not index memory with key material.
 */
#ifndef PEERNET_BASE64_H
#define PEERNET_BASE64_H

#include <stddef.h>
#include <stdint.h>

#define PN_BASE64_SKIP_WS 1u /* decode: ignore ' ', '\t', '\r', '\n' */

/* Characters the encoding of len bytes takes: 4 * ceil(len / 3); 0 on overflow. */
size_t pn_base64_encoded_len(size_t len);

/* Encode len bytes.  Returns the number of characters written (no NUL is added), or
 * PN_ERR_BUFSIZE with *needed (when not NULL) set to the exact size, or PN_ERR_RANGE when
 * the result would not fit an int. */
int pn_base64_encode(const void *in, size_t len, char *out, size_t cap, size_t *needed);

/* Decode len characters.  Returns the number of bytes written, or PN_ERR_CRYPTO_BASE64
 * for any text that is not canonical Base64 (nothing useful is left in out), or
 * PN_ERR_BUFSIZE with *needed set to the exact decoded size (the input is fully
 * validated first, so PN_ERR_BUFSIZE means the text is valid). */
int pn_base64_decode(const char *in, size_t len, uint8_t *out, size_t cap, size_t *needed,
                     unsigned flags);

#endif
