/* The graph node's internal records: the Signature record and signature calculation
 * (MS-PPGRH 3.1.7.6, 3.1.7.11, 3.1.6.4), Contact records and contact maintenance
 * (3.1.7.5, 3.1.7.12, 3.1.6.3), partition detection and repair (3.1.7.13, 3.1.6.5,
 * 3.1.7.15), Presence records and presence maintenance (3.1.4.6, 3.1.7.4, 3.1.7.17,
 * 3.1.6.9), the refresh of this node's own internal records (3.1.7.22) and their deletion
 * when the node leaves (3.1.4.12).  Decisions GE-30 to GE-39.  The Graph Info record: its
 * publication by the creator (3.1.4.1, 3.1.7.7), who may publish it (GE-50), its adoption
 * (3.1.7.10.2); presence attributes and a change of the local addresses (3.1.7.23).
 * Decisions GE-49 to GE-53.
 *
 * The Contact List and the Presence List are the live records of those types in the
 * database (GE-30).  Work caused by a record arriving or expiring is deferred to a later
 * pn_graph_node_tick (reported as a deadline at most 500 ms after the previous such
 * reaction), because the record paths have no time argument and must not publish while
 * they iterate, and so that a burst of internal records (a joiner's synchronisation)
 * costs one scan of the database, not one per record. */
#include "graph_node_int.h"
#include "peernet/hash.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

#define NEVER            UINT64_MAX
#define SIG_LIFETIME_S   300u   /* 3.1.7.6 */
#define GINFO_LIFETIME_S 300u   /* 3.1.7.7 */
#define CONTACT_LIFETIME 900u   /* 3.1.7.5 */
#define PRESENCE_MIN_S   300u   /* 2.2.3.1: 0 or at least 300 */
#define REFRESH_LEAD_MS  20000u /* 3.1.7.22: refresh 20 s before expiry */
#define SIG_REARM_MS     (24u * 3600u * 1000u)
#define MAX_PRESENCE_ALL 0xFFFFFFFFu
#define PROCESS_GAP_MS   500u /* changed internal records: at most one scan per 500 ms */

/* 3.1.7.11 back-off: 100 + 29900 (1 - e^(-k/16)) ms for k = 0..16 (GE-31). */
static const uint16_t sig_delay_tab[17] = {100,   1912,  3613,  5212,  6714,  8125,
                                           9450,  10695, 11865, 12963, 13996, 14965,
                                           15876, 16732, 17536, 18291, 19000};

static uint32_t sig_delay_ms(uint64_t node_id)
{
    uint32_t n = (uint32_t)(node_id >> 48); /* the top 16 bits (GE-31) */
    uint32_t k = n >> 12, f = n & 0xfffu;
    uint32_t a = sig_delay_tab[k], b = sig_delay_tab[k + 1];
    return a + (((b - a) * f) >> 12);
}

static uint32_t rnd_ms(pn_graph_node *node, uint32_t lo, uint32_t hi)
{
    uint8_t r[4];
    pn_drbg_generate(&node->drbg, r, sizeof r, NULL, 0);
    return lo + pn_get_u32be(r) % (hi - lo + 1u);
}

static void arm(uint64_t *t, uint64_t at)
{
    if (*t > at)
        *t = at;
}

/* A random timer keeps its first draw: re-drawing at every check and keeping the earliest
 * would pull it towards its minimum, and make the earliest nodes the contacts (GE-32). */
static void arm_once(uint64_t *t, uint64_t at)
{
    if (*t == NEVER)
        *t = at;
}

static int enabled(const pn_graph_node *node)
{
    return !node->cfg.no_internal_records;
}

static int is_internal(const pn_graph_guid *t)
{
    return pn_graph_guid_eq(t, &pn_graph_type_signature) ||
           pn_graph_guid_eq(t, &pn_graph_type_contact) ||
           pn_graph_guid_eq(t, &pn_graph_type_presence) ||
           pn_graph_guid_eq(t, &pn_graph_type_graph_info);
}

static int live(const pn_graph_node *node, int i)
{
    return i >= 0 && !(node->db.e[i].flags & PN_GRAPH_RECORD_DELETED);
}

/* The value of the live signature record: 1 and *sig, or 0. */
static int read_signature(const pn_graph_node *node, uint64_t *sig)
{
    pn_graph_record r;
    pn_graph_err err;
    int i = pn_graph_db_find(&node->db, &pn_graph_id_signature);
    if (!live(node, i) || pn_graph_db_get(&node->db, (uint32_t)i, &r) != PN_OK)
        return 0;
    return pn_graph_signature_decode(r.payload, r.payload_len, NULL, sig, &err) == PN_OK;
}

static int get_contact(const pn_graph_node *node, uint32_t i, pn_graph_contact *c)
{
    pn_graph_record r;
    pn_graph_err err;
    if (!live(node, (int)i) || pn_graph_db_get(&node->db, i, &r) != PN_OK)
        return 0;
    return pn_graph_contact_decode(r.payload, r.payload_len, NULL, c, &err) == PN_OK;
}

static int get_presence(const pn_graph_node *node, uint32_t i, pn_graph_presence *p)
{
    pn_graph_record r;
    pn_graph_err err;
    if (!live(node, (int)i) || pn_graph_db_get(&node->db, i, &r) != PN_OK)
        return 0;
    return pn_graph_presence_decode(r.payload, r.payload_len, NULL, p, &err) == PN_OK;
}

static int own_contact(const pn_graph_node *node)
{
    return node->in.has_contact && live(node, pn_graph_db_find(&node->db, &node->in.contact_id));
}

static int own_presence(const pn_graph_node *node)
{
    return node->in.has_presence && live(node, pn_graph_db_find(&node->db, &node->in.presence_id));
}

static int own_signature(const pn_graph_node *node)
{
    uint64_t s;
    return read_signature(node, &s) && s == node->node_id;
}

static int count_live(const pn_graph_node *node, const pn_graph_guid *type)
{
    uint32_t pos = 0;
    int i, n = 0;
    while ((i = pn_graph_db_next(&node->db, &pos, type)) >= 0)
        n += live(node, i);
    return n;
}

static int str16_eq(const pn_graph_str16 *a, const pn_graph_str16 *b)
{
    return a->count == b->count && memcmp(a->p, b->p, 2 * (size_t)a->count) == 0;
}

static void creator_hash(const pn_graph_str16 *s, uint8_t out[16])
{
    pn_md5(s->p, 2 * (size_t)s->count, out);
}

/* The stored Graph Info record (live or a tombstone): its entry, or -1. */
static int find_graph_info(const pn_graph_node *node, pn_graph_record *r)
{
    int i = pn_graph_db_find(&node->db, &pn_graph_id_graph_info);
    if (i < 0 || pn_graph_db_get(&node->db, (uint32_t)i, r) != PN_OK)
        return -1;
    return i;
}

static int get_graph_info(const pn_graph_node *node, pn_graph_record *r, pn_graph_info *gi)
{
    pn_graph_err err;
    int i = find_graph_info(node, r);
    return live(node, i) &&
           pn_graph_info_decode(r->payload, r->payload_len, NULL, gi, &err) == PN_OK;
}

/* GE-50: the graph creator is the creator of the first Graph Info record this node holds
 * (or this node, when it created the graph), and stays so after the record expires. */
static void pin_creator(pn_graph_node *node)
{
    pn_graph_record r;
    if (!node->in.gi_known && find_graph_info(node, &r) >= 0) {
        creator_hash(&r.creator_id, node->in.gi_creator);
        node->in.gi_known = 1;
    }
}

/* 3.1.1 / 3.1.7.10.2: Presence Lifetime, Max Presence Records and Max Record Size come from
 * the live Graph Info record; once adopted they stay when it expires (GE-51); before any,
 * the presence settings come from the configuration (GE-35). */
static void load_graph_info(pn_graph_node *node)
{
    pn_graph_internal *in = &node->in;
    pn_graph_record r;
    pn_graph_info gi;
    pin_creator(node);
    if (get_graph_info(node, &r, &gi)) {
        if (!in->gi_adopted || in->gi_version != r.version)
            in->gi_adoptions++;
        in->gi_adopted = 1;
        in->gi_version = r.version;
        in->presence_lifetime = gi.presence_lifetime;
        in->max_presence = gi.max_presence;
        node->max_record_size = gi.max_record_size;
        in->defer_expiration = (gi.flags & PN_GRAPH_INFO_DEFER_EXPIRATION) != 0;
    } else if (!in->gi_adopted) {
        in->presence_lifetime = node->cfg.presence_lifetime;
        in->max_presence = node->cfg.max_presence;
        in->defer_expiration = node->cfg.defer_expiration != 0;
    }
    if (in->presence_lifetime < PRESENCE_MIN_S)
        in->presence_lifetime = PRESENCE_MIN_S;
}

/* ---- publishing --------------------------------------------------------------------- */
/* Create (id NULL or unknown) or update (3.1.7.8) an internal record and publish it.
 * An update keeps the creator and creation time and names us as last modifier. */
static int put_record(pn_graph_node *node, uint64_t now, const pn_graph_guid *type,
                      const pn_graph_guid *id, const uint8_t *payload, size_t len,
                      uint32_t lifetime_s, int del, pn_graph_guid *id_out, uint32_t *idx_out)
{
    pn_graph_record rec;
    uint64_t pt = pn_graph_node_peer_time(node, now), exp;
    int i = id != NULL ? pn_graph_db_find(&node->db, id) : -1;
    memset(&rec, 0, sizeof rec);
    if (i >= 0) {
        pn_graph_record old;
        if (pn_graph_db_get(&node->db, (uint32_t)i, &old) != PN_OK)
            return PN_ERR_STATE;
        rec = old;
        rec.version = old.version + 1;
        if (rec.version == 0)
            return PN_ERR_RANGE;
        rec.modification_time = pt > old.modification_time ? pt : old.modification_time + 1;
        rec.last_modified_by = node->pid16;
        exp = rec.modification_time + (uint64_t)lifetime_s * SEC_TICKS;
        if (exp < old.expiration_time)
            exp = old.expiration_time;
    } else {
        if (id != NULL) {
            rec.id = *id;
        } else {
            pn_graph_guid rnd;
            pn_drbg_generate(&node->drbg, rnd.b, 16, NULL, 0);
            pn_graph_record_id_make(&node->pid16, &rnd, &rec.id);
        }
        rec.version = 1;
        rec.creator_id = node->pid16;
        rec.creation_time = pt;
        rec.modification_time = pt;
        exp = pt + (uint64_t)lifetime_s * SEC_TICKS;
    }
    rec.type = *type;
    rec.graph_id = node->gid16;
    rec.security = NULL;
    rec.security_len = 0;
    rec.attributes.p = NULL;
    rec.attributes.count = 0;
    rec.expiration_time = exp;
    rec.flags = del ? PN_GRAPH_RECORD_DELETED : 0;
    rec.payload = del ? NULL : payload;
    rec.payload_len = del ? 0 : (uint32_t)len;
    if (id_out != NULL)
        *id_out = rec.id;
    /* rec may point into the old slot: pn_gn_publish encodes before it stores. */
    return pn_gn_publish(node, &rec, idx_out);
}

static uint32_t listen_addrs(const pn_graph_node *node, uint8_t *raw)
{
    uint32_t i;
    for (i = 0; i < node->cfg.n_listen; i++) {
        pn_graph_peer_addr a;
        memset(&a, 0, sizeof a);
        a.port = node->cfg.listen[i].port;
        memcpy(a.addr, node->cfg.listen[i].addr, 16);
        pn_graph_peer_addr_put(raw, i, &a);
    }
    return node->cfg.n_listen;
}

/* 3.1.7.6: Signature = our node ID, fixed record ID, 300 s. */
static void publish_signature(pn_graph_node *node, uint64_t now)
{
    uint8_t p[8];
    size_t needed;
    if (pn_graph_signature_encode(node->node_id, p, sizeof p, &needed) < 0)
        return;
    if (put_record(node, now, &pn_graph_type_signature, &pn_graph_id_signature, p, sizeof p,
                   SIG_LIFETIME_S, 0, NULL, NULL) == PN_OK) {
        node->in.sig_published++;
        node->in.sig_exp = now + SIG_LIFETIME_S * 1000u;
    }
}

/* 3.1.7.5: our contact record with the signature in force (a new record or an update). */
static void publish_contact(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    uint8_t raw[2 * PN_GRAPH_PEER_ADDR_SIZE], p[20 + sizeof raw];
    pn_graph_contact c;
    size_t needed;
    int n, upd = own_contact(node);
    memset(&c, 0, sizeof c);
    c.signature = in->signature;
    c.node_id = node->node_id;
    c.addrs.p = raw;
    c.addrs.n = listen_addrs(node, raw);
    n = pn_graph_contact_encode(&c, p, sizeof p, &needed);
    if (n < 0)
        return;
    if (put_record(node, now, &pn_graph_type_contact, upd ? &in->contact_id : NULL, p, (size_t)n,
                   CONTACT_LIFETIME, 0, &in->contact_id, NULL) == PN_OK) {
        in->has_contact = 1;
        in->contact_published++;
        in->contact_exp = now + CONTACT_LIFETIME * 1000u;
    }
}

/* 3.1.7.4: our presence record with the application's attributes (GE-52). */
static void publish_presence(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    uint8_t raw[2 * PN_GRAPH_PEER_ADDR_SIZE];
    uint8_t p[16 + 2 * PN_GRAPH_PRESENCE_ATTR_MAX_CHARS + sizeof raw];
    pn_graph_presence pr;
    size_t needed;
    int n, upd = own_presence(node);
    memset(&pr, 0, sizeof pr);
    pr.node_id = node->node_id;
    pr.attributes.p = in->attr16;
    pr.attributes.count = in->attr_count;
    pr.addrs.p = raw;
    pr.addrs.n = listen_addrs(node, raw);
    n = pn_graph_presence_encode(&pr, p, sizeof p, &needed);
    if (n < 0)
        return;
    if (put_record(node, now, &pn_graph_type_presence, upd ? &in->presence_id : NULL, p, (size_t)n,
                   in->presence_lifetime, 0, &in->presence_id, NULL) == PN_OK) {
        in->has_presence = 1;
        in->presence_published++;
        in->presence_exp = now + (uint64_t)in->presence_lifetime * 1000u;
    }
}

static int delete_own(pn_graph_node *node, uint64_t now, const pn_graph_guid *type,
                      const pn_graph_guid *id, uint32_t *idx)
{
    return put_record(node, now, type, id, NULL, 0, 1, 1, NULL, idx);
}

/* ---- Graph Info (GE-49 to GE-51) ------------------------------------------------------ */
static int to_str16(const char *utf8, uint8_t *buf, size_t cap, pn_graph_str16 *out)
{
    size_t n = 0, needed;
    int r;
    out->p = NULL;
    out->count = 0;
    if (utf8 == NULL || utf8[0] == '\0')
        return PN_OK;
    while (utf8[n] != '\0')
        n++;
    r = pn_graph_str16_from_utf8(utf8, n, buf, cap, &needed, out);
    if (r == PN_ERR_BUFSIZE)
        return PN_ERR_RANGE;
    return r < 0 ? r : PN_OK;
}

/* 2.2.3.1 / 3.1.7.7: the Graph Info payload for p, built in node->scratch2 (its strings in
 * node->scratch); its length or an error.  Changes nothing else. */
static int build_graph_info(pn_graph_node *node, const pn_graph_properties *p)
{
    pn_graph_info gi;
    size_t needed, cap = node->cfg.max_msg_bytes;
    size_t fcap = cap / 3 < 2u * PN_GRAPH_STR_MAX_CHARS ? cap / 3 : 2u * PN_GRAPH_STR_MAX_CHARS;
    int r;
    memset(&gi, 0, sizeof gi);
    gi.scope = p->scope == 0 ? PN_GRAPH_SCOPE_GLOBAL : p->scope;
    if (gi.scope > PN_GRAPH_SCOPE_LINKLOCAL)
        return PN_ERR_ARG;
    if ((p->presence_lifetime != 0 && p->presence_lifetime < PRESENCE_MIN_S) ||
        (p->max_record_size != 0 && (p->max_record_size < 1024u || p->max_record_size > 62914560u)))
        return PN_ERR_RANGE;
    gi.flags = p->defer_expiration ? PN_GRAPH_INFO_DEFER_EXPIRATION : 0;
    gi.graph_id = node->gid16;
    gi.creator_id = node->pid16;
    gi.presence_lifetime = p->presence_lifetime;
    gi.max_presence = p->max_presence;
    gi.max_record_size = p->max_record_size;
    r = to_str16(p->friendly_name, node->scratch, fcap, &gi.friendly_name);
    if (r != PN_OK)
        return r;
    r = to_str16(p->comment, node->scratch + fcap, cap - fcap, &gi.comment);
    if (r != PN_OK)
        return r;
    if (gi.friendly_name.count > PN_GRAPH_STR_MAX_CHARS ||
        gi.comment.count > PN_GRAPH_COMMENT_MAX_CHARS)
        return PN_ERR_RANGE;
    r = pn_graph_info_encode(&gi, node->scratch2, cap, &needed);
    return r == PN_ERR_BUFSIZE ? PN_ERR_GRAPH_TOO_BIG : r;
}

static void cfg_properties(const pn_graph_node *node, pn_graph_properties *p)
{
    memset(p, 0, sizeof *p);
    p->friendly_name = node->cfg.friendly_name;
    p->comment = node->cfg.comment;
    p->scope = node->cfg.scope;
    /* GE-35 documents a configured lifetime below 300 s as 300 s */
    p->presence_lifetime = node->cfg.presence_lifetime == 0 || node->cfg.presence_lifetime >= 300u
                               ? node->cfg.presence_lifetime
                               : PRESENCE_MIN_S;
    p->max_presence = node->cfg.max_presence;
    p->max_record_size = node->cfg.max_record_size;
    p->defer_expiration = node->cfg.defer_expiration;
}

/* 3.1.7.7: publish (or update: the Graph ID and Creator ID stay) the Graph Info record. */
static int publish_graph_info(pn_graph_node *node, uint64_t now, const uint8_t *payload, size_t len)
{
    int r = put_record(node, now, &pn_graph_type_graph_info, &pn_graph_id_graph_info, payload, len,
                       GINFO_LIFETIME_S, 0, NULL, NULL);
    if (r == PN_OK) {
        node->in.gi_owner = 1;
        node->in.gi_published++;
        node->in.gi_exp = now + GINFO_LIFETIME_S * 1000u;
    }
    return r;
}

static int own_graph_info(const pn_graph_node *node)
{
    pn_graph_record r;
    return node->in.gi_owner && live(node, find_graph_info(node, &r)) &&
           str16_eq(&r.creator_id, &node->pid16);
}

static int is_graph_creator(const pn_graph_node *node)
{
    uint8_t h[16];
    if (!node->in.gi_known)
        return 0;
    creator_hash(&node->pid16, h);
    return memcmp(h, node->in.gi_creator, 16) == 0;
}

/* GE-50: a received Graph Info record is refused unless its creator is the graph creator
 * (the first one known), it names the same creator and our graph in its payload, and it
 * was last modified by nobody else (3.1.4.1: one creator; 3.1.7.7: the creator publishes
 * it; 2.2.3.1: Graph ID and Creator ID never change). */
int pn_gn_internal_accept(pn_graph_node *node, const pn_graph_record *rec)
{
    pn_graph_info gi;
    pn_graph_err err;
    uint8_t h[16];
    int ok = 1;
    if (!pn_graph_guid_eq(&rec->type, &pn_graph_type_graph_info))
        return 1;
    if (rec->last_modified_by.count != 0 && !str16_eq(&rec->last_modified_by, &rec->creator_id))
        ok = 0;
    else if (!(rec->flags & PN_GRAPH_RECORD_DELETED) &&
             (pn_graph_info_decode(rec->payload, rec->payload_len, NULL, &gi, &err) != PN_OK ||
              !str16_eq(&gi.creator_id, &rec->creator_id) || !str16_eq(&gi.graph_id, &node->gid16)))
        ok = 0;
    if (ok) {
        pin_creator(node);
        if (node->in.gi_known) {
            creator_hash(&rec->creator_id, h);
            ok = memcmp(h, node->in.gi_creator, 16) == 0;
        }
    }
    if (!ok)
        node->in.gi_refused++;
    return ok;
}

/* ---- the maintenance steps ------------------------------------------------------------ */
/* 3.1.7.11 Signature Calculation. */
static void signature_calc(pn_graph_node *node, uint64_t now)
{
    uint64_t s;
    int have = read_signature(node, &s);
    if (have && s <= node->node_id)
        return;
    arm(&node->in.sig_at, now + (have ? 100u : sig_delay_ms(node->node_id)));
}

/* 3.1.7.12: Cmin = 5 + (60 - floor(log2 S)) below 2^60, else 5; Cmax = Cmin + 5 (GE-32). */
static int contact_min(uint64_t s)
{
    int b = 63;
    if (s >= (1ull << 60))
        return 5;
    if (s == 0)
        return 65;
    while (!(s >> b))
        b--;
    return 5 + 60 - b;
}

static void contact_maintenance(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    int n, own, cmin;
    if (!in->have_signature)
        return; /* GE-32: no signature yet, no estimate of the graph size */
    n = count_live(node, &pn_graph_type_contact);
    own = own_contact(node);
    cmin = contact_min(in->signature);
    if ((!own && n < cmin) || (own && n > cmin + 5))
        arm_once(&in->contact_at, now + rnd_ms(node, 10000u, 180000u));
}

/* Live contact records whose signature differs from ours (not our own, whose address is
 * not one of our connections): how many; *pick one of them at random. */
static int connected_to(const pn_graph_node *node, const pn_graph_in6 *a)
{
    int i;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        const pn_graph_conn *c = node->cptr[i];
        if (c->state != CS_FREE && !c->closing && c->has_listen && c->listen.port == a->port &&
            memcmp(c->listen.addr, a->addr, 16) == 0)
            return 1;
    }
    return 0;
}

static int own_address(const pn_graph_node *node, const pn_graph_in6 *a)
{
    uint32_t i;
    for (i = 0; i < node->cfg.n_listen; i++)
        if (node->cfg.listen[i].port == a->port &&
            memcmp(node->cfg.listen[i].addr, a->addr, 16) == 0)
            return 1;
    return 0;
}

static int mismatching(pn_graph_node *node, pn_graph_in6 *pick, int *picked)
{
    uint32_t pos = 0;
    int i, n = 0, cand = 0;
    *picked = 0;
    while ((i = pn_graph_db_next(&node->db, &pos, &pn_graph_type_contact)) >= 0) {
        pn_graph_contact c;
        pn_graph_peer_addr pa;
        pn_graph_in6 a;
        if (!get_contact(node, (uint32_t)i, &c) || c.signature == node->in.signature ||
            c.node_id == node->node_id)
            continue;
        n++;
        if (c.addrs.n == 0)
            continue;
        pn_graph_peer_addr_get(&c.addrs, 0, &pa);
        a.port = pa.port;
        memcpy(a.addr, pa.addr, 16);
        if (own_address(node, &a) || connected_to(node, &a))
            continue;
        cand++;
        if (rnd_ms(node, 0, (uint32_t)cand - 1u) == 0) { /* reservoir sampling */
            *pick = a;
            *picked = 1;
        }
    }
    return n;
}

/* 3.1.7.13 Partition Detection. */
static void partition_detect(pn_graph_node *node, uint64_t now)
{
    pn_graph_in6 a;
    int picked;
    if (node->in.have_signature && mismatching(node, &a, &picked) > 0)
        arm_once(&node->in.part_at, now + rnd_ms(node, 5000u, 30000u));
}

/* 3.1.6.5: connect to a contact whose signature does not match (GE-33). */
static void partition_timer(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    pn_graph_in6 a;
    int picked, n;
    in->part_at = NEVER;
    if (!in->have_signature)
        return;
    n = mismatching(node, &a, &picked);
    if (n == 0)
        return;
    in->partitions_detected++;
    if (picked && !node->want_connect && !node->leaving) {
        node->want_connect = 1;
        node->want_addr = a;
        in->repair_connects++;
    }
    arm_once(&in->part_at, now + rnd_ms(node, 5000u, 30000u)); /* re-check until they match */
}

/* 3.1.7.17 Presence Maintenance. */
static void presence_maintenance(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    int own = own_presence(node), listening = node->listening && node->cfg.n_listen > 0, n;
    uint32_t maxp = in->max_presence;
    if (own && !listening) {
        if (delete_own(node, now, &pn_graph_type_presence, &in->presence_id, NULL) == PN_OK)
            in->presence_deleted++;
        in->has_presence = 0;
        return;
    }
    if (!own && listening && (maxp == MAX_PRESENCE_ALL || in->force_presence)) {
        publish_presence(node, now);
        return;
    }
    if (maxp == 0 || maxp == MAX_PRESENCE_ALL || in->force_presence)
        return;
    n = count_live(node, &pn_graph_type_presence);
    if ((own && (uint32_t)n > maxp + 10u) || (!own && (uint32_t)n < maxp))
        arm_once(&in->presence_at, now + rnd_ms(node, 30000u, 180000u));
}

static void presence_timer(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    int own = own_presence(node), n = count_live(node, &pn_graph_type_presence);
    uint32_t maxp = in->max_presence;
    in->presence_at = NEVER;
    if (own && !in->force_presence && maxp != MAX_PRESENCE_ALL && (uint32_t)n > maxp + 10u) {
        if (delete_own(node, now, &pn_graph_type_presence, &in->presence_id, NULL) == PN_OK)
            in->presence_deleted++;
        in->has_presence = 0;
    } else if (!own && (uint32_t)n < maxp && node->listening && node->cfg.n_listen > 0) {
        publish_presence(node, now);
    }
}

static void contact_timer(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    int n = count_live(node, &pn_graph_type_contact), own = own_contact(node), cmin;
    in->contact_at = NEVER;
    if (!in->have_signature)
        return;
    cmin = contact_min(in->signature);
    if (own && n > cmin + 5) {
        if (delete_own(node, now, &pn_graph_type_contact, &in->contact_id, NULL) == PN_OK)
            in->contact_deleted++;
        in->has_contact = 0;
    } else if (!own && n < cmin && node->listening && node->cfg.n_listen > 0) {
        publish_contact(node, now);
    }
}

/* What a changed internal record may require: the signature in force, our contact
 * record following it (GE-34), then the steps of 3.1.7.16 and presence maintenance. */
static void process(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    uint64_t s;
    load_graph_info(node);
    in->have_signature = (uint8_t)read_signature(node, &s);
    if (in->have_signature)
        in->signature = s;
    signature_calc(node, now);
    if (in->have_signature && own_contact(node)) {
        pn_graph_contact c;
        int i = pn_graph_db_find(&node->db, &in->contact_id);
        if (i >= 0 && get_contact(node, (uint32_t)i, &c) && c.signature != in->signature)
            publish_contact(node, now);
    }
    contact_maintenance(node, now);
    partition_detect(node, now);
    presence_maintenance(node, now);
}

/* 3.1.7.22 for our own internal records (GE-37). */
static void refresh(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    if (own_signature(node) && now + REFRESH_LEAD_MS >= in->sig_exp) {
        publish_signature(node, now);
        in->refreshed++;
    }
    if (own_contact(node) && now + REFRESH_LEAD_MS >= in->contact_exp) {
        publish_contact(node, now);
        in->refreshed++;
    }
    if (own_presence(node) && now + REFRESH_LEAD_MS >= in->presence_exp) {
        publish_presence(node, now);
        in->refreshed++;
    }
    if (own_graph_info(node) && now + REFRESH_LEAD_MS >= in->gi_exp) { /* GE-51 */
        pn_graph_record r;
        if (find_graph_info(node, &r) >= 0 &&
            publish_graph_info(node, now, r.payload, r.payload_len) == PN_OK)
            in->refreshed++;
    }
}

static uint64_t lead(uint64_t exp)
{
    return exp > REFRESH_LEAD_MS ? exp - REFRESH_LEAD_MS : 0;
}

static uint64_t refresh_due(const pn_graph_node *node)
{
    const pn_graph_internal *in = &node->in;
    uint64_t d = NEVER;
    if (own_signature(node))
        arm(&d, lead(in->sig_exp));
    if (own_contact(node))
        arm(&d, lead(in->contact_exp));
    if (own_presence(node))
        arm(&d, lead(in->presence_exp));
    if (own_graph_info(node))
        arm(&d, lead(in->gi_exp));
    return d;
}

/* ---- hooks ---------------------------------------------------------------------------- */
int pn_gn_internal_init(pn_graph_node *node)
{
    pn_graph_internal *in = &node->in;
    memset(in, 0, sizeof *in);
    in->sig_at = in->contact_at = in->part_at = in->presence_at = in->refresh_at = NEVER;
    if (node->cfg.creator) { /* 3.1.4.1: this node is the graph creator (GE-50) */
        creator_hash(&node->pid16, in->gi_creator);
        in->gi_known = 1;
        if (enabled(node)) { /* GE-49: the configuration must make a valid Graph Info */
            pn_graph_properties p;
            int r;
            cfg_properties(node, &p);
            r = build_graph_info(node, &p);
            if (r < 0)
                return r;
        }
    }
    load_graph_info(node);
    return PN_OK;
}

void pn_gn_internal_changed(pn_graph_node *node, const pn_graph_guid *type)
{
    if (pn_graph_guid_eq(type, &pn_graph_type_graph_info))
        pin_creator(node); /* also without the internal-record machinery (GE-50) */
    if (enabled(node) && is_internal(type))
        node->in.dirty = 1;
}

uint64_t pn_gn_internal_deadline(const pn_graph_node *node)
{
    const pn_graph_internal *in = &node->in;
    uint64_t d = NEVER;
    if (!enabled(node) || node->leaving)
        return NEVER;
    if (!in->started)
        return node->listening ? 0 : NEVER;
    if (in->dirty)
        arm(&d, in->processed_at + PROCESS_GAP_MS);
    arm(&d, in->sig_at);
    arm(&d, in->contact_at);
    arm(&d, in->part_at);
    arm(&d, in->presence_at);
    arm(&d, refresh_due(node));
    return d;
}

void pn_gn_internal_tick(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    if (!enabled(node) || node->leaving)
        return;
    if (!in->started) {
        if (!node->listening)
            return;
        in->started = 1; /* 3.1.4.8: listening starts maintenance and signature calculation */
        in->dirty = 1;
        if (node->cfg.creator && !in->gi_owner) { /* 3.1.4.1: the creator's Graph Info */
            pn_graph_properties p;
            int n;
            cfg_properties(node, &p);
            n = build_graph_info(node, &p);
            if (n > 0)
                (void)publish_graph_info(node, now, node->scratch2, (size_t)n);
        }
    }
    if (in->dirty && now >= in->processed_at + PROCESS_GAP_MS) {
        in->dirty = 0;
        in->processed_at = now;
        process(node, now);
    }
    if (now >= in->sig_at) {
        uint64_t s;
        in->sig_at = now + SIG_REARM_MS; /* 3.1.6.4 */
        if (!read_signature(node, &s) || s > node->node_id)
            publish_signature(node, now);
    }
    if (now >= in->contact_at)
        contact_timer(node, now);
    if (now >= in->part_at)
        partition_timer(node, now);
    if (now >= in->presence_at)
        presence_timer(node, now);
    refresh(node, now); /* our own publications set dirty: seen at a later tick */
}

/* 3.1.7.16 steps 1-3 (step 4 is pn_gn_maintenance) and step 5, plus presence. */
void pn_gn_internal_maintenance(pn_graph_node *node, uint64_t now)
{
    if (!enabled(node) || !node->in.started || node->leaving)
        return;
    process(node, now);
    node->in.dirty = 0;
    if (own_contact(node)) { /* 3.1.7.15 long-term partition repair */
        node->in.repair_requests++;
        pn_gn_event(node, PN_GRAPH_EV_WANT_CONNECTION, -1, NULL, NULL);
    }
}

/* 3.1.7.14: a random node of the Contact and Presence Lists that is not us and not
 * connected (the Referral List is the caller's). */
int pn_gn_internal_candidate(pn_graph_node *node, pn_graph_in6 *to)
{
    static const pn_graph_guid *const types[2] = {&pn_graph_type_contact, &pn_graph_type_presence};
    int t, i, cand = 0;
    if (!enabled(node))
        return 0;
    for (t = 0; t < 2; t++) {
        uint32_t pos = 0;
        while ((i = pn_graph_db_next(&node->db, &pos, types[t])) >= 0) {
            pn_graph_contact c;
            pn_graph_presence p;
            const pn_graph_array *addrs;
            uint64_t id;
            pn_graph_peer_addr pa;
            pn_graph_in6 a;
            if (t == 0) {
                if (!get_contact(node, (uint32_t)i, &c))
                    continue;
                addrs = &c.addrs;
                id = c.node_id;
            } else {
                if (!get_presence(node, (uint32_t)i, &p))
                    continue;
                addrs = &p.addrs;
                id = p.node_id;
            }
            if (id == node->node_id || addrs->n == 0)
                continue;
            pn_graph_peer_addr_get(addrs, 0, &pa);
            a.port = pa.port;
            memcpy(a.addr, pa.addr, 16);
            if (a.port == 0 || own_address(node, &a) || connected_to(node, &a))
                continue;
            cand++;
            if (rnd_ms(node, 0, (uint32_t)cand - 1u) == 0)
                *to = a;
        }
    }
    return cand > 0;
}

/* 3.1.4.12: before the DISCONNECTs, delete our presence, contact and signature records
 * and send the tombstones on every neighbour link at once (GE-38). */
void pn_gn_internal_leave(pn_graph_node *node, uint64_t now)
{
    pn_graph_internal *in = &node->in;
    uint32_t idx[3];
    int n = 0, k, ci;
    if (!enabled(node) || node->leaving)
        return;
    if (own_presence(node) &&
        delete_own(node, now, &pn_graph_type_presence, &in->presence_id, &idx[n]) == PN_OK)
        n++, in->presence_deleted++;
    if (own_contact(node) &&
        delete_own(node, now, &pn_graph_type_contact, &in->contact_id, &idx[n]) == PN_OK)
        n++, in->contact_deleted++;
    if (own_signature(node) &&
        delete_own(node, now, &pn_graph_type_signature, &pn_graph_id_signature, &idx[n]) == PN_OK)
        n++;
    in->has_presence = in->has_contact = 0;
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++) {
        pn_graph_conn *c = node->cptr[ci];
        if (c->state != CS_CONNECTED || c->closing || c->direct)
            continue;
        for (k = 0; k < n; k++) {
            node->db.e[idx[k]].queued = (uint16_t)(node->db.e[idx[k]].queued & ~(1u << ci));
            (void)pn_gn_send_flood(node, ci, idx[k]);
        }
    }
    in->dirty = 0;
}

/* 3.1.4.2: a persisted database is loaded without its Presence, Signature and Contact
 * records (they describe nodes and a signature of a past run); its Graph Info stays and is
 * adopted (GE-54). */
void pn_gn_internal_loaded(pn_graph_node *node)
{
    static const pn_graph_guid *const types[3] = {&pn_graph_type_presence, &pn_graph_type_signature,
                                                  &pn_graph_type_contact};
    int t, i;
    for (t = 0; t < 3; t++) {
        uint32_t pos = 0;
        while ((i = pn_graph_db_next(&node->db, &pos, types[t])) >= 0)
            pn_graph_db_remove(&node->db, (uint32_t)i);
    }
    node->in.has_presence = node->in.has_contact = 0;
    load_graph_info(node);
}

/* ---- application calls -------------------------------------------------------------- */
int pn_graph_node_publish_presence(pn_graph_node *node, uint64_t now)
{
    if (node == NULL)
        return PN_ERR_ARG;
    if (!enabled(node) || node->leaving || !node->listening || node->cfg.n_listen == 0)
        return PN_ERR_STATE;
    node->in.force_presence = 1; /* 3.1.4.6 */
    load_graph_info(node);
    if (!own_presence(node))
        publish_presence(node, now);
    presence_maintenance(node, now);
    return own_presence(node) ? PN_OK : PN_ERR_STATE;
}

int pn_graph_node_presence(const pn_graph_node *node, uint64_t *ids, int cap)
{
    uint32_t pos = 0;
    int i, n = 0;
    while ((i = pn_graph_db_next(&node->db, &pos, &pn_graph_type_presence)) >= 0) {
        pn_graph_presence p;
        if (!get_presence(node, (uint32_t)i, &p))
            continue;
        if (n < cap)
            ids[n] = p.node_id;
        n++;
    }
    return n;
}

int pn_graph_node_signature(const pn_graph_node *node, uint64_t *sig)
{
    return read_signature(node, sig);
}

int pn_graph_node_contacts(const pn_graph_node *node, int *own)
{
    if (own != NULL)
        *own = own_contact(node);
    return count_live(node, &pn_graph_type_contact);
}

int pn_graph_node_set_properties(pn_graph_node *node, uint64_t now, const pn_graph_properties *p)
{
    int n, r;
    if (node == NULL || p == NULL)
        return PN_ERR_ARG;
    if (!enabled(node) || node->leaving || !is_graph_creator(node))
        return PN_ERR_STATE; /* 3.1.7.7: only the graph creator publishes Graph Info */
    n = build_graph_info(node, p);
    if (n < 0)
        return n;
    r = publish_graph_info(node, now, node->scratch2, (size_t)n);
    if (r != PN_OK)
        return r;
    load_graph_info(node); /* 3.1.7.10.2 holds for our own update too */
    return PN_OK;
}

int pn_graph_node_graph_info(const pn_graph_node *node, pn_graph_info *gi)
{
    pn_graph_record r;
    if (node == NULL || gi == NULL)
        return 0;
    return get_graph_info(node, &r, gi);
}

int pn_graph_node_set_presence_attributes(pn_graph_node *node, uint64_t now, const char *utf8)
{
    pn_graph_internal *in;
    uint8_t tmp[2 * PN_GRAPH_PRESENCE_ATTR_MAX_CHARS];
    pn_graph_str16 s;
    int r;
    if (node == NULL)
        return PN_ERR_ARG;
    in = &node->in;
    r = to_str16(utf8, tmp, sizeof tmp, &s);
    if (r != PN_OK)
        return r;
    if (s.count == in->attr_count && memcmp(tmp, in->attr16, 2 * (size_t)s.count) == 0)
        return PN_OK;
    memcpy(in->attr16, tmp, 2 * (size_t)s.count);
    in->attr_count = s.count;
    if (enabled(node) && !node->leaving && own_presence(node))
        publish_presence(node, now); /* 3.1.7.4: an update of our presence record */
    return PN_OK;
}

/* 3.1.7.23 (GE-53). */
int pn_graph_node_set_addresses(pn_graph_node *node, uint64_t now, const pn_graph_in6 *addrs,
                                uint32_t n)
{
    pn_graph_internal *in;
    uint32_t i;
    if (node == NULL || n > 2 || (n > 0 && addrs == NULL))
        return PN_ERR_ARG;
    in = &node->in;
    if (n == node->cfg.n_listen) {
        for (i = 0; i < n; i++)
            if (addrs[i].port != node->cfg.listen[i].port ||
                memcmp(addrs[i].addr, node->cfg.listen[i].addr, 16) != 0)
                break;
        if (i == n)
            return PN_OK; /* no change */
    }
    for (i = 0; i < n; i++)
        node->cfg.listen[i] = addrs[i];
    node->cfg.n_listen = n;
    if (!enabled(node) || node->leaving || !in->started)
        return PN_OK;
    in->addr_changes++;
    if (own_presence(node) && n > 0)
        publish_presence(node, now);
    if (own_contact(node))
        publish_contact(node, now);
    /* 3.1.7.16; presence maintenance deletes our presence when no address is left */
    pn_gn_internal_maintenance(node, now);
    pn_gn_maintenance(node, now, 0);
    return PN_OK;
}

int pn_graph_node_presence_get(const pn_graph_node *node, uint64_t node_id, pn_graph_presence *p)
{
    uint32_t pos = 0;
    int i;
    if (node == NULL || p == NULL)
        return 0;
    while ((i = pn_graph_db_next(&node->db, &pos, &pn_graph_type_presence)) >= 0)
        if (get_presence(node, (uint32_t)i, p) && p->node_id == node_id)
            return 1;
    return 0;
}
