/* PNRP wire codecs: every message and structure of MS-PNRP section 2.
 *
 * Decoding fills a pn_pnrp_msg.  Fixed-size arrays (addresses, endpoints, PNRP IDs) are
 * copied into arrays bounded by the PN_PNRP_* maxima of peernet/opts.h; variable-length
 * blobs (Encoded CPA pieces, certificate chain, extended payload data, classifier text,
 * AUTHORITY fragments) are pointers into the input, which must outlive the struct.
 *
 * Two strictness levels:
 *   - receive rules (flags 0): what MS-PNRP asks of a receiver.  Reserved bits and
 *     padding "MUST be ignored on receipt", so they are ignored.
 *   - PN_PNRP_STRICT: additionally the sender rules (reserved bits and padding zero).
 *     A message accepted in strict mode re-encodes to exactly the same bytes.
 *
 * Every decoder reports the first failure as (error code, byte offset, field name).
 *
 * Byte orders and encodings the specification leaves open are settled in one place
 * each (see spec/decisions.md, "PNRP wire"): PN_PNRP_ID_WIRE_LSB_FIRST and friends below.
 */
#ifndef PEERNET_PNRP_WIRE_H
#define PEERNET_PNRP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/err.h"
#include "peernet/opts.h"
#include "peernet/wire.h"

/* ---- constants (MS-PNRP 2.2, 2.2.1) -------------------------------------------------- */
enum {
    PN_PNRP_PORT = 3540,
    PN_PNRP_HEADER_LEN = 12,
    PN_PNRP_IDENTIFIER = 0x51,
    PN_PNRP_VERSION_MAJOR = 4,
    PN_PNRP_VERSION_MINOR = 0,
    PN_PNRP_ID_LEN = 32,
    PN_PNRP_NONCE_LEN = 16,
    PN_PNRP_HASHED_NONCE_LEN = 20,
    PN_PNRP_FRAGMENT_LEN = 1188,        /* 2.2.2.6 / 3.2.5.10 */
    PN_PNRP_AUTHORITY_MAX_SIZE = 37348, /* 2.2.2.6: Size <= 0x91E4 */
    PN_PNRP_ENDPOINT_LEN = 18,          /* 2.2.3.6 */
    PN_PNRP_APP_ENDPOINT_LEN = 20,      /* 2.2.3.1.3 */
    PN_PNRP_PUBKEY_DATA_LEN = 140,      /* 2.2.3.1.4: cbData 0x008C */
    PN_PNRP_PUBKEY_OID_LEN = 20,
    PN_PNRP_PUBKEY_LEN = 169, /* 9 fixed bytes + OID + key data (decision PW-6) */
    PN_PNRP_SIG_DATA_LEN = 128,
    PN_PNRP_SIGNATURE_LEN = 136, /* 2.2.3.2: Field Length 0x0088 */
    PN_PNRP_CLASSIFIER_MAX = 149 /* 2.2.4: 0*149clchar */
};

/* Message types (2.2.1). */
enum {
    PN_PNRP_SOLICIT = 0x01,
    PN_PNRP_ADVERTISE = 0x02,
    PN_PNRP_REQUEST = 0x03,
    PN_PNRP_FLOOD = 0x04,
    PN_PNRP_INQUIRE = 0x07,
    PN_PNRP_AUTHORITY = 0x08,
    PN_PNRP_ACK = 0x09,
    PN_PNRP_LOOKUP = 0x0B
};

/* FieldIDs (2.2). */
enum {
    PN_PNRP_F_HEADER = 0x0010,
    PN_PNRP_F_HEADER_ACKED = 0x0018,
    PN_PNRP_F_PNRP_ID = 0x0030,
    PN_PNRP_F_TARGET_PNRP_ID = 0x0038,
    PN_PNRP_F_VALIDATE_PNRP_ID = 0x0039,
    PN_PNRP_F_FLAGS = 0x0040,
    PN_PNRP_F_FLOOD_CONTROLS = 0x0043,
    PN_PNRP_F_SOLICIT_CONTROLS = 0x0044,
    PN_PNRP_F_LOOKUP_CONTROLS = 0x0045,
    PN_PNRP_F_EXTENDED_PAYLOAD = 0x005A,
    PN_PNRP_F_PNRP_ID_ARRAY = 0x0060,
    PN_PNRP_F_CERT_CHAIN = 0x0080,
    PN_PNRP_F_WCHAR = 0x0084,
    PN_PNRP_F_CLASSIFIER = 0x0085,
    PN_PNRP_F_HASHED_NONCE = 0x0092,
    PN_PNRP_F_NONCE = 0x0093,
    PN_PNRP_F_SPLIT_CONTROLS = 0x0098,
    PN_PNRP_F_ROUTING_ENTRY = 0x009A,
    PN_PNRP_F_VALIDATE_CPA = 0x009B,
    PN_PNRP_F_REVOKE_CPA = 0x009C,
    PN_PNRP_F_IPV6_ENDPOINT = 0x009D,
    PN_PNRP_F_IPV6_ENDPOINT_ARRAY = 0x009E
};

enum { PN_PNRP_SOLICIT_ANY = 0, PN_PNRP_SOLICIT_LOCAL = 1 };
enum {
    PN_PNRP_SEARCH_NONE = 0x00,
    PN_PNRP_SEARCH_ANY_PEERNAME = 0x01,
    PN_PNRP_SEARCH_NEAREST_PEERNAME = 0x02,
    PN_PNRP_SEARCH_NEAREST64_PEERNAME = 0x04,
    PN_PNRP_SEARCH_UPPER_BITS = 0x08
};
enum {
    PN_PNRP_REASON_APP_REQUEST = 0,
    PN_PNRP_REASON_REGISTRATION = 1,
    PN_PNRP_REASON_CACHE_MAINTENANCE = 2,
    PN_PNRP_REASON_SPLIT_DETECTION = 3
};
/* Encoded CPA flag bits (2.2.3.1, second flags byte). */
enum {
    PN_PNRP_CPA_X = 0x20,
    PN_PNRP_CPA_F = 0x10,
    PN_PNRP_CPA_C = 0x08,
    PN_PNRP_CPA_A = 0x04,
    PN_PNRP_CPA_U = 0x02,
    PN_PNRP_CPA_R = 0x01,
    PN_PNRP_CPA_RESERVED = 0xC0
};
enum { PN_PNRP_PAYLOAD_IPV6_ENDPOINTS = 1 };
#define PN_PNRP_XP_STRING 0x80000002u /* EXTENDED_PAYLOAD Payload Type (2.2.3.3) */
#define PN_PNRP_XP_BINARY 0x80000003u
enum { PN_PNRP_XP_UTF16 = 0, PN_PNRP_XP_UTF8 = 1 };

/* Decoder flags. */
enum {
    PN_PNRP_STRICT = 1,
    /* Decode field by field only, without the whole-message fast paths (decision PW-28):
     * the results are the same; for tests and fuzzers that check that they are. */
    PN_PNRP_FIELDWISE = 2
};

/* ---- open encoding decisions (spec/decisions.md "PNRP wire") ------------------------- */
/* PW-1: PNRP IDs in ROUTE_ENTRY, TARGET/VALIDATE_PNRP_ID and PNRP_ID_ARRAY travel least
 * significant byte first, as the spec states for the same ID in EXTENDED_PAYLOAD. */
#ifndef PN_PNRP_ID_WIRE_LSB_FIRST
#define PN_PNRP_ID_WIRE_LSB_FIRST 1
#endif
/* PW-7: the CPA BinaryAuthority ("least significant byte first") is the byte reversal
 * of the SHA-1 output, which is also the order of the 40 hex digits of the name. */
#ifndef PN_PNRP_AUTHORITY_WIRE_REVERSED
#define PN_PNRP_AUTHORITY_WIRE_REVERSED 1
#endif
/* PW-3: CLASSIFIER WCHAR units in network byte order (the 2.2 default rule; Wireshark). */
#ifndef PN_PNRP_WCHAR_WIRE_BE
#define PN_PNRP_WCHAR_WIRE_BE 1
#endif
/* PW-4: IPV6_APP_ENDPOINT sin6_port in network byte order (2.2 default rule). */
#ifndef PN_PNRP_APP_PORT_LE
#define PN_PNRP_APP_PORT_LE 0
#endif
/* PW-5: IPV6_ENDPOINT port inside the little-endian Encoded CPA stays network order. */
#ifndef PN_PNRP_CPA_ENDPOINT_PORT_LE
#define PN_PNRP_CPA_ENDPOINT_PORT_LE 0
#endif

/* ---- basic types --------------------------------------------------------------------- */
/* A PNRP ID as a number: b[0] is the most significant byte (MS-PNRP 1.3.1.2: the P2P ID
 * is the upper 128 bits, the service location the lower 128 bits). */
typedef struct pn_pnrp_id {
    uint8_t b[PN_PNRP_ID_LEN];
} pn_pnrp_id;

/* IPV6_ENDPOINT (2.2.3.6). */
typedef struct pn_pnrp_endpoint {
    uint16_t port;
    uint8_t addr[16];
} pn_pnrp_endpoint;

/* IPV6_APP_ENDPOINT (2.2.3.1.3). */
typedef struct pn_pnrp_app_endpoint {
    uint8_t addr[16];
    uint16_t port;
    uint16_t protocol;
} pn_pnrp_app_endpoint;

/* ROUTE_ENTRY (2.2.3.4). */
typedef struct pn_pnrp_route_entry {
    pn_pnrp_id id;
    uint16_t port;
    uint8_t addr_count; /* 1..20 (and <= PN_PNRP_ROUTE_ADDRS_MAX) */
    uint8_t addrs[PN_PNRP_ROUTE_ADDRS_MAX][16];
} pn_pnrp_route_entry;

/* A byte range inside the decoded input (or, for encoding, supplied by the caller). */
typedef struct pn_pnrp_bytes {
    const uint8_t *p;
    size_t len;
} pn_pnrp_bytes;

/* CLASSIFIER element (2.2.2.6.1): count UTF-16 code units in wire order
 * (PN_PNRP_WCHAR_WIRE_BE); pn_pnrp_classifier_unit() reads one. */
typedef struct pn_pnrp_classifier {
    const uint8_t *units;
    uint16_t count;
} pn_pnrp_classifier;

/* CPA Public Key (2.2.3.1.4). */
typedef struct pn_pnrp_pubkey {
    const uint8_t *oid;      /* PN_PNRP_PUBKEY_OID_LEN bytes, "1.2.840.113549.1.1.1" */
    const uint8_t *key_data; /* PN_PNRP_PUBKEY_DATA_LEN bytes, DER RSAPublicKey */
} pn_pnrp_pubkey;

/* SIGNATURE (2.2.3.2): 128 bytes of signature data. */
typedef struct pn_pnrp_signature {
    const uint8_t *data;
} pn_pnrp_signature;

/* Encoded CPA (2.2.3.1). */
typedef struct pn_pnrp_cpa {
    uint8_t flags;               /* PN_PNRP_CPA_* bits */
    uint64_t not_after;          /* FILETIME */
    uint8_t service_loc[16];     /* as a number, most significant byte first */
    uint8_t nonce[16];           /* zero in a revoke CPA */
    uint8_t authority[20];       /* when A: most significant byte first (decision PW-7) */
    uint8_t classifier_hash[20]; /* when C */
    pn_pnrp_bytes friendly_name; /* when F: 1..78 bytes, UTF-16LE or UTF-8 (U) */
    uint8_t addr_count;          /* 0..4 */
    pn_pnrp_endpoint addrs[4];
    uint8_t payload_count; /* 0 or 1 */
    uint32_t payload_type; /* PAYLOAD Type (1) */
    uint8_t app_count;     /* 1..10 when payload_count is 1 */
    pn_pnrp_app_endpoint apps[PN_PNRP_APP_ENDPOINTS_MAX];
    pn_pnrp_pubkey pubkey;
    pn_pnrp_signature sig;
    /* Decoding only: the whole structure and the signed part ([0, len - 136)). */
    pn_pnrp_bytes raw;
} pn_pnrp_cpa;

/* EXTENDED_PAYLOAD (2.2.3.3). */
typedef struct pn_pnrp_ext_payload {
    uint64_t not_after;
    pn_pnrp_id id;
    uint8_t nonce[16];
    uint32_t payload_type; /* PN_PNRP_XP_STRING or PN_PNRP_XP_BINARY */
    uint16_t string_type;  /* when a string: PN_PNRP_XP_UTF16 or PN_PNRP_XP_UTF8 */
    pn_pnrp_bytes data;    /* the payload bytes (a string keeps its NUL terminator) */
    pn_pnrp_signature sig;
    pn_pnrp_bytes raw; /* decoding only: the whole structure */
} pn_pnrp_ext_payload;

/* ---- messages ------------------------------------------------------------------------ */
typedef struct pn_pnrp_solicit {
    uint8_t has_controls;
    uint8_t solicit_type; /* PN_PNRP_SOLICIT_ANY / _LOCAL */
    uint8_t has_route;
    pn_pnrp_route_entry route;
    uint8_t hashed_nonce[PN_PNRP_HASHED_NONCE_LEN];
} pn_pnrp_solicit;

typedef struct pn_pnrp_id_list {
    uint16_t count;
    pn_pnrp_id ids[PN_PNRP_ID_ARRAY_MAX];
} pn_pnrp_id_list;

typedef struct pn_pnrp_advertise {
    uint32_t acked_id;
    pn_pnrp_id_list ids;
    uint8_t hashed_nonce[PN_PNRP_HASHED_NONCE_LEN];
} pn_pnrp_advertise;

typedef struct pn_pnrp_request {
    uint8_t nonce[PN_PNRP_NONCE_LEN];
    pn_pnrp_id_list ids;
} pn_pnrp_request;

typedef struct pn_pnrp_endpoint_list {
    uint8_t count; /* FLOOD 0..22, LOOKUP 1..22 */
    pn_pnrp_endpoint eps[PN_PNRP_PATH_MAX];
} pn_pnrp_endpoint_list;

typedef struct pn_pnrp_flood {
    uint8_t flag_d;    /* sender wants no ACK */
    uint8_t reserved2; /* "any value" (2.2.2.4); kept for exact re-encoding */
    pn_pnrp_id validate;
    uint8_t has_revoke;
    pn_pnrp_cpa revoke;
    uint8_t has_route;
    pn_pnrp_route_entry route;
    pn_pnrp_endpoint_list flooded;
} pn_pnrp_flood;

typedef struct pn_pnrp_inquire {
    uint8_t flag_a, flag_x, flag_c;
    pn_pnrp_id validate;
    uint8_t has_nonce;
    uint8_t nonce[PN_PNRP_NONCE_LEN];
} pn_pnrp_inquire;

/* One AUTHORITY message: a fragment of an AUTHORITY_BUFFER. */
typedef struct pn_pnrp_authority {
    uint32_t acked_id;
    uint16_t size;   /* of the whole AUTHORITY_BUFFER */
    uint16_t offset; /* multiple of 1188 */
    pn_pnrp_bytes fragment;
} pn_pnrp_authority;

typedef struct pn_pnrp_ack {
    uint32_t acked_id;
    uint8_t has_flags;
    uint8_t flag_n;
} pn_pnrp_ack;

typedef struct pn_pnrp_lookup {
    uint8_t flag_a;
    uint16_t precision; /* "any value" unless criteria is UPPER_BITS; kept as is */
    uint8_t criteria;   /* PN_PNRP_SEARCH_* */
    uint8_t reason;     /* PN_PNRP_REASON_* */
    pn_pnrp_id target;
    pn_pnrp_id validate;
    uint8_t has_route;
    pn_pnrp_route_entry route;
    pn_pnrp_endpoint_list path; /* Flagged Path */
} pn_pnrp_lookup;

typedef struct pn_pnrp_msg {
    uint8_t type;    /* PN_PNRP_SOLICIT ... */
    uint32_t msg_id; /* header Message ID */
    union {
        pn_pnrp_solicit solicit;
        pn_pnrp_advertise advertise;
        pn_pnrp_request request;
        pn_pnrp_flood flood;
        pn_pnrp_inquire inquire;
        pn_pnrp_authority authority;
        pn_pnrp_ack ack;
        pn_pnrp_lookup lookup;
    } u;
} pn_pnrp_msg;

/* The logical AUTHORITY_BUFFER (2.2.2.6.1), rebuilt from AUTHORITY fragments. */
typedef struct pn_pnrp_authority_buffer {
    uint8_t flag_l, flag_b, flag_n;
    uint8_t flags_unpadded; /* a flags-only buffer of 6 bytes (decision PW-9) */
    uint8_t has_cert_chain;
    pn_pnrp_bytes cert_chain; /* PKCS#7 SignedData DER, parsed by crypto */
    uint8_t has_classifier;
    pn_pnrp_classifier classifier;
    uint8_t has_ext_payload;
    pn_pnrp_ext_payload ext_payload;
    uint8_t has_route;
    pn_pnrp_route_entry route;
    uint8_t has_cpa;
    pn_pnrp_cpa cpa;
} pn_pnrp_authority_buffer;

/* Where and why decoding failed.  field names the element or structure field (static
 * string), offset is counted from the start of the decoded input. */
typedef struct pn_pnrp_decode_error {
    int code;
    size_t offset;
    const char *field;
} pn_pnrp_decode_error;

/* ---- decode / encode ----------------------------------------------------------------- */
/* What a decoder writes (all the *_decode functions below).  The result struct is not
 * cleared as a whole (it is about 1 KB; clearing it cost more than decoding a small
 * message), so a caller must consult presence flags and counts before reading the parts
 * they govern.  On PN_OK:
 *  - pn_pnrp_decode sets type, msg_id and every field of the member of u for type:
 *    all presence flags (has_*) and counts, every field of the parts present;
 *  - left as they were (unspecified): array entries at or past their count (ids[],
 *    eps[], route addrs[], CPA addrs[] and apps[]), an optional part whose has_* is 0
 *    (e.g. route when has_route is 0, revoke when has_revoke is 0, nonce when has_nonce
 *    is 0, controls' solicit_type is 0 then), and the other members of the union;
 *  - a CPA is set whole but for its arrays: authority, classifier_hash, friendly_name
 *    and payload_type/app_count read as zero when Flags or NumPayloads leave them out;
 *    an EXTENDED_PAYLOAD's string_type is 0 for binary data.
 * On an error only err and (pn_pnrp_decode) type are meaningful: type is the header's
 * MessageType when the input has its 8th byte, 0 otherwise; the rest is unspecified.
 * Encoders read exactly the fields this contract defines, so encode(decode(b)) = b holds
 * whatever the struct held before. */
/* Decode one UDP payload.  Returns PN_OK or a negative code; err (may be NULL) says
 * where.  m's pointers point into buf. */
int pn_pnrp_decode(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_msg *m,
                   pn_pnrp_decode_error *err);
/* Encode m into buf.  Returns the length written, or PN_ERR_BUFSIZE with *needed (when
 * not NULL) set to the exact size required, or another negative code when m breaks a
 * rule of section 2 that the encoder checks (counts, lengths; this one wins over a
 * too-small buffer, and *needed is 0 then).  On any error buf is left untouched.  The
 * AUTHORITY_BUFFER encoder below follows the same rules. */
int pn_pnrp_encode(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed);

int pn_pnrp_authority_buffer_decode(const uint8_t *buf, size_t len, unsigned flags,
                                    pn_pnrp_authority_buffer *ab, pn_pnrp_decode_error *err);
int pn_pnrp_authority_buffer_encode(const pn_pnrp_authority_buffer *ab, uint8_t *buf, size_t cap,
                                    size_t *needed);

/* The structures on their own (buf is exactly the structure). */
int pn_pnrp_cpa_decode(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_cpa *cpa,
                       pn_pnrp_decode_error *err);
int pn_pnrp_cpa_encode(const pn_pnrp_cpa *cpa, uint8_t *buf, size_t cap, size_t *needed);
int pn_pnrp_ext_payload_decode(const uint8_t *buf, size_t len, unsigned flags,
                               pn_pnrp_ext_payload *xp, pn_pnrp_decode_error *err);
int pn_pnrp_ext_payload_encode(const pn_pnrp_ext_payload *xp, uint8_t *buf, size_t cap,
                               size_t *needed);

/* Writer-level encoders, for callers that build bigger buffers. */
void pn_pnrp_wr_cpa(pn_wr *w, const pn_pnrp_cpa *cpa);
void pn_pnrp_wr_ext_payload(pn_wr *w, const pn_pnrp_ext_payload *xp);

/* Read the i-th code unit of a decoded classifier. */
uint16_t pn_pnrp_classifier_unit(const pn_pnrp_classifier *c, size_t i);
/* Write count UTF-16 code units into the wire order of a CLASSIFIER element. */
void pn_pnrp_classifier_put(uint8_t *out, const uint16_t *units, size_t count);

/* The one place that maps PNRP IDs between the numeric form and the wire (PW-1). */
void pn_pnrp_id_from_wire(pn_pnrp_id *id, const uint8_t wire[PN_PNRP_ID_LEN]);
void pn_pnrp_id_to_wire(uint8_t wire[PN_PNRP_ID_LEN], const pn_pnrp_id *id);

/* Names for printing. */
const char *pn_pnrp_msg_name(int type);       /* "LOOKUP", or NULL */
const char *pn_pnrp_field_name(int field_id); /* "ROUTING_ENTRY", or NULL */

/* ---- AUTHORITY fragmentation (3.2.5.10) and reassembly (3.1.5.6) --------------------- */
/* Number of AUTHORITY messages that carry a buffer of len bytes. */
size_t pn_pnrp_fragment_count(size_t len);
/* Encode the index-th AUTHORITY message of buffer ab_buf (ab_len bytes; at most
 * PN_PNRP_AUTHORITY_MAX_SIZE).  Every fragment carries the same header values. */
int pn_pnrp_fragment_encode(uint32_t msg_id, uint32_t acked_id, const uint8_t *ab_buf,
                            size_t ab_len, size_t index, uint8_t *buf, size_t cap, size_t *needed);

typedef struct pn_pnrp_reasm_slot {
    uint8_t used;
    uint8_t addr[16];
    uint16_t port;
    uint32_t msg_id;
    uint32_t acked_id;
    uint16_t size;
    uint32_t have; /* bit k: fragment k (offset k*1188) arrived */
    uint64_t deadline;
    uint8_t buf[PN_PNRP_REASSEMBLY_BYTES];
} pn_pnrp_reasm_slot;

typedef struct pn_pnrp_reasm {
    uint32_t timeout_ms;
    uint32_t dropped; /* fragments dropped, for counters */
    pn_pnrp_reasm_slot slots[PN_PNRP_REASSEMBLY_SLOTS];
} pn_pnrp_reasm;

void pn_pnrp_reasm_init(pn_pnrp_reasm *ra, uint32_t timeout_ms);
/* Feed one decoded AUTHORITY (msg_id from its header) from addr/port at time now (ms).
 * Returns 1 when the buffer is complete (*out and *out_len point into the reassembly state
 * or the fragment itself; valid until the next call), 0 when more fragments are
 * needed, or a negative code when the fragment was dropped. */
int pn_pnrp_reasm_input(pn_pnrp_reasm *ra, uint64_t now, const uint8_t addr[16], uint16_t port,
                        uint32_t msg_id, const pn_pnrp_authority *frag, const uint8_t **out,
                        size_t *out_len);
/* Drop reassemblies whose deadline passed; returns how many. */
int pn_pnrp_reasm_expire(pn_pnrp_reasm *ra, uint64_t now);
/* Earliest deadline of a live reassembly, or UINT64_MAX when none. */
uint64_t pn_pnrp_reasm_next_deadline(const pn_pnrp_reasm *ra);

/* ---- peer names and PNRP IDs (1.3.1, 2.2.4, 3.1.4.4.1) ------------------------------- */
typedef struct pn_pnrp_name {
    uint8_t secure;
    uint8_t authority[20];  /* binary authority, most significant byte first; zero when unsecured */
    const char *classifier; /* UTF-8, points into the parsed text */
    size_t classifier_len;  /* bytes */
    size_t classifier_units; /* UTF-16 code units (<= 149) */
} pn_pnrp_name;

/* Parse and validate a UTF-8 peer name "authority.classifier" (2.2.4). */
int pn_pnrp_name_parse(const char *text, size_t len, pn_pnrp_name *out);
/* SHA-1 over the PublicKey Data of a CPA (decision PW-10): the binary authority. */
void pn_pnrp_authority_of_key(const uint8_t *key_data, size_t len, uint8_t out[20]);
/* 1 when a secure name's authority is the hash of key_data, 0 otherwise. */
int pn_pnrp_name_matches_key(const pn_pnrp_name *n, const uint8_t *key_data, size_t len);
/* Format a name's authority as 40 lower-case hex digits (or "0"); returns the length. */
size_t pn_pnrp_authority_format(const uint8_t authority[20], int secure, char out[41]);
/* ClassifierHash = SHA-1 of the classifier as UTF-16LE without a NUL (decision PW-11). */
int pn_pnrp_classifier_hash(const char *utf8, size_t len, uint8_t out[20]);
/* P2P ID (1.3.1.2, 3.1.4.4.1): 16 bytes, most significant first. */
void pn_pnrp_p2p_id(const uint8_t classifier_hash[20], const uint8_t authority[20],
                    uint8_t out[16]);
/* PNRP ID of a parsed name with a service location (16 bytes, most significant first). */
int pn_pnrp_name_id(const pn_pnrp_name *n, const uint8_t service_loc[16], pn_pnrp_id *out);
/* PNRP ID of a CPA (3.1.5.5): from its ClassifierHash, BinaryAuthority, Service Location. */
void pn_pnrp_cpa_id(const pn_pnrp_cpa *cpa, pn_pnrp_id *out);
/* Service location = prefix << 64 | suffix. */
void pn_pnrp_service_location(uint64_t prefix, uint64_t suffix, uint8_t out[16]);
/* 1.3.1.2's suffix: first 64 bits of SHA-1(key data | service addresses | random byte),
 * the addresses as IPV6_ENDPOINT wire bytes. */
uint64_t pn_pnrp_sl_suffix(const uint8_t *key_data, size_t key_len, const pn_pnrp_endpoint *eps,
                           size_t n, uint8_t random_byte);

/* ---- ID arithmetic on the 2^256 circle ----------------------------------------------- */
int pn_pnrp_id_cmp(const pn_pnrp_id *a, const pn_pnrp_id *b); /* -1, 0, 1 as numbers */
void pn_pnrp_id_add(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b); /* mod 2^256 */
void pn_pnrp_id_sub(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b); /* mod 2^256 */
void pn_pnrp_id_inc(pn_pnrp_id *id);                                            /* +1 */
/* Circular distance min(a-b, b-a). */
void pn_pnrp_id_distance(pn_pnrp_id *out, const pn_pnrp_id *a, const pn_pnrp_id *b);
/* -1 when a is closer to target than b, 1 when b is closer, 0 when equally close. */
int pn_pnrp_id_closer(const pn_pnrp_id *target, const pn_pnrp_id *a, const pn_pnrp_id *b);
/* 1 when the top bits of a and b agree (bits 0..256). */
int pn_pnrp_id_prefix_equal(const pn_pnrp_id *a, const pn_pnrp_id *b, unsigned bits);

#endif
