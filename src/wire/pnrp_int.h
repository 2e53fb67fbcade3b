/* Internal helpers shared by the PNRP codec files (not part of the public API). */
#ifndef PN_PNRP_INT_H
#define PN_PNRP_INT_H

#include "peernet/pnrp_wire.h"
#include "wire/pn_mem.h"

/* Decoding state: one reader over the whole input plus the first failure. */
typedef struct pn_pnrp_dec {
    pn_rd r;
    unsigned flags;
    pn_pnrp_decode_error *err; /* never NULL */
} pn_pnrp_dec;

void pn_pnrp_dec_init(pn_pnrp_dec *d, const uint8_t *buf, size_t len, unsigned flags,
                      pn_pnrp_decode_error *err);
/* Record a failure (the first one wins); returns the recorded code. */
int pn_pnrp_fail(pn_pnrp_dec *d, int code, size_t offset, const char *field);
int pn_pnrp_bad(const pn_pnrp_dec *d);
int pn_pnrp_strict(const pn_pnrp_dec *d);

/* Field reads on any reader over the input; a short read fails with PN_ERR_TRUNCATED
 * naming field.  They return 0 once anything failed. */
uint8_t pn_pnrp_rd8(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint16_t pn_pnrp_rd16be(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint16_t pn_pnrp_rd16le(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint32_t pn_pnrp_rd32be(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint32_t pn_pnrp_rd32le(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint64_t pn_pnrp_rd64le(pn_pnrp_dec *d, pn_rd *r, const char *field);
const uint8_t *pn_pnrp_rdptr(pn_pnrp_dec *d, pn_rd *r, size_t n, const char *field);
void pn_pnrp_rdcopy(pn_pnrp_dec *d, pn_rd *r, void *out, size_t n, const char *field);
/* A reserved value that must be zero when sent: checked in strict mode only. */
void pn_pnrp_reserved(pn_pnrp_dec *d, uint32_t value, size_t offset, const char *field);
/* The body of a structure must be used up exactly. */
void pn_pnrp_body_end(pn_pnrp_dec *d, const pn_rd *body, const char *field);

/* Elements (2.2: FieldID, Length, body; Length counts the 4 header bytes). */
/* The FieldID at the cursor, or -1 at the end of the input (or after a failure). */
int pn_pnrp_peek(const pn_pnrp_dec *d);
/* Read the header of the element that must come next: FieldID want, and (when
 * want_len is not 0) Length want_len.  body covers Length-4 bytes.  Returns 0 on
 * success. */
int pn_pnrp_elem(pn_pnrp_dec *d, uint16_t want, uint16_t want_len, const char *name, pn_rd *body);
/* The padding after an element up to a multiple of 4 from the input start. */
void pn_pnrp_pad(pn_pnrp_dec *d, const char *name);
/* Array element header (NumEntries, ArrayLength, ElementFieldType, EntryLength), with
 * the element Length already in body's size.  Checks the count against [min, max_spec]
 * and build_max.  Returns the count, or -1 on failure. */
long pn_pnrp_array(pn_pnrp_dec *d, pn_rd *body, uint16_t elem_type, uint16_t entry_len,
                   unsigned min, unsigned max_spec, unsigned build_max, const char *name);

/* Structures inside element bodies. */
void pn_pnrp_dec_route_entry(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_route_entry *re);
void pn_pnrp_dec_endpoint(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_endpoint *ep, int in_cpa,
                          const char *field);
void pn_pnrp_dec_cpa(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_cpa *cpa);
void pn_pnrp_dec_ext_payload(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_ext_payload *xp);
void pn_pnrp_dec_classifier(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_classifier *c);
void pn_pnrp_dec_id(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_id *id, const char *field);

/* Encoding. */
size_t pn_pnrp_wr_elem_open(pn_wr *w, uint16_t field_id);
void pn_pnrp_wr_elem_close(pn_wr *w, size_t at);
void pn_pnrp_wr_id(pn_wr *w, const pn_pnrp_id *id);
void pn_pnrp_wr_endpoint(pn_wr *w, const pn_pnrp_endpoint *ep, int in_cpa);
void pn_pnrp_wr_array_hdr(pn_wr *w, uint16_t count, uint16_t elem_type, uint16_t entry_len);
void pn_pnrp_wr_route_entry(pn_wr *w, const pn_pnrp_route_entry *re);
void pn_pnrp_wr_classifier(pn_wr *w, const pn_pnrp_classifier *c);
/* Fail the writer with err (first error wins), for invalid input structs. */
void pn_pnrp_wr_fail(pn_wr *w, int err);
/* One AUTHORITY message without building a whole pn_pnrp_msg (small stacks). */
int pn_pnrp_encode_authority(uint32_t msg_id, const pn_pnrp_authority *a, uint8_t *buf, size_t cap,
                             size_t *needed);
/* Turn a finished writer into the public return convention. */
int pn_pnrp_wr_result(const pn_wr *w, size_t *needed);

#endif
