/* The node's side of delegation and extended payloads (MS-PNRP 3.2.5.6, 3.2.5.8,
 * 3.1.5.6.1.2, 3.1.4.4.2): what a publisher adds to an AUTHORITY_BUFFER and what a
 * receiver checks with the CPA. */
#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "pnrp/pnrp_int.h"
#include "wire/pn_mem.h"

#if PN_PNRP_DELEGATION /* decision PORT-4 */
#if PN_PNRP_STACK_WORK
typedef union xp_work {
    uint64_t align_;
    uint8_t b[PN_RSA_WORK_BYTES(1024)];
} xp_work;
#endif

int pn_pnrp_local_extras(pn_pnrp_local *l, const pn_pnrp_registration *reg,
                         const pn_pnrp_name *name)
{
    if (reg->xp_data != NULL || reg->xp_len != 0) {
        int is_string = reg->xp_type == PN_PNRP_XP_STRING;
        /* 2.2.3.3: 1..4096 bytes; a string carries its type and a NUL terminator. */
        if (reg->xp_data == NULL || reg->xp_len == 0 || reg->xp_len > 4096 ||
            (!is_string && reg->xp_type != PN_PNRP_XP_BINARY) ||
            (is_string && (reg->xp_string_type > PN_PNRP_XP_UTF8 || reg->xp_len < 4)))
            return PN_ERR_ARG;
        l->reg = reg;
    }
    if (name->secure && reg->identity->chain != NULL)
        l->reg = reg;
    return PN_OK;
}

int pn_pnrp_attach_extras(pn_pnrp_node *n, uint64_t now_ft, const pn_pnrp_local *l,
                          const pn_pnrp_inquire *iq, pn_pnrp_authority_buffer *ab, uint8_t *xp,
                          size_t cap, uint8_t *units)
{
    static const uint8_t zero[16] = {0};
    pn_pnrp_decode_error de;
    const pn_pnrp_registration *reg;
    pn_pnrp_name name;
#if PN_PNRP_STACK_WORK
    xp_work stack_work;
    uint8_t *work = stack_work.b;
    const size_t work_len = sizeof stack_work.b;
#else
    uint8_t *work = n->work.rsa; /* decision PORT-3, as the CPA signature */
    const size_t work_len = sizeof n->work.rsa;
#endif
    int len;
    if (l == NULL || (reg = l->reg) == NULL)
        return 0;
    if (iq->flag_c && l->identity->chain != NULL &&
        pn_pnrp_name_parse(reg->name, reg->name_len, &name) == PN_OK && name.secure) {
        /* 3.2.5.6: the chain, and the CLASSIFIER it must delegate (3.1.5.10). */
        len = pn_utf8_to_utf16le((const uint8_t *)name.classifier, name.classifier_len, units,
                                 2 * PN_PNRP_CLASSIFIER_MAX, NULL);
        if (len >= 0) {
            size_t i;
            uint16_t u;
            /* The element's own byte order (PN_PNRP_WCHAR_WIRE_BE), unit by unit. */
            for (i = 0; i + 1 < (size_t)len; i += 2) {
                u = (uint16_t)(units[i] | units[i + 1] << 8);
                pn_pnrp_classifier_put(units + i, &u, 1);
            }
            ab->has_cert_chain = 1;
            ab->cert_chain.p = l->identity->chain;
            ab->cert_chain.len = l->identity->chain_len;
            ab->has_classifier = 1;
            ab->classifier.units = units;
            ab->classifier.count = (uint16_t)(len / 2);
        }
    }
    if (!iq->flag_x || reg->xp_data == NULL)
        return 0;
    len = pn_pnrp_ext_payload_build(
        l->identity, now_ft + (uint64_t)n->cfg.cpa_lifetime_s * 10000000u, &l->id,
        iq->has_nonce ? iq->nonce : zero, reg->xp_type, reg->xp_string_type, reg->xp_data,
        reg->xp_len, xp, cap, pn_drbg_rng, &n->drbg, work, work_len);
    memset(work, 0, work_len);
    if (len <= 0 || pn_pnrp_ext_payload_decode(xp, (size_t)len, 0, &ab->ext_payload, &de) != PN_OK)
        return 0;
    ab->has_ext_payload = 1;
    return 1;
}

void pn_pnrp_expect_extras(pn_pnrp_cpa_expect *e, const pn_pnrp_authority_buffer *ab)
{
    if (ab->has_cert_chain) {
        e->cert_chain = ab->cert_chain.p;
        e->cert_chain_len = ab->cert_chain.len;
    }
    if (ab->has_classifier)
        e->classifier = &ab->classifier;
    if (ab->has_ext_payload)
        e->ext_payload = &ab->ext_payload;
}
#endif

int pn_pnrp_count_cpa_drop(pn_pnrp_counters *c, int rc)
{
    if (rc == PN_ERR_CRYPTO_CHAIN)
        c->drop_chain++;
    else if (rc == PN_ERR_PNRP_EXT_PAYLOAD)
        c->drop_xp++;
    else if (rc != PN_OK)
        c->drop_cpa++;
    return rc;
}
