/* peernet Peer Graphing (MS-PPGRH) wire codecs: TCP framing, the fourteen messages, the
 * PEER_RECORD, the four internal record payloads and the record attribute XML.
 *
 * Decoders are strict and zero-copy: every variable part of a decoded struct points
 * into the caller's input, which must outlive the struct.  Each decoder checks every
 * rule of MS-PPGRH section 2 (and the per-message receive checks of 3.1.5.2 and
 * 3.1.7.27) that one message can be checked against, and on failure fills a
 * pn_graph_err with the code, the byte offset of the offending field from the start
 * of the outermost input, and the field's name.
 *
 * Encoders write into caller buffers; when the buffer is too small they return
 * PN_ERR_BUFSIZE and store the exact size needed in *needed.  An encoder never emits
 * bytes its decoder would reject: it validates the struct first.
 *
 * Layout rule (decision G-6 in spec/decisions.md): the variable parts of a message
 * follow its fixed part back to back, in the order of the field table, and the message
 * ends with its last present part.  Offsets are therefore checked for equality with
 * the position where each part must start.
 */
#ifndef PEERNET_GRAPH_WIRE_H
#define PEERNET_GRAPH_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/err.h"
#include "peernet/opts.h"

/* ---- errors ------------------------------------------------------------------------ */
typedef struct pn_graph_err {
    int code;          /* PN_OK or a negative pn_err */
    size_t offset;     /* byte offset of the failing field in the outermost input */
    const char *field; /* static name of the field, such as "Address Offset" */
} pn_graph_err;

/* ---- constants --------------------------------------------------------------------- */
#define PN_GRAPH_VERSION           0x10   /* MS-PPGRH 2.2.1.2 */
#define PN_GRAPH_RECORD_PROTOCOL   0x0100 /* MS-PPGRH 2.2.1.9 Protocol Version */
#define PN_GRAPH_HEADER_SIZE       8
#define PN_GRAPH_FAMILY_INET6      0x0017 /* MS-PPGRH 2.2.1.3 */
#define PN_GRAPH_IN6_SIZE          20     /* PEER_IN6_ADDRESS */
#define PN_GRAPH_PEER_ADDR_SIZE    32     /* PEER_ADDRESS */
#define PN_GRAPH_ABSTRACT_SIZE     20     /* RECORD_ABSTRACT */
#define PN_GRAPH_HASH_INFO_SIZE    40     /* HASH_INFO_ENTRY */
#define PN_GRAPH_BOUNDARY_SIZE     52     /* HASH_ENTRY_BOUNDARY */
#define PN_GRAPH_ACK_ENTRY_SIZE    20     /* Record ID + flag word */
#define PN_GRAPH_GUID_SIZE         16
#define PN_GRAPH_RECORD_MIN_SIZE   90  /* MS-PPGRH 3.1.7.27: FLOOD data at least 90 bytes */
#define PN_GRAPH_STR_MAX_CHARS     256 /* ID strings: 2..256 characters with the NUL */
#define PN_GRAPH_COMMENT_MAX_CHARS 512
#define PN_GRAPH_ATTR_NAME_MAX     40 /* MS-PPGRH 2.2.3.5 */

enum pn_graph_msg_type {
    PN_GRAPH_AUTH_INFO = 0x01,
    PN_GRAPH_CONNECT = 0x02,
    PN_GRAPH_WELCOME = 0x03,
    PN_GRAPH_REFUSE = 0x04,
    PN_GRAPH_DISCONNECT = 0x05,
    PN_GRAPH_SOLICIT_NEW = 0x06,
    PN_GRAPH_SOLICIT_TIME = 0x07,
    PN_GRAPH_SOLICIT_HASH = 0x08,
    PN_GRAPH_ADVERTISE = 0x09,
    PN_GRAPH_REQUEST = 0x0A,
    PN_GRAPH_FLOOD = 0x0B,
    PN_GRAPH_SYNC_END = 0x0C,
    PN_GRAPH_PT2PT = 0x0D,
    PN_GRAPH_ACK = 0x0E
};

#define PN_GRAPH_CONN_NEIGHBOR 0x01 /* AUTH_INFO Connection Type */
#define PN_GRAPH_CONN_DIRECT   0x02

#define PN_GRAPH_REFUSE_BUSY              0x01
#define PN_GRAPH_REFUSE_ALREADY_CONNECTED 0x02
#define PN_GRAPH_REFUSE_DUPLICATE         0x03
#define PN_GRAPH_REFUSE_DIRECT_DISALLOWED 0x04
#define PN_GRAPH_DISCONNECT_LEAVING       0x01
#define PN_GRAPH_DISCONNECT_LEAST_USEFUL  0x02
#define PN_GRAPH_DISCONNECT_APP           0x03

#define PN_GRAPH_SCOPE_GLOBAL    1
#define PN_GRAPH_SCOPE_SITELOCAL 2
#define PN_GRAPH_SCOPE_LINKLOCAL 3

/* Flag masks.  Decision G-4: the spec's bit diagrams number bits from the most
 * significant bit of the first byte, so the last bit of a field is its 0x01 bit.  These
 * definitions are the only place the masks live. */
#define PN_GRAPH_CONNECT_UPDATE        0x08u /* CONNECT byte 8: Z1 Z2 Z3 Z4 U D Z7 N */
#define PN_GRAPH_CONNECT_DIRECT        0x04u
#define PN_GRAPH_CONNECT_NEIGHBORS     0x01u
#define PN_GRAPH_CONNECT_MBZ           0xF2u
#define PN_GRAPH_SYNC_END_FINAL        0x01u /* SYNC_END byte 8: Z1..Z7 F */
#define PN_GRAPH_SYNC_END_MBZ          0xFEu
#define PN_GRAPH_ACK_USEFUL            0x00000001u /* ACK entry word: 31 reserved bits, U */
#define PN_GRAPH_ACK_MBZ               0xFFFFFFFEu
#define PN_GRAPH_RECORD_DELETED        0x02u /* PEER_RECORD byte 39: Z1..Z6 D Z8 */
#define PN_GRAPH_RECORD_MBZ            0xFDu
#define PN_GRAPH_INFO_DEFER_EXPIRATION 0x00000002u /* Graph Info flag word: 30 reserved, D, I */
#define PN_GRAPH_INFO_IGNORED          0x00000001u
#define PN_GRAPH_INFO_MBZ              0xFFFFFFFCu

/* ---- GUIDs ---------------------------------------------------------------------------
 * Held in text order: b[0..3] is the first group of "{00000100-0000-...}" most
 * significant byte first.  The wire order is decision G-2, applied only where the codec
 * reads and writes a GUID. */
typedef struct pn_graph_guid {
    uint8_t b[16];
} pn_graph_guid;

#define PN_GRAPH_GUID(d1, d2, d3, d4_0, d4_1, d4_2, d4_3, d4_4, d4_5, d4_6, d4_7)                  \
    {                                                                                              \
        {                                                                                          \
            (uint8_t)((d1) >> 24), (uint8_t)((d1) >> 16), (uint8_t)((d1) >> 8), (uint8_t)(d1),     \
                (uint8_t)((d2) >> 8), (uint8_t)(d2), (uint8_t)((d3) >> 8), (uint8_t)(d3), d4_0,    \
                d4_1, d4_2, d4_3, d4_4, d4_5, d4_6, d4_7                                           \
        }                                                                                          \
    }

/* MS-PPGRH 2.2.1.9, 2.2.3.1, 2.2.3.2, 2.2.4.1 */
extern const pn_graph_guid pn_graph_type_graph_info;
extern const pn_graph_guid pn_graph_type_signature;
extern const pn_graph_guid pn_graph_type_contact;
extern const pn_graph_guid pn_graph_type_presence;
extern const pn_graph_guid pn_graph_id_graph_info;
extern const pn_graph_guid pn_graph_id_signature;
extern const pn_graph_guid pn_graph_type_ping;

int pn_graph_guid_eq(const pn_graph_guid *a, const pn_graph_guid *b);
/* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" with its NUL: 39 bytes. */
#define PN_GRAPH_GUID_STRLEN 39
void pn_graph_guid_format(const pn_graph_guid *g, char out[PN_GRAPH_GUID_STRLEN]);

/* ---- strings ------------------------------------------------------------------------ */
/* A NUL-terminated UTF-8 string inside a message: p points at the first byte, len counts
 * the bytes before the NUL.  p == NULL: the optional string is absent. */
typedef struct pn_graph_str8 {
    const uint8_t *p;
    size_t len;
} pn_graph_str8;

/* A length-prefixed NUL-terminated UTF-16 string inside a record ("Unicode" in
 * MS-PPGRH).  count is the wire length field: code units including the NUL, 0 when the
 * string is absent; p points at 2*count bytes in wire byte order (decision G-1). */
typedef struct pn_graph_str16 {
    const uint8_t *p;
    uint32_t count;
} pn_graph_str16;

/* Read code unit i of a wire UTF-16 string. */
uint16_t pn_graph_str16_unit(const pn_graph_str16 *s, size_t i);
/* Build a wire UTF-16 string (with its NUL) from UTF-8 into buf; fills *out pointing into
 * buf.  Returns bytes written, or PN_ERR_BUFSIZE with *needed. */
int pn_graph_str16_from_utf8(const char *utf8, size_t len, uint8_t *buf, size_t cap, size_t *needed,
                             pn_graph_str16 *out);
/* Convert to UTF-8 without the NUL; returns bytes written (a NUL is appended when room
 * is left), or PN_ERR_BUFSIZE with *needed. */
int pn_graph_str16_to_utf8(const pn_graph_str16 *s, char *out, size_t cap, size_t *needed);

/* ---- arrays --------------------------------------------------------------------------
 * Arrays of fixed-size wire structures stay in wire form (zero copy both ways); the
 * element helpers below read and write one entry.  off matters only for an empty array:
 * the value its offset field carries (decoders store what they read; PN_GRAPH_OFF_END
 * stands for "equal to Message Size"; a zeroed struct gives 0, which MS-PPGRH 3.1.5.2.1
 * prescribes for empty referral lists). */
#define PN_GRAPH_OFF_END 0xFFFFFFFFu
typedef struct pn_graph_array {
    const uint8_t *p;
    uint32_t n;
    uint32_t off;
} pn_graph_array;

typedef struct pn_graph_in6 { /* PEER_IN6_ADDRESS (family is always 0x0017) */
    uint16_t port;
    uint8_t addr[16];
} pn_graph_in6;

typedef struct pn_graph_peer_addr { /* PEER_ADDRESS */
    uint16_t port;
    uint32_t flow_info;
    uint8_t addr[16];
} pn_graph_peer_addr;

typedef struct pn_graph_abstract { /* RECORD_ABSTRACT */
    pn_graph_guid id;
    uint32_t version;
} pn_graph_abstract;

typedef struct pn_graph_hash_info { /* HASH_INFO_ENTRY */
    uint8_t hash[16];
    uint64_t mod_time;
    pn_graph_guid id;
} pn_graph_hash_info;

typedef struct pn_graph_boundary { /* HASH_ENTRY_BOUNDARY */
    uint64_t mod_time_lower;
    pn_graph_guid id_lower;
    uint64_t mod_time_upper;
    pn_graph_guid id_upper;
    uint32_t count;
} pn_graph_boundary;

typedef struct pn_graph_ack_entry {
    pn_graph_guid id;
    uint32_t flags; /* PN_GRAPH_ACK_USEFUL */
} pn_graph_ack_entry;

/* get: entry i of a decoded (or built) array; put: entry i of an array being built in
 * raw (which must hold (i+1) * the entry size bytes). */
void pn_graph_in6_get(const pn_graph_array *a, size_t i, pn_graph_in6 *out);
void pn_graph_in6_put(uint8_t *raw, size_t i, const pn_graph_in6 *in);
void pn_graph_peer_addr_get(const pn_graph_array *a, size_t i, pn_graph_peer_addr *out);
void pn_graph_peer_addr_put(uint8_t *raw, size_t i, const pn_graph_peer_addr *in);
void pn_graph_guid_get(const pn_graph_array *a, size_t i, pn_graph_guid *out);
void pn_graph_guid_put(uint8_t *raw, size_t i, const pn_graph_guid *in);
void pn_graph_abstract_get(const pn_graph_array *a, size_t i, pn_graph_abstract *out);
void pn_graph_abstract_put(uint8_t *raw, size_t i, const pn_graph_abstract *in);
void pn_graph_hash_info_get(const pn_graph_array *a, size_t i, pn_graph_hash_info *out);
void pn_graph_hash_info_put(uint8_t *raw, size_t i, const pn_graph_hash_info *in);
void pn_graph_boundary_get(const pn_graph_array *a, size_t i, pn_graph_boundary *out);
void pn_graph_boundary_put(uint8_t *raw, size_t i, const pn_graph_boundary *in);
void pn_graph_ack_get(const pn_graph_array *a, size_t i, pn_graph_ack_entry *out);
void pn_graph_ack_put(uint8_t *raw, size_t i, const pn_graph_ack_entry *in);

/* ---- PEER_RECORD (MS-PPGRH 2.2.1.9) ------------------------------------------------- */
typedef struct pn_graph_record {
    pn_graph_guid type;
    pn_graph_guid id;
    uint32_t version;
    uint8_t flags; /* PN_GRAPH_RECORD_DELETED */
    pn_graph_str16 creator_id;
    pn_graph_str16 last_modified_by; /* count 0: absent */
    const uint8_t *security;
    uint32_t security_len;
    uint64_t creation_time; /* peer time, FILETIME ticks */
    uint64_t expiration_time;
    uint64_t modification_time;
    pn_graph_str16 graph_id;
    const uint8_t *payload;
    uint32_t payload_len;
    pn_graph_str16 attributes; /* count 0: absent */
} pn_graph_record;

/* Decode a whole buffer as one PEER_RECORD.  For the four internal record types (when
 * not deleted) the payload is decoded too, and attributes are validated as XML. */
int pn_graph_record_decode(const uint8_t *buf, size_t len, pn_graph_record *rec, pn_graph_err *err);
int pn_graph_record_encode(const pn_graph_record *rec, uint8_t *buf, size_t cap, size_t *needed);
/* 1 for the four record types MS-PPGRH reserves for itself. */
int pn_graph_record_type_is_internal(const pn_graph_guid *type);
/* MS-PPGRH 3.1.7.27: Payload Data Size + 2 * Attributes Length <= Max Record Size (the
 * Graph Info value, 0 meaning 60 MB).  PN_OK or PN_ERR_GRAPH_TOO_BIG. */
int pn_graph_record_check_size(const pn_graph_record *rec, uint32_t max_record_size);

/* ---- internal record payloads (MS-PPGRH 2.2.3) ------------------------------------- */
typedef struct pn_graph_info {
    uint32_t flags; /* PN_GRAPH_INFO_DEFER_EXPIRATION */
    uint32_t scope;
    pn_graph_str16 graph_id;
    pn_graph_str16 creator_id;
    pn_graph_str16 friendly_name;
    pn_graph_str16 comment;
    uint32_t presence_lifetime;
    uint32_t max_presence;
    uint32_t max_record_size;
} pn_graph_info;

typedef struct pn_graph_contact {
    uint64_t signature;
    uint64_t node_id;
    pn_graph_array addrs; /* PEER_ADDRESS entries */
} pn_graph_contact;

typedef struct pn_graph_presence {
    uint64_t node_id;
    pn_graph_str16 attributes;
    pn_graph_array addrs; /* PEER_ADDRESS entries */
} pn_graph_presence;

/* Decoders take the payload bytes; base is the start of the outermost input (for error
 * offsets; NULL means the payload itself). */
int pn_graph_info_decode(const uint8_t *p, size_t len, const uint8_t *base, pn_graph_info *gi,
                         pn_graph_err *err);
int pn_graph_info_encode(const pn_graph_info *gi, uint8_t *buf, size_t cap, size_t *needed);
int pn_graph_signature_decode(const uint8_t *p, size_t len, const uint8_t *base,
                              uint64_t *signature, pn_graph_err *err);
int pn_graph_signature_encode(uint64_t signature, uint8_t *buf, size_t cap, size_t *needed);
int pn_graph_contact_decode(const uint8_t *p, size_t len, const uint8_t *base, pn_graph_contact *c,
                            pn_graph_err *err);
int pn_graph_contact_encode(const pn_graph_contact *c, uint8_t *buf, size_t cap, size_t *needed);
int pn_graph_presence_decode(const uint8_t *p, size_t len, const uint8_t *base,
                             pn_graph_presence *pr, pn_graph_err *err);
int pn_graph_presence_encode(const pn_graph_presence *pr, uint8_t *buf, size_t cap, size_t *needed);

/* ---- record attribute XML (MS-PPGRH 2.2.3.5) ---------------------------------------- */
enum pn_graph_attr_type { PN_GRAPH_ATTR_STRING = 1, PN_GRAPH_ATTR_INT = 2, PN_GRAPH_ATTR_DATE = 3 };

/* One <attribute>: name is ASCII; value is the raw (still escaped) character data, both
 * as wire UTF-16 code units. */
typedef struct pn_graph_attr {
    pn_graph_str16 name;  /* count = code units, no NUL */
    int type;             /* enum pn_graph_attr_type */
    pn_graph_str16 value; /* count = code units, no NUL, entity references not expanded */
} pn_graph_attr;

#define PN_GRAPH_ATTRS_APP 1u /* reject the names reserved by the Peer Infrastructure */

/* Validate an attribute string (wire UTF-16 with its NUL, count = length field).
 * Returns the number of <attribute> elements, or a negative error. */
int pn_graph_attrs_validate(const pn_graph_str16 *xml, unsigned flags, const uint8_t *base,
                            pn_graph_err *err);
/* Iterate over a validated attribute string: returns 1 and fills *a for each element,
 * then 0.  *pos starts at 0. */
int pn_graph_attrs_next(const pn_graph_str16 *xml, size_t *pos, pn_graph_attr *a);
/* Expand the value's entity references into UTF-8. */
int pn_graph_attr_value_utf8(const pn_graph_attr *a, char *out, size_t cap, size_t *needed);

/* Build an attribute string from UTF-8 parts (values are escaped here); the result is
 * wire UTF-16 with the NUL.  Returns bytes written or a negative error. */
typedef struct pn_graph_attr_in {
    const char *name;
    int type;
    const char *value;
} pn_graph_attr_in;
int pn_graph_attrs_encode(const pn_graph_attr_in *attrs, size_t n, uint8_t *buf, size_t cap,
                          size_t *needed, pn_graph_str16 *out);

/* ---- messages (MS-PPGRH 2.2.2) ------------------------------------------------------ */
typedef struct pn_graph_auth_info {
    uint8_t conn_type; /* PN_GRAPH_CONN_* */
    pn_graph_str8 graph_id;
    pn_graph_str8 src_peer_id;
    pn_graph_str8 dst_peer_id; /* optional */
} pn_graph_auth_info;

typedef struct pn_graph_connect {
    uint8_t flags; /* PN_GRAPH_CONNECT_* */
    uint64_t node_id;
    pn_graph_array addrs;        /* PEER_IN6_ADDRESS */
    pn_graph_str8 friendly_name; /* optional */
} pn_graph_connect;

typedef struct pn_graph_welcome {
    uint64_t node_id;
    uint64_t peer_time;
    pn_graph_array addrs;
    pn_graph_str8 peer_id;
    pn_graph_str8 friendly_name; /* optional */
} pn_graph_welcome;

typedef struct pn_graph_refuse { /* REFUSE and DISCONNECT */
    uint8_t code;                /* Error Code or Reason */
    pn_graph_array addrs;
} pn_graph_refuse;

typedef struct pn_graph_solicit { /* SOLICIT_NEW, SOLICIT_TIME, SOLICIT_HASH */
    uint8_t inclusion;
    uint8_t exclusion;
    uint64_t mod_time;     /* SOLICIT_TIME only */
    pn_graph_array types;  /* GUIDs; n = inclusion + exclusion */
    pn_graph_array hashes; /* SOLICIT_HASH only: HASH_INFO_ENTRY */
} pn_graph_solicit;

typedef struct pn_graph_advertise {
    pn_graph_array boundaries; /* HASH_ENTRY_BOUNDARY */
    pn_graph_array abstracts;  /* RECORD_ABSTRACT */
} pn_graph_advertise;

typedef struct pn_graph_request {
    pn_graph_array abstracts;
} pn_graph_request;

typedef struct pn_graph_flood {
    pn_graph_record rec;
} pn_graph_flood;

typedef struct pn_graph_sync_end {
    uint8_t flags; /* PN_GRAPH_SYNC_END_FINAL */
} pn_graph_sync_end;

typedef struct pn_graph_pt2pt {
    pn_graph_guid data_type;
    const uint8_t *payload;
    size_t payload_len;
} pn_graph_pt2pt;

typedef struct pn_graph_ack {
    pn_graph_array acks;
} pn_graph_ack;

typedef struct pn_graph_msg {
    uint8_t type;  /* enum pn_graph_msg_type */
    uint32_t size; /* Message Size (set by decode; ignored by encode) */
    union {
        pn_graph_auth_info auth_info;
        pn_graph_connect connect;
        pn_graph_welcome welcome;
        pn_graph_refuse refuse; /* REFUSE and DISCONNECT */
        pn_graph_solicit solicit;
        pn_graph_advertise advertise;
        pn_graph_request request;
        pn_graph_flood flood;
        pn_graph_sync_end sync_end;
        pn_graph_pt2pt pt2pt;
        pn_graph_ack ack;
    } u;
} pn_graph_msg;

/* Name of a message type ("FLOOD"), NULL when unknown. */
const char *pn_graph_msg_name(unsigned type);
/* Decode exactly one message (len must equal its Message Size). */
int pn_graph_msg_decode(const uint8_t *buf, size_t len, pn_graph_msg *m, pn_graph_err *err);
/* Encode; returns the bytes written or a negative error (PN_ERR_BUFSIZE: see *needed). */
int pn_graph_msg_encode(const pn_graph_msg *m, uint8_t *buf, size_t cap, size_t *needed);

/* ---- framing (MS-PPGRH 2.2.1.1) ------------------------------------------------------
 * A frame is a two-byte big-endian Frame Size (1..PN_GRAPH_FRAME_MAX, counting the
 * payload only: decision G-7) followed by that many payload bytes. */
typedef struct pn_graph_framer {
    uint8_t *buf; /* caller's buffer, at least PN_GRAPH_FRAME_MAX + 2 bytes */
    size_t cap;
    size_t have;   /* bytes of the current frame buffered, size field included */
    size_t want;   /* payload size of the current frame, 0 while the size is unknown */
    size_t offset; /* stream offset of the next byte, for error reports */
    int err;       /* sticky */
} pn_graph_framer;

int pn_graph_framer_init(pn_graph_framer *f, uint8_t *buf, size_t cap);
/* Consume input until one frame is complete.  Returns 1 with *payload and *plen set (valid
 * until the next call; it may point into in), 0 when all input was consumed without
 * completing a frame, or a negative error (sticky; err->offset is the stream offset of
 * the bad Frame Size).  *used is the number of input bytes consumed. */
int pn_graph_framer_input(pn_graph_framer *f, const uint8_t *in, size_t len, size_t *used,
                          const uint8_t **payload, size_t *plen, pn_graph_err *err);
/* Cut a message into frames of at most max_frame payload bytes. */
int pn_graph_frames_encode(const uint8_t *msg, size_t len, size_t max_frame, uint8_t *buf,
                           size_t cap, size_t *needed);

/* Message reassembly from frame payloads (when no security provider transforms them).
 * Decision G-7: a frame carries bytes of one message only. */
typedef struct pn_graph_reasm {
    uint8_t *buf; /* PN_GRAPH_MSG_MAX_BYTES, or less to accept only smaller messages */
    size_t cap;
    size_t have;
    uint32_t want; /* Message Size, 0 while unknown */
    int err;
} pn_graph_reasm;

int pn_graph_reasm_init(pn_graph_reasm *r, uint8_t *buf, size_t cap);
/* Add one frame payload.  Returns 1 with the complete message in *msg and *mlen (valid until
 * the next call; it may point into payload), 0 when more frames are needed, or a
 * negative error (sticky). */
int pn_graph_reasm_input(pn_graph_reasm *r, const uint8_t *payload, size_t plen,
                         const uint8_t **msg, size_t *mlen, pn_graph_err *err);

/* ---- peer time (FILETIME: 100 ns ticks since 1601-01-01 UTC) ------------------------ */
#define PN_GRAPH_FILETIME_UNIX_EPOCH 116444736000000000ull
/* Floor of ft in Unix milliseconds (negative before 1970).  Always succeeds. */
int64_t pn_graph_filetime_to_unix_ms(uint64_t ft);
/* ms * 10,000 ticks after the Unix epoch; PN_ERR_RANGE before 1601 or past year 60056. */
int pn_graph_unix_ms_to_filetime(int64_t ms, uint64_t *ft);
/* Exact floor division of a 64-bit value by 10,000 using 32-bit operations only. */
uint64_t pn_graph_div10000(uint64_t v, uint32_t *rem);

#endif
