/* peernet error codes.
 *
 * Functions return a negative pn_err or a non-negative count.  Every code has a name and
 * a one-line message (pn_strerror, pn_errname).  Codes are grouped per module in
 * X-macro lists with fixed numeric ranges so that modules can add codes independently;
 * a code's number never changes once released.
 */
#ifndef PEERNET_ERR_H
#define PEERNET_ERR_H

/* X(NAME, value, "message") */

/* generic: -1 .. -31 */
#define PN_ERRORS_GENERIC(X)                                                                       \
    X(PN_ERR_ARG, -1, "invalid argument")                                                          \
    X(PN_ERR_NOMEM, -2, "caller-provided table or buffer is full")                                 \
    X(PN_ERR_BUFSIZE, -3, "output buffer too small")                                               \
    X(PN_ERR_WOULDBLOCK, -4, "operation would block; try again later")                             \
    X(PN_ERR_NOTFOUND, -5, "not found")                                                            \
    X(PN_ERR_EXISTS, -6, "already exists")                                                         \
    X(PN_ERR_STATE, -7, "operation not valid in the current state")                                \
    X(PN_ERR_IO, -8, "platform I/O error")                                                         \
    X(PN_ERR_CLOSED, -9, "connection closed")                                                      \
    X(PN_ERR_TIMEOUT, -10, "timed out")                                                            \
    X(PN_ERR_UNSUPPORTED, -11, "not supported by this build or platform")                          \
    X(PN_ERR_RANGE, -12, "value out of range")                                                     \
    X(PN_ERR_UNREACHABLE, -13, "destination unreachable")                                          \
    X(PN_ERR_REFUSED, -14, "connection refused")                                                   \
    X(PN_ERR_CORRUPT, -15, "stored data corrupt (checksum mismatch)")

/* wire primitives: -32 .. -63 */
#define PN_ERRORS_WIRE(X)                                                                          \
    X(PN_ERR_TRUNCATED, -32, "input ends before the field it announces")                           \
    X(PN_ERR_TRAILING, -33, "unexpected bytes after the end of the message")                       \
    X(PN_ERR_LENGTH, -34, "length field inconsistent with the data")                               \
    X(PN_ERR_UTF8, -35, "invalid UTF-8")                                                           \
    X(PN_ERR_UTF16, -36, "invalid UTF-16")                                                         \
    X(PN_ERR_PADDING, -37, "alignment padding is not zero")                                        \
    X(PN_ERR_OVERFLOW, -38, "value does not fit its field")

/* crypto: -64 .. -127 */
#define PN_ERRORS_CRYPTO(X)                                                                        \
    X(PN_ERR_CRYPTO_KEYSIZE, -64, "key size outside the supported range")                          \
    X(PN_ERR_CRYPTO_SIGNATURE, -65, "signature verification failed")                               \
    X(PN_ERR_CRYPTO_PADDING, -66, "invalid padding")                                               \
    X(PN_ERR_CRYPTO_DER, -67, "malformed DER")                                                     \
    X(PN_ERR_CRYPTO_DER_DEPTH, -68, "DER nesting deeper than PN_DER_MAX_DEPTH")                    \
    X(PN_ERR_CRYPTO_X509, -69, "malformed or unsupported X.509 certificate")                       \
    X(PN_ERR_CRYPTO_CHAIN, -70, "certificate chain longer than PN_X509_MAX_CHAIN or broken")       \
    X(PN_ERR_CRYPTO_EXPIRED, -71, "certificate outside its validity period")                       \
    X(PN_ERR_CRYPTO_ALGORITHM, -72, "unsupported algorithm")                                       \
    X(PN_ERR_CRYPTO_KEY, -73, "invalid key")                                                       \
    X(PN_ERR_CRYPTO_ENTROPY, -74, "random source failed or DRBG needs reseeding")                  \
    X(PN_ERR_CRYPTO_BASE64, -75, "invalid Base64")                                                 \
    X(PN_ERR_CRYPTO_PKCS7, -76, "malformed or unsupported PKCS#7")

/* PNRP wire: -128 .. -255 */
#define PN_ERRORS_PNRP_WIRE(X)                                                                     \
    X(PN_ERR_PNRP_HEADER, -128, "PNRP header invalid")                                             \
    X(PN_ERR_PNRP_MSGTYPE, -129, "unknown PNRP message type")                                      \
    X(PN_ERR_PNRP_FIELD, -130, "PNRP field invalid")                                               \
    X(PN_ERR_PNRP_FIELD_ORDER, -131, "PNRP field missing or out of order")                         \
    X(PN_ERR_PNRP_NAME, -132, "invalid peer name")                                                 \
    X(PN_ERR_PNRP_FIELD_LENGTH, -133, "PNRP element Length wrong for its FieldID")                 \
    X(PN_ERR_PNRP_ARRAY, -134, "PNRP array header inconsistent")                                   \
    X(PN_ERR_PNRP_COUNT, -135, "PNRP count outside the range the spec allows")                     \
    X(PN_ERR_PNRP_TOO_MANY, -136, "PNRP count above this build's compile-time maximum")            \
    X(PN_ERR_PNRP_VERSION, -137, "PNRP or CPA version field wrong")                                \
    X(PN_ERR_PNRP_PORT, -138, "PNRP port not above 1024")                                          \
    X(PN_ERR_PNRP_RESERVED, -139, "reserved bits or padding not zero (strict decoding)")           \
    X(PN_ERR_PNRP_VALUE, -140, "PNRP enumerated value unknown")                                    \
    X(PN_ERR_PNRP_CPA, -141, "Encoded CPA invalid")                                                \
    X(PN_ERR_PNRP_CPA_FLAGS, -142, "Encoded CPA flags invalid")                                    \
    X(PN_ERR_PNRP_PUBKEY, -143, "CPA Public Key structure invalid")                                \
    X(PN_ERR_PNRP_SIGNATURE, -144, "PNRP SIGNATURE structure invalid")                             \
    X(PN_ERR_PNRP_PAYLOAD, -145, "CPA PAYLOAD invalid")                                            \
    X(PN_ERR_PNRP_EXT_PAYLOAD, -146, "EXTENDED_PAYLOAD invalid")                                   \
    X(PN_ERR_PNRP_SPLIT, -147, "SPLIT_CONTROLS Size/Offset invalid for the fragment")              \
    X(PN_ERR_PNRP_NONCE, -148, "nonce must be zero in a revoke CPA")                               \
    X(PN_ERR_PNRP_CLASSIFIER, -149, "CLASSIFIER text invalid")                                     \
    X(PN_ERR_PNRP_REASM, -150, "AUTHORITY fragment conflicts with its reassembly")

/* PNRP engine: -256 .. -383 */
#define PN_ERRORS_PNRP(X) X(PN_ERR_PNRP_CLOUD, -256, "no such PNRP cloud")

/* graphing wire and engine: -384 .. -511 */
#define PN_ERRORS_GRAPH(X)                                                                         \
    X(PN_ERR_GRAPH_FRAME, -384, "graph frame invalid")                                             \
    X(PN_ERR_GRAPH_VERSION, -385,                                                                  \
      "graph Version (0x10) or record Protocol Version (0x0100) wrong")                            \
    X(PN_ERR_GRAPH_MSGTYPE, -386, "unknown graph message type")                                    \
    X(PN_ERR_GRAPH_SIZE, -387, "graph Message Size below the minimum or not matching the data")    \
    X(PN_ERR_GRAPH_RESERVED, -388, "reserved field or must-be-zero bit is not zero")               \
    X(PN_ERR_GRAPH_OFFSET, -389, "graph offset out of range or fields not laid out in order")      \
    X(PN_ERR_GRAPH_COUNT, -390, "graph array count inconsistent or above its maximum")             \
    X(PN_ERR_GRAPH_STRING, -391, "graph string without terminator, empty, or wrongly encoded")     \
    X(PN_ERR_GRAPH_ENUM, -392, "graph field value is not one of those defined")                    \
    X(PN_ERR_GRAPH_ADDRESS, -393, "graph address structure invalid (family, size or zero field)")  \
    X(PN_ERR_GRAPH_LENGTH, -394, "graph string length field outside its allowed range")            \
    X(PN_ERR_GRAPH_TIME, -395, "record times inconsistent")                                        \
    X(PN_ERR_GRAPH_PAYLOAD, -396, "internal record payload malformed")                             \
    X(PN_ERR_GRAPH_RECORD_ID, -397, "internal record has the wrong fixed record ID")               \
    X(PN_ERR_GRAPH_XML, -398, "record attribute XML malformed")                                    \
    X(PN_ERR_GRAPH_ATTR, -399, "record attribute name, type or value invalid")                     \
    X(PN_ERR_GRAPH_TOO_BIG, -400, "graph data exceeds a compile-time limit")                       \
    X(PN_ERR_GRAPH_FLAG, -401, "graph flag inconsistent with the rest of the message")

/* grouping security: -512 .. -639 */
#define PN_ERRORS_GROUP(X) X(PN_ERR_GROUP_AUTH, -512, "group authentication failed")

/* platform and simulator: -640 .. -767 */
#define PN_ERRORS_PLATFORM(X)                                                                      \
    X(PN_ERR_PLATFORM_ADDR, -640, "address family or format not supported")                        \
    X(PN_ERR_PLATFORM_NAME, -641, "storage name invalid")

#define PN_ERRORS_ALL(X)                                                                           \
    PN_ERRORS_GENERIC(X)                                                                           \
    PN_ERRORS_WIRE(X)                                                                              \
    PN_ERRORS_CRYPTO(X)                                                                            \
    PN_ERRORS_PNRP_WIRE(X)                                                                         \
    PN_ERRORS_PNRP(X)                                                                              \
    PN_ERRORS_GRAPH(X)                                                                             \
    PN_ERRORS_GROUP(X)                                                                             \
    PN_ERRORS_PLATFORM(X)

typedef enum pn_err {
    PN_OK = 0,
#define PN_ERR_ENUM_(name, value, msg) name = value,
    PN_ERRORS_ALL(PN_ERR_ENUM_)
#undef PN_ERR_ENUM_
} pn_err;

/* One-line message for a code ("unknown error" for anything else); never NULL. */
const char *pn_strerror(int err);
/* The code's name, such as "PN_ERR_TRUNCATED"; NULL for an unknown code. */
const char *pn_errname(int err);

#endif
