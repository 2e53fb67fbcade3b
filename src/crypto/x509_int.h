/* Internal to src/crypto: OID constants shared by the key, certificate and PKCS#7 code. */
#ifndef PN_X509_INT_H
#define PN_X509_INT_H

#include "peernet/x509.h"

/* Content octets of the OIDs; the string literals drop their NUL via PN_OID_LEN. */
#define PN_OID_LEN(s)      (sizeof(s) - 1)
#define PN_OID_IS(p, n, s) pn_der_oid_eq((p), (n), (const uint8_t *)(s), PN_OID_LEN(s))

#define PN_OID_RSA_ENCRYPTION       "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01" /* 1.2.840.113549.1.1.1 */
#define PN_OID_MD5_RSA              "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x04"
#define PN_OID_SHA1_RSA             "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x05"
#define PN_OID_SHA256_RSA           "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"
#define PN_OID_PKCS7_DATA           "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01" /* 1.2.840.113549.1.7.1 */
#define PN_OID_PKCS7_SIGNED_DATA    "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" /* 1.2.840.113549.1.7.2 */
#define PN_OID_AT_COMMON_NAME       "\x55\x04\x03"                         /* 2.5.4.3 */
#define PN_OID_SUBJECT_KEY_ID       "\x55\x1d\x0e"                         /* 2.5.29.14 */
#define PN_OID_AUTHORITY_KEY_ID     "\x55\x1d\x23"                         /* 2.5.29.35 */
#define PN_OID_OLD_SUBJECT_ALT_NAME "\x55\x1d\x07"                         /* 2.5.29.7 */
#define PN_OID_OLD_ISSUER_ALT_NAME  "\x55\x1d\x08"                         /* 2.5.29.8 */

/* Read a SubjectPublicKeyInfo (rsaEncryption) TLV at the cursor. */
int pn_rsa_spki_read(pn_der *d, pn_rsa_public *key);

#endif
