/* Fuzz harness: PKCS#7 certificate bags.
 * Invariants: the iterator yields at most the counted certificates; a bag rebuilt from
 * the certificates that parse is itself a valid bag with that many certificates. */
#include <stdlib.h>
#include <string.h>

#include "peernet/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[PN_X509_MAX_CHAIN * PN_X509_MAX_CERT_BYTES + 256];
    pn_x509 certs[PN_X509_MAX_CHAIN];
    pn_x509_span spans[PN_X509_MAX_CHAIN];
    pn_pkcs7_bag bag, again;
    pn_der it;
    size_t n = 0;
    int rc;
    if (size > 65536)
        return 0;
    if (pn_pkcs7_bag_parse(&bag, data, size) != PN_OK)
        return 0;
    if (bag.count > PN_X509_MAX_CHAIN)
        abort();
    pn_pkcs7_bag_begin(&bag, &it);
    while ((rc = pn_pkcs7_bag_next(&it, &certs[n])) == 1) {
        spans[n] = certs[n].der;
        if (++n > bag.count)
            abort();
    }
    if (n > 0) {
        (void)pn_x509_chain_verify(certs, n, certs[0].not_before, 0);
        (void)pn_x509_chain_verify(certs, n, certs[0].not_before, PN_X509_ROOT_FIRST);
    }
    rc = pn_pkcs7_bag_build(spans, n, out, sizeof out, NULL);
    if (rc < 0 || pn_pkcs7_bag_parse(&again, out, (size_t)rc) != PN_OK || again.count != n)
        abort();
    return 0;
}
