/* Internal helpers shared by the MS-PPGRH codecs (graph_*.c), and the encoding decisions
 * the specification leaves open.  Each decision is one macro here; spec/decisions.md
 * ("Graphing wire") gives the evidence, and a capture from a Windows node settles it by
 * changing the one line. */
#ifndef PN_GRAPH_INT_H
#define PN_GRAPH_INT_H

#include "peernet/graph_wire.h"
#include "peernet/wire.h"

/* G-1: byte order of the UTF-16 code units of record strings ("Unicode" in MS-PPGRH
 * 2.2.1.9 and 2.2.3).  0: little-endian (Windows WCHAR), 1: big-endian. */
#define PN_GRAPH_UTF16_BE 0

/* G-2: byte order of GUIDs on the wire.  0: text order, every field big-endian (the
 * blanket rule of MS-PPGRH 2.2 and the explicit "GUIDs in big-endian byte order" of
 * 2.2.2.6); 1: MS-DTYP 2.3.4.2 packet form (Data1..Data3 little-endian). */
#define PN_GRAPH_GUID_WIRE_LE 0

/* G-3: position of Attributes Length/Attributes in a PEER_RECORD.  0: last, after the
 * payload (field descriptions of 2.2.1.9); 1: before Protocol Version (one text
 * rendering of the diagram). */
#define PN_GRAPH_RECORD_ATTRS_FIRST 0

/* Reserved-field policy (see PN_GRAPH_WIRE_IGNORE_RESERVED in opts.h). */
#define PN_GRAPH_CHECK_RESERVED (!PN_GRAPH_WIRE_IGNORE_RESERVED)

/* Record an error (first one wins) and return its code. */
int pn_graph_fail(pn_graph_err *err, int code, const uint8_t *base, const uint8_t *at,
                  const char *field);

uint16_t pn_graph_u16_get(const uint8_t *p); /* one UTF-16 code unit, wire order */
void pn_graph_u16_put(uint8_t *p, uint16_t v);
void pn_graph_guid_read(const uint8_t *wire, pn_graph_guid *g);
void pn_graph_guid_write(uint8_t *wire, const pn_graph_guid *g);

/* Check a wire UTF-16 string of count units: NUL last and nowhere else, surrogates
 * paired.  Returns PN_OK or PN_ERR_GRAPH_STRING (with *bad the offending unit index). */
int pn_graph_str16_check(const uint8_t *p, uint32_t count, size_t *bad);

/* Read a length-prefixed UTF-16 string from r: allow_zero accepts an absent string;
 * otherwise the length must be in [min, max].  Returns PN_OK or the error (recorded). */
int pn_graph_rd_str16(pn_rd *r, pn_graph_str16 *s, uint32_t min, uint32_t max, int allow_zero,
                      const uint8_t *base, pn_graph_err *err, const char *len_field,
                      const char *field);
void pn_graph_wr_str16(pn_wr *w, const pn_graph_str16 *s);
void pn_graph_wr_guid(pn_wr *w, const pn_graph_guid *g);

/* pn_graph_record_decode with error offsets counted from base (the enclosing FLOOD). */
int pn_graph_record_decode_at(const uint8_t *buf, size_t len, const uint8_t *base,
                              pn_graph_record *rec, pn_graph_err *err);

/* Attribute XML check used by the record decoder. */
int pn_graph_attrs_check(const pn_graph_str16 *xml, unsigned flags, const uint8_t *base,
                         pn_graph_err *err);

/* Shared tail of every encoder: map the writer state to a return value. */
int pn_graph_wr_result(const pn_wr *w, size_t *needed);

#endif
