/* Footprint of a configuration profile (PN_PROFILE, peernet/opts.h): the codec and crypto
 * calls a node built with that profile's PN_FEATURE_* switches makes, linked alone: the
 * wire-and-crypto floor of such a node, without the engines.  The PNRP node with its
 * engine is measured by node.c (make size-node). */
#include "peernet/aes.h"
#include "peernet/drbg.h"
#include "peernet/graph_wire.h"
#include "peernet/hash.h"
#include "peernet/platform.h"
#include "peernet/pnrp_wire.h"
#include "peernet/rsa.h"
#include "peernet/x509.h"

/* Inputs the compiler cannot see through, so nothing is folded away. */
const uint8_t *volatile pn_fp_in;
uint8_t *volatile pn_fp_out;
void *volatile pn_fp_mem;
const pn_rsa_public *volatile pn_fp_pub;
const pn_rsa_private *volatile pn_fp_priv;
volatile int pn_fp_sink;
int main(void);

static void common(pn_drbg *rng)
{
    pn_addr a;
    char text[PN_ADDR_STRLEN];
    pn_fp_sink = pn_drbg_init(rng, pn_fp_in, 32, pn_fp_in + 32, 16, NULL, 0);
    pn_fp_sink = pn_drbg_generate(rng, pn_fp_out, 32, NULL, 0);
    pn_fp_sink = pn_addr_parse(&a, (const char *)pn_fp_in);
    pn_fp_sink = (int)pn_addr_format(&a, text, sizeof text);
}

#if PN_FEATURE_PNRP
/* Resolve: LOOKUP/AUTHORITY traffic, reassembly, CPA check (MS-PNRP 3.2.4). */
static void pnrp(pn_drbg *rng)
{
    /* Decoded forms and the reassembly table live in the engine's context, not on the
     * stack. */
    pn_pnrp_msg *m = pn_fp_mem;
    pn_pnrp_authority_buffer *ab = (pn_pnrp_authority_buffer *)(void *)(m + 1);
    pn_pnrp_name *name = (pn_pnrp_name *)(void *)(ab + 1);
    pn_pnrp_reasm *ra = (pn_pnrp_reasm *)(void *)(name + 1);
    pn_pnrp_id id, d;
    const uint8_t *buf;
    size_t len;
    uint8_t hash[PN_SHA1_LEN];
    (void)rng;
    pn_pnrp_reasm_init(ra, PN_PNRP_REASSEMBLY_TIMEOUT_MS);
    if (pn_pnrp_decode(pn_fp_in, 1200, 0, m, NULL) != PN_OK)
        return;
    if (pn_pnrp_reasm_input(ra, 0, pn_fp_in, 3540, 7, &m->u.authority, &buf, &len) == 1 &&
        pn_pnrp_authority_buffer_decode(buf, len, 0, ab, NULL) == PN_OK && ab->has_cpa) {
        pn_sha1(pn_fp_in, 100, hash);
        pn_fp_sink =
            pn_rsa_pkcs1_verify(pn_fp_pub, PN_HASH_SHA1, hash, sizeof hash, pn_fp_in + 100, 128);
    }
    pn_fp_sink = pn_pnrp_reasm_expire(ra, 1);
    if (pn_pnrp_name_parse((const char *)pn_fp_in, 40, name) == PN_OK &&
        pn_pnrp_name_id(name, pn_fp_in, &id) == PN_OK) {
        pn_pnrp_id_distance(&d, &id, &m->u.lookup.target);
        pn_fp_sink = pn_pnrp_id_closer(&id, &d, &id);
    }
    pn_fp_sink = pn_pnrp_encode(m, pn_fp_out, PN_UDP_MAX, NULL);
}
#endif

#if PN_FEATURE_PNRP_REGISTER
/* Register: a key, a signed CPA, AUTHORITY replies cut into fragments (3.2.5.10). */
static void pnrp_register(pn_drbg *rng)
{
    pn_pnrp_cpa *cpa = pn_fp_mem;
    pn_rsa_keybuf *kb = (pn_rsa_keybuf *)(void *)(cpa + 1);
    uint8_t hash[PN_SHA1_LEN];
    pn_fp_sink = pn_rsa_generate_work(kb, 1024, pn_drbg_rng, rng, pn_fp_out + 2048, 8192);
    pn_fp_sink = pn_pnrp_cpa_decode(pn_fp_in, 400, 0, cpa, NULL);
    pn_sha1(pn_fp_in, 100, hash);
    pn_fp_sink = pn_rsa_pkcs1_sign_work(pn_fp_priv, PN_HASH_SHA1, hash, sizeof hash, pn_fp_out, 128,
                                        pn_drbg_rng, rng, pn_fp_out + 2048, 8192);
    pn_fp_sink = pn_pnrp_cpa_encode(cpa, pn_fp_out, 1024, NULL);
    pn_fp_sink = pn_pnrp_fragment_encode(1, 0, pn_fp_in, 2000, 1, pn_fp_out, PN_UDP_MAX, NULL);
}
#endif

#if PN_FEATURE_GRAPHING
/* Graphing: framed TCP stream, messages and records (MS-PPGRH 2.2). */
static void graphing(void)
{
    pn_graph_msg *m = pn_fp_mem;
    pn_graph_record *r = (pn_graph_record *)(void *)(m + 1);
    pn_graph_framer f;
    pn_graph_reasm ra;
    const uint8_t *payload, *msg;
    size_t used, plen, mlen;
    if (pn_graph_framer_init(&f, pn_fp_out, PN_GRAPH_FRAME_MAX + 2) != PN_OK ||
        pn_graph_reasm_init(&ra, pn_fp_out + PN_GRAPH_FRAME_MAX + 2, PN_GRAPH_MSG_MAX_BYTES) !=
            PN_OK)
        return;
    if (pn_graph_framer_input(&f, pn_fp_in, 500, &used, &payload, &plen, NULL) != 1 ||
        pn_graph_reasm_input(&ra, payload, plen, &msg, &mlen, NULL) != 1)
        return;
    if (pn_graph_msg_decode(msg, mlen, m, NULL) == PN_OK)
        pn_fp_sink = pn_graph_msg_encode(m, pn_fp_out, 4096, NULL);
    if (pn_graph_record_decode(pn_fp_in, 300, r, NULL) == PN_OK)
        pn_fp_sink = pn_graph_record_encode(r, pn_fp_out, 4096, NULL);
    pn_fp_sink = pn_graph_frames_encode(pn_fp_in, 900, 512, pn_fp_out, 4096, NULL);
}
#endif

#if PN_FEATURE_GROUPING_SECURITY
/* Grouping security: certificate chains, PKCS#7 bags, group keys (MS-PPSEC). */
static void grouping_security(pn_drbg *rng)
{
    pn_x509 *chain = pn_fp_mem;
    pn_pkcs7_bag bag;
    pn_der it;
    pn_aes aes;
    uint8_t mac[PN_SHA256_LEN];
    if (pn_pkcs7_bag_parse(&bag, pn_fp_in, 2000) == PN_OK) {
        pn_pkcs7_bag_begin(&bag, &it);
        pn_fp_sink = pn_pkcs7_bag_next(&it, &chain[0]);
        pn_fp_sink = pn_pkcs7_bag_next(&it, &chain[1]);
        pn_fp_sink = pn_x509_chain_verify(chain, 2, 1800000000, 0);
    }
    pn_fp_sink = pn_rsa_pkcs1_decrypt_work(pn_fp_priv, pn_fp_in, 128, pn_fp_out, 64, pn_drbg_rng,
                                           rng, pn_fp_out + 2048, 8192);
    if (pn_aes_init(&aes, pn_fp_in, 32) == PN_OK) {
        pn_fp_sink =
            pn_aes_cbc_decrypt_unpad(&aes, pn_fp_in, pn_fp_in + 16, 64, pn_fp_out, 64, NULL);
        pn_fp_sink = pn_aes_cbc_encrypt_pad(&aes, pn_fp_in, pn_fp_in + 16, 40, pn_fp_out, 64, NULL);
    }
    pn_fp_sink = pn_hmac(PN_HASH_SHA256, pn_fp_in, 32, pn_fp_in + 32, 64, mac);
    pn_fp_sink = pn_x509_build_work(pn_fp_mem, pn_fp_priv, pn_drbg_rng, rng, pn_fp_out + 2048, 8192,
                                    pn_fp_out, 2048, NULL);
}
#endif

int main(void)
{
    pn_drbg rng;
    common(&rng);
#if PN_FEATURE_PNRP
    pnrp(&rng);
#endif
#if PN_FEATURE_PNRP_REGISTER
    pnrp_register(&rng);
#endif
#if PN_FEATURE_GRAPHING
    graphing();
#endif
#if PN_FEATURE_GROUPING_SECURITY
    grouping_security(&rng);
#endif
    return 0;
}
