/* Fuzz harness: the PNRP message decoder (MS-PNRP 2.2), and the same bytes read as an
 * AUTHORITY_BUFFER and as an Encoded CPA.  Invariants: whatever strict decoding accepts
 * re-encodes to exactly the input; receive-mode decoding accepts a superset; every
 * failure names a field and an offset inside the input; the whole-message fast paths
 * (decision PW-28) give the same result, error and struct as the field-by-field decoder
 * (PN_PNRP_FIELDWISE) in both modes. */
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(int rc, const pn_pnrp_decode_error *e, size_t size)
{
    if (rc == PN_OK)
        return;
    if (rc >= 0 || e->code != rc || e->field == NULL || e->offset > size || pn_errname(rc) == NULL)
        abort();
}

/* The same bytes decoded with and without the fast paths agree. */
static void check_fieldwise(const uint8_t *data, size_t size, unsigned mode)
{
    static pn_pnrp_msg a, b;
    pn_pnrp_decode_error ea, eb;
    int ra, rb;
    memset(&a, 0x5A, sizeof a);
    memset(&b, 0x5A, sizeof b);
    ra = pn_pnrp_decode(data, size, mode, &a, &ea);
    rb = pn_pnrp_decode(data, size, mode | PN_PNRP_FIELDWISE, &b, &eb);
    if (ra != rb || ea.code != eb.code || ea.offset != eb.offset || ea.field != eb.field ||
        a.type != b.type || (ra == PN_OK && memcmp(&a, &b, sizeof a) != 0))
        abort();
}

static void check_ab_fieldwise(const uint8_t *data, size_t size, unsigned mode)
{
    static pn_pnrp_authority_buffer a, b;
    pn_pnrp_decode_error ea, eb;
    int ra, rb;
    memset(&a, 0x5A, sizeof a);
    memset(&b, 0x5A, sizeof b);
    ra = pn_pnrp_authority_buffer_decode(data, size, mode, &a, &ea);
    rb = pn_pnrp_authority_buffer_decode(data, size, mode | PN_PNRP_FIELDWISE, &b, &eb);
    if (ra != rb || ea.code != eb.code || ea.offset != eb.offset || ea.field != eb.field ||
        (ra == PN_OK && memcmp(&a, &b, sizeof a) != 0))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    static pn_pnrp_cpa cpa;
    static uint8_t out[65536 + 64];
    pn_pnrp_decode_error e;
    size_t need;
    int rc, strict_ok, n;
    if (size > 65536)
        return 0;
    /* The message. */
    check_fieldwise(data, size, PN_PNRP_STRICT);
    check_fieldwise(data, size, 0);
    check_ab_fieldwise(data, size, PN_PNRP_STRICT);
    check_ab_fieldwise(data, size, 0);
    rc = pn_pnrp_decode(data, size, PN_PNRP_STRICT, &m, &e);
    check_error(rc, &e, size);
    strict_ok = rc == PN_OK;
    if (strict_ok) {
        n = pn_pnrp_encode(&m, out, sizeof out, &need);
        if (n != (int)size || need != size || memcmp(out, data, size) != 0)
            abort();
        if (size > 0 && pn_pnrp_encode(&m, out, size - 1, &need) != PN_ERR_BUFSIZE)
            abort();
    }
    rc = pn_pnrp_decode(data, size, 0, &m, &e);
    check_error(rc, &e, size);
    if (strict_ok && rc != PN_OK)
        abort();
    /* The same bytes as an AUTHORITY_BUFFER. */
    rc = pn_pnrp_authority_buffer_decode(data, size, PN_PNRP_STRICT, &ab, &e);
    check_error(rc, &e, size);
    if (rc == PN_OK) {
        n = pn_pnrp_authority_buffer_encode(&ab, out, sizeof out, NULL);
        if (n != (int)size || memcmp(out, data, size) != 0)
            abort();
    }
    /* And as an Encoded CPA. */
    rc = pn_pnrp_cpa_decode(data, size, PN_PNRP_STRICT, &cpa, &e);
    check_error(rc, &e, size);
    if (rc == PN_OK) {
        n = pn_pnrp_cpa_encode(&cpa, out, sizeof out, NULL);
        if (n != (int)size || memcmp(out, data, size) != 0)
            abort();
    }
    return 0;
}
