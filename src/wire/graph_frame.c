/* MS-PPGRH 2.2.1.1 framing on the TCP stream, and message reassembly from frames. */
#include "wire/graph_int.h"
#include "wire/pn_mem.h"

int pn_graph_framer_init(pn_graph_framer *f, uint8_t *buf, size_t cap)
{
    if (f == NULL || buf == NULL || cap < PN_GRAPH_FRAME_MAX + 2u)
        return PN_ERR_ARG;
    f->buf = buf;
    f->cap = cap;
    f->have = 0;
    f->want = 0;
    f->offset = 0;
    f->err = PN_OK;
    return PN_OK;
}

/* The error report describes this call's first error: the caller's struct need not be
 * initialised (valgrind found size_check reading an uninitialised one). */
static void err_clear(pn_graph_err *err)
{
    if (err != NULL) {
        err->code = PN_OK;
        err->offset = 0;
        err->field = NULL;
    }
}

/* Frame Size: at least 1 and at most the Max Frame Size (2.2.1.1, 2.2: a larger unit
 * aborts the connection). */
static int size_ok(pn_graph_framer *f, size_t fs, size_t at, pn_graph_err *err)
{
    if (fs >= 1 && fs <= PN_GRAPH_FRAME_MAX)
        return PN_OK;
    f->err = PN_ERR_GRAPH_FRAME;
    if (err != NULL && err->code == PN_OK) {
        err->code = PN_ERR_GRAPH_FRAME;
        err->offset = at;
        err->field = "Frame Size";
    }
    return f->err;
}

int pn_graph_framer_input(pn_graph_framer *f, const uint8_t *in, size_t len, size_t *used,
                          const uint8_t **payload, size_t *plen, pn_graph_err *err)
{
    size_t i = 0;
    *used = 0;
    *payload = NULL;
    *plen = 0;
    if (f->err != PN_OK)
        return f->err;
    if (in == NULL && len != 0)
        return PN_ERR_ARG;
    err_clear(err);
    /* Whole frame in the input and nothing buffered: hand it out in place. */
    if (f->have == 0 && len >= 2) {
        size_t fs = pn_get_u16be(in);
        if (size_ok(f, fs, f->offset, err) != PN_OK) {
            *used = 2;
            return f->err;
        }
        if (len - 2 >= fs) {
            *payload = in + 2;
            *plen = fs;
            *used = 2 + fs;
            f->offset += 2 + fs;
            return 1;
        }
    }
    while (i < len) {
        if (f->have < 2) {
            f->buf[f->have++] = in[i++];
            if (f->have == 2) {
                f->want = pn_get_u16be(f->buf);
                if (size_ok(f, f->want, f->offset + i - 2, err) != PN_OK) {
                    *used = i;
                    return f->err;
                }
            }
            continue;
        }
        {
            size_t take = f->want + 2 - f->have;
            if (take > len - i)
                take = len - i;
            memcpy(f->buf + f->have, in + i, take);
            f->have += take;
            i += take;
        }
        if (f->have == f->want + 2) {
            *payload = f->buf + 2;
            *plen = f->want;
            f->have = 0;
            f->want = 0;
            *used = i;
            f->offset += i;
            return 1;
        }
    }
    *used = i;
    f->offset += i;
    return 0;
}

int pn_graph_frames_encode(const uint8_t *msg, size_t len, size_t max_frame, uint8_t *buf,
                           size_t cap, size_t *needed)
{
    pn_wr w;
    size_t done = 0;
    if (msg == NULL || len == 0 || max_frame < 1 || max_frame > PN_GRAPH_FRAME_MAX)
        return PN_ERR_ARG;
    pn_wr_init(&w, buf, cap);
    while (done < len) {
        size_t n = len - done < max_frame ? len - done : max_frame;
        pn_wr_u16be(&w, (uint16_t)n);
        pn_wr_bytes(&w, msg + done, n);
        done += n;
    }
    return pn_graph_wr_result(&w, needed);
}

int pn_graph_reasm_init(pn_graph_reasm *r, uint8_t *buf, size_t cap)
{
    /* A smaller buffer bounds the messages this stream accepts (the graph engine sizes
     * it from its record slots); PN_GRAPH_MSG_MAX_BYTES stays the ceiling. */
    if (r == NULL || buf == NULL || cap < PN_GRAPH_RECORD_MIN_SIZE + 12)
        return PN_ERR_ARG;
    r->buf = buf;
    r->cap = cap;
    r->have = 0;
    r->want = 0;
    r->err = PN_OK;
    return PN_OK;
}

static int reasm_fail(pn_graph_reasm *r, int code, size_t at, const char *field, pn_graph_err *err)
{
    r->err = code;
    if (err != NULL && err->code == PN_OK) {
        err->code = code;
        err->offset = at;
        err->field = field;
    }
    return code;
}

/* MS-PPGRH 2.2.1.2: the Message Size is the first field of every message. */
static int size_check(pn_graph_reasm *r, uint32_t size, pn_graph_err *err)
{
    if (size < PN_GRAPH_HEADER_SIZE)
        return reasm_fail(r, PN_ERR_GRAPH_SIZE, 0, "Message Size", err);
    if (size > PN_GRAPH_MSG_MAX_BYTES || size > r->cap)
        return reasm_fail(r, PN_ERR_GRAPH_TOO_BIG, 0, "Message Size", err);
    return PN_OK;
}

int pn_graph_reasm_input(pn_graph_reasm *r, const uint8_t *payload, size_t plen,
                         const uint8_t **msg, size_t *mlen, pn_graph_err *err)
{
    *msg = NULL;
    *mlen = 0;
    if (r->err != PN_OK)
        return r->err;
    if (payload == NULL || plen == 0)
        return PN_ERR_ARG;
    err_clear(err);
    if (r->have == 0 && plen >= 4) {
        uint32_t size = pn_get_u32be(payload);
        if (size_check(r, size, err) != PN_OK)
            return r->err;
        if (plen > size)
            return reasm_fail(r, PN_ERR_GRAPH_FRAME, size, "Frame Payload", err);
        if (plen == size) {
            *msg = payload;
            *mlen = plen;
            return 1;
        }
    }
    if (r->want == 0) {
        /* The Message Size is not known yet: at most 3 bytes are buffered. */
        size_t take = 4 - r->have < plen ? 4 - r->have : plen;
        memcpy(r->buf + r->have, payload, take);
        r->have += take;
        payload += take;
        plen -= take;
        if (r->have < 4)
            return 0;
        r->want = pn_get_u32be(r->buf);
        if (size_check(r, r->want, err) != PN_OK)
            return r->err;
    }
    if (plen > r->want - r->have)
        return reasm_fail(r, PN_ERR_GRAPH_FRAME, r->want, "Frame Payload", err);
    memcpy(r->buf + r->have, payload, plen);
    r->have += plen;
    if (r->have < r->want)
        return 0;
    *msg = r->buf;
    *mlen = r->have;
    r->have = 0;
    r->want = 0;
    return 1;
}
