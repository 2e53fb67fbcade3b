/* Hostile nodes for `peernet sim pnrp --hostile K` (see sim_hostile.h). */
#include <stdio.h>
#include <string.h>

#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "sim_hostile.h"

#define HOSTILE_GAP_MS 250 /* one burst per hostile node this often */
#define HOSTILE_BURST  16  /* datagrams per burst */
#define HOSTILE_STORM  100 /* datagrams per LOOKUP, SOLICIT or FLOOD storm */

static const char *const kind_names[HK_KINDS] = {
    "junk",          "mutated", "lookup_storm", "solicit_storm", "flood_storm",
    "forged_revoke", "badsig",  "unsolicited",  "replay",        "forged_authority"};

const char *hostile_kind_name(int kind)
{
    return kind >= 0 && kind < HK_KINDS ? kind_names[kind] : "?";
}

static uint64_t hrand(hostile_app *h)
{
    uint64_t z = (h->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rbytes(hostile_app *h, uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (uint8_t)hrand(h);
}

static void node_ep(const hostile_world *w, uint32_t i, pn_pnrp_endpoint *ep)
{
    pn_addr a;
    pn_sim_node_addr(w->sim, i, PN_PNRP_PORT, &a);
    memcpy(ep->addr, a.ip, 16);
    ep->port = a.port;
}

static void send_raw(hostile_app *h, pn_platform *pf, const pn_pnrp_endpoint *to,
                     const uint8_t *buf, size_t len, int kind)
{
    pn_addr dst;
    memset(&dst, 0, sizeof dst);
    dst.family = PN_AF_INET6;
    memcpy(dst.ip, to->addr, 16);
    dst.port = to->port;
    if (pf->udp_send(pf->ctx, h->udp, &dst, buf, len) >= 0)
        h->w->sent[kind]++;
}

static void send_msg(hostile_app *h, pn_platform *pf, const pn_pnrp_endpoint *to,
                     const pn_pnrp_msg *m, int kind)
{
    uint8_t buf[PN_UDP_MAX];
    int len = pn_pnrp_encode(m, buf, sizeof buf, NULL);
    if (len > 0)
        send_raw(h, pf, to, buf, (size_t)len, kind);
}

/* A registered name's ID, or a random ID when none is registered yet. */
static void some_id(hostile_app *h, pn_pnrp_id *id, uint32_t *name)
{
    uint32_t j = (uint32_t)(hrand(h) % h->w->names);
    *id = h->w->name_ids[j];
    if (name != NULL)
        *name = j;
    if (id->b[0] == 0 && id->b[1] == 0 && id->b[2] == 0)
        rbytes(h, id->b, sizeof id->b);
}

static void self_route(hostile_app *h, pn_pnrp_route_entry *re)
{
    pn_pnrp_endpoint me;
    node_ep(h->w, h->self, &me);
    memset(re, 0, sizeof *re);
    rbytes(h, re->id.b, sizeof re->id.b);
    re->port = me.port;
    re->addr_count = 1;
    memcpy(re->addrs[0], me.addr, 16);
}

/* A revoke CPA for a registered name, signed with the hostile key: a valid signature
 * over a name the signer does not own (unsecured names bind no key, decision PE-33). */
static int forged_revoke(hostile_app *h, pn_platform *pf, pn_pnrp_cpa *cpa, int break_sig)
{
    hostile_world *w = h->w;
    uint32_t k = (uint32_t)(hrand(h) % HOSTILE_POOL), j = (k * 7919u) % w->names;
    static uint8_t copy[700];
    if (w->pool_len[k] == 0) {
        static union {
            uint64_t a;
            uint8_t b[PN_RSA_WORK_BYTES(1024)];
        } work;
        pn_pnrp_cpa_params p;
        pn_drbg d;
        uint8_t seed[32];
        char cls[24];
        int len;
        if (w->name_ids[j].b[0] == 0 && w->name_ids[j].b[1] == 0)
            return -1; /* not registered yet */
        memset(&p, 0, sizeof p);
        p.identity = w->key;
        p.revoke = 1;
        snprintf(cls, sizeof cls, "n%u", j);
        pn_pnrp_classifier_hash(cls, strlen(cls), p.classifier_hash);
        memcpy(p.service_loc, w->name_ids[j].b + 16, 16);
        p.not_after =
            pn_pnrp_filetime((int64_t)pf->now_ms(pf->ctx) + w->wall_offset_ms + 8 * 3600 * 1000ll);
        memset(seed, 0, sizeof seed);
        seed[0] = (uint8_t)k;
        pn_drbg_init(&d, seed, sizeof seed, "hostile", 7, NULL, 0);
        len = pn_pnrp_cpa_build(&p, w->pool[k], sizeof w->pool[k], pn_drbg_rng, &d, &work,
                                sizeof work);
        if (len <= 0)
            return -1;
        w->pool_len[k] = (uint16_t)len;
    }
    memcpy(copy, w->pool[k], w->pool_len[k]);
    if (break_sig)
        copy[w->pool_len[k] - 1 - hrand(h) % 64] ^= (uint8_t)(1u + hrand(h) % 255);
    return pn_pnrp_cpa_decode(copy, w->pool_len[k], 0, cpa, NULL) == PN_OK ? 0 : -1;
}

static void attack(hostile_app *h, pn_platform *pf, const pn_pnrp_endpoint *to, int kind)
{
    hostile_world *w = h->w;
    pn_pnrp_msg m;
    uint8_t buf[PN_UDP_MAX];
    pn_pnrp_endpoint me;
    int i, len, count;
    node_ep(w, h->self, &me);
    count =
        kind == HK_LOOKUP || kind == HK_SOLICIT || kind == HK_FLOOD ? HOSTILE_STORM : HOSTILE_BURST;
    for (i = 0; i < count; i++) {
        memset(&m, 0, sizeof m);
        m.msg_id = (uint32_t)hrand(h);
        switch (kind) {
        case HK_JUNK:
            len = 1 + (int)(hrand(h) % 300);
            rbytes(h, buf, (size_t)len);
            if (hrand(h) & 1) /* a plausible header */
                buf[0] = 0x00, buf[1] = 0x10, buf[2] = 0x01 + (uint8_t)(hrand(h) % 11);
            send_raw(h, pf, to, buf, (size_t)len, kind);
            break;
        case HK_MUTATED:
        case HK_LOOKUP:
            m.type = PN_PNRP_LOOKUP;
            some_id(h, &m.u.lookup.target, NULL);
            m.u.lookup.criteria = PN_PNRP_SEARCH_ANY_PEERNAME;
            m.u.lookup.path.count = 1;
            m.u.lookup.path.eps[0] = me;
            if (hrand(h) & 1) { /* with a route entry to admit: the hostile node itself */
                m.u.lookup.has_route = 1;
                self_route(h, &m.u.lookup.route);
            }
            len = pn_pnrp_encode(&m, buf, sizeof buf, NULL);
            if (len <= 0)
                break;
            if (kind == HK_MUTATED)
                buf[hrand(h) % (uint64_t)len] ^= (uint8_t)(1u + hrand(h) % 255);
            send_raw(h, pf, to, buf, (size_t)len, kind);
            break;
        case HK_SOLICIT:
            m.type = PN_PNRP_SOLICIT;
            rbytes(h, m.u.solicit.hashed_nonce, 20);
            send_msg(h, pf, to, &m, kind);
            break;
        case HK_FLOOD: {
            pn_pnrp_route_entry *re = &m.u.flood.route;
            uint64_t r = hrand(h) % 3;
            m.type = PN_PNRP_FLOOD;
            m.u.flood.has_route = 1;
            self_route(h, re);
            if (r == 0) { /* an address where nobody listens */
                re->addrs[0][12] = 0xde;
                re->addrs[0][13] = 0xad;
            } else if (r == 1) { /* an honest node under an ID it does not hold */
                pn_pnrp_endpoint v;
                node_ep(w, (uint32_t)(hrand(h) % w->nodes), &v);
                memcpy(re->addrs[0], v.addr, 16);
            } /* else: the hostile node itself (silent to INQUIREs without A) */
            some_id(h, &re->id, NULL);
            re->id.b[31] ^= 0x5a;
            send_msg(h, pf, to, &m, kind);
            break;
        }
        case HK_REVOKE:
        case HK_BADSIG:
            m.type = PN_PNRP_FLOOD;
            m.u.flood.flag_d = 1;
            if (forged_revoke(h, pf, &m.u.flood.revoke, kind == HK_BADSIG) != 0)
                return;
            m.u.flood.has_revoke = 1;
            send_msg(h, pf, to, &m, kind);
            break;
        case HK_ANSWER:
            switch (hrand(h) % 4) {
            case 0: {
                uint8_t ab[64];
                pn_pnrp_authority_buffer a;
                int n;
                memset(&a, 0, sizeof a);
                a.has_route = 1;
                self_route(h, &a.route);
                n = pn_pnrp_authority_buffer_encode(&a, ab, sizeof ab, NULL);
                if (n <= 0)
                    break;
                len = pn_pnrp_fragment_encode(m.msg_id, (uint32_t)hrand(h), ab, (size_t)n, 0, buf,
                                              sizeof buf, NULL);
                if (len > 0)
                    send_raw(h, pf, to, buf, (size_t)len, kind);
                break;
            }
            case 1:
                m.type = PN_PNRP_ACK;
                m.u.ack.acked_id = (uint32_t)hrand(h);
                m.u.ack.has_flags = 1;
                m.u.ack.flag_n = 1;
                send_msg(h, pf, to, &m, kind);
                break;
            case 2:
                m.type = PN_PNRP_ADVERTISE;
                m.u.advertise.acked_id = (uint32_t)hrand(h);
                m.u.advertise.ids.count = 1;
                some_id(h, &m.u.advertise.ids.ids[0], NULL);
                send_msg(h, pf, to, &m, kind);
                break;
            default:
                m.type = PN_PNRP_REQUEST;
                rbytes(h, m.u.request.nonce, 16);
                m.u.request.ids.count = 1;
                some_id(h, &m.u.request.ids.ids[0], NULL);
                send_msg(h, pf, to, &m, kind);
                break;
            }
            break;
        case HK_REPLAY: {
            uint32_t k;
            if (h->n_replay == 0)
                return;
            k = (uint32_t)(hrand(h) %
                           (h->n_replay < HOSTILE_REPLAY ? h->n_replay : HOSTILE_REPLAY));
            send_raw(h, pf, to, h->replay[k], h->replay_len[k], kind);
            break;
        }
        default:
            return;
        }
    }
}

/* An INQUIRE asking for a CPA gets a forged one: a revoke-free CPA of another name
 * (wrong ID) with a zero nonce (stale), signed by the hostile key. */
static void answer_inquire(hostile_app *h, pn_platform *pf, const pn_pnrp_endpoint *to,
                           const pn_pnrp_msg *iq)
{
    pn_pnrp_authority_buffer a;
    pn_pnrp_cpa cpa;
    static uint8_t ab[1400];
    uint8_t buf[PN_UDP_MAX];
    int n, len;
    if (!iq->u.inquire.flag_a || forged_revoke(h, pf, &cpa, 0) != 0)
        return;
    cpa.flags &= (uint8_t)~PN_PNRP_CPA_R;
    memset(&a, 0, sizeof a);
    a.has_route = 1;
    self_route(h, &a.route);
    a.route.id = iq->u.inquire.validate;
    a.has_cpa = 1;
    a.cpa = cpa;
    n = pn_pnrp_authority_buffer_encode(&a, ab, sizeof ab, NULL);
    if (n <= 0 || n > PN_PNRP_FRAGMENT_LEN)
        return;
    len = pn_pnrp_fragment_encode((uint32_t)hrand(h), iq->msg_id, ab, (size_t)n, 0, buf, sizeof buf,
                                  NULL);
    if (len > 0)
        send_raw(h, pf, to, buf, (size_t)len, HK_FORGED_AUTHORITY);
}

static void hostile_start(void *app, pn_platform *pf)
{
    hostile_app *h = (hostile_app *)app;
    uint8_t b[8];
    h->udp = pf->udp_open(pf->ctx, &(pn_addr){PN_AF_INET6, {0}, PN_PNRP_PORT, 0});
    pf->random(pf->ctx, b, sizeof b);
    memcpy(&h->rng, b, sizeof h->rng);
    h->next = pf->now_ms(pf->ctx) + hrand(h) % HOSTILE_GAP_MS;
}

static uint64_t hostile_run(void *app, pn_platform *pf, uint64_t now)
{
    hostile_app *h = (hostile_app *)app;
    hostile_world *w = h->w;
    uint8_t buf[PN_SIM_MAX_PAYLOAD];
    pn_addr from;
    int n;
    while ((n = pf->udp_recv(pf->ctx, h->udp, &from, buf, sizeof buf)) != PN_ERR_WOULDBLOCK) {
        pn_pnrp_msg m;
        pn_pnrp_endpoint ep;
        uint32_t k;
        if (n <= 0)
            continue;
        memcpy(ep.addr, from.ip, 16);
        ep.port = from.port;
        /* Keep it for replays (to the same node or to another). */
        if ((size_t)n <= sizeof h->replay[0]) {
            k = h->n_replay++ % HOSTILE_REPLAY;
            memcpy(h->replay[k], buf, (size_t)n);
            h->replay_len[k] = (uint16_t)n;
            h->replay_from[k] = from;
        }
        if (pn_pnrp_decode(buf, (size_t)n, 0, &m, NULL) == PN_OK && m.type == PN_PNRP_INQUIRE)
            answer_inquire(h, pf, &ep, &m);
    }
    while (h->next <= now) {
        pn_pnrp_endpoint to;
        uint32_t t;
        int tries = 0;
        /* A quarter of the bursts go to node 0, the seed every node joins through. */
        do
            t = hrand(h) % 4 == 0 ? 0 : (uint32_t)(hrand(h) % w->nodes);
        while ((w->is_hostile[t] || t == h->self) && ++tries < 16);
        if (!w->is_hostile[t] && t != h->self) {
            node_ep(w, t, &to);
            attack(h, pf, &to, (int)(hrand(h) % HK_FORGED_AUTHORITY));
        }
        h->next += HOSTILE_GAP_MS;
    }
    return h->next;
}

const pn_sim_app_ops hostile_ops = {hostile_start, hostile_run};
