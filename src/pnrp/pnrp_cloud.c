/* Several clouds per node (MS-PNRP 1.3.3, 3.1.1; decision PE-56): one engine per cloud
 * and a multiplexer that routes datagrams by the local endpoint they arrived on. */
#include "peernet/pnrp_cloud.h"
#include "wire/pn_mem.h"

int pn_pnrp_addr_scope(const uint8_t a[16])
{
    if (a[0] == 0xff) { /* multicast: its scope field (RFC 4291 2.7) */
        unsigned s = a[1] & 0x0fu;
        return s <= 2 ? PN_PNRP_SCOPE_LINK : s <= 5 ? PN_PNRP_SCOPE_SITE : PN_PNRP_SCOPE_GLOBAL;
    }
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return PN_PNRP_SCOPE_LINK;
    if ((a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) || (a[0] & 0xfe) == 0xfc)
        return PN_PNRP_SCOPE_SITE;
    return PN_PNRP_SCOPE_GLOBAL;
}

void pn_pnrp_multi_init(pn_pnrp_multi *m)
{
    memset(m, 0, sizeof *m);
}

static int owns(const pn_pnrp_node *n, const pn_pnrp_endpoint *ep)
{
    size_t i;
    for (i = 0; i < n->cfg.local_count; i++)
        if (n->cfg.local[i].port == ep->port && memcmp(n->cfg.local[i].addr, ep->addr, 16) == 0)
            return 1;
    return 0;
}

static int lookup(const pn_pnrp_multi *m, const char *name, size_t len, int any);

static size_t text_len(const char *s)
{
    size_t n = 0;
    while (s[n] != 0 && n < 256)
        n++;
    return n;
}

int pn_pnrp_multi_add(pn_pnrp_multi *m, pn_pnrp_node *node, uint8_t scope, uint32_t zone,
                      const char *name)
{
    size_t i, k, slot = PN_PNRP_CLOUDS_MAX;
    if (m == NULL || node == NULL || scope < PN_PNRP_SCOPE_GLOBAL || scope > PN_PNRP_SCOPE_LINK ||
        node->cfg.scope != scope)
        return PN_ERR_ARG;
    /* A cloud already in the table is opened again with pn_pnrp_multi_open. */
    if (name != NULL && lookup(m, name, text_len(name), 1) >= 0)
        return PN_ERR_ARG;
    for (i = 0; i < PN_PNRP_CLOUDS_MAX; i++) {
        const pn_pnrp_cloud *c = &m->clouds[i];
        if (!m->used[i]) {
            if (slot == PN_PNRP_CLOUDS_MAX)
                slot = i;
            continue;
        }
        /* 1.6: one global cloud; no address/port pair in two clouds. */
        if (c->node == node || (scope == PN_PNRP_SCOPE_GLOBAL && c->scope == scope))
            return PN_ERR_ARG;
        for (k = 0; k < node->cfg.local_count; k++)
            if (owns(c->node, &node->cfg.local[k]))
                return PN_ERR_ARG;
    }
    if (slot == PN_PNRP_CLOUDS_MAX)
        return PN_ERR_NOMEM;
    m->clouds[slot].node = node;
    m->clouds[slot].scope = scope;
    m->clouds[slot].zone = zone;
    m->clouds[slot].name = name;
    m->used[slot] = 1;
    m->open_count[slot] = 1;
    m->cleanup_at[slot] = 0;
    return (int)slot;
}

static int lookup(const pn_pnrp_multi *m, const char *name, size_t len, int any)
{
    size_t i, k;
    for (i = 0; i < PN_PNRP_CLOUDS_MAX; i++) {
        const char *s = m->clouds[i].name;
        if (!m->used[i] || (!any && m->open_count[i] == 0) || s == NULL)
            continue;
        for (k = 0; k < len && s[k] == name[k] && s[k] != 0; k++)
            ;
        if (k == len && s[k] == 0)
            return (int)i;
    }
    return PN_ERR_NOTFOUND;
}

int pn_pnrp_multi_find(const pn_pnrp_multi *m, const char *name, size_t len)
{
    return lookup(m, name, len, 0);
}

int pn_pnrp_multi_open(pn_pnrp_multi *m, const char *name, size_t len)
{
    int i = lookup(m, name, len, 1);
    if (i < 0)
        return i;
    /* 3.1.4.1: the cloud exists, count one more opener (decision PE-57: one that waits
     * for its cleanup is taken back as it is). */
    if (m->open_count[i] == UINT16_MAX)
        return PN_ERR_NOMEM;
    m->open_count[i]++;
    m->cleanup_at[i] = 0;
    return i;
}

void pn_pnrp_multi_input(pn_pnrp_multi *m, uint64_t now, const pn_pnrp_endpoint *local,
                         const pn_pnrp_endpoint *from, const uint8_t *buf, size_t len)
{
    size_t i;
    for (i = 0; i < PN_PNRP_CLOUDS_MAX; i++)
        if (m->used[i] && owns(m->clouds[i].node, local)) {
            /* A peer of a link-local cloud talks from a link-local address, etc. */
            if (pn_pnrp_addr_scope(from->addr) != m->clouds[i].scope) {
                m->drop_scope++;
                return;
            }
            pn_pnrp_node_input(m->clouds[i].node, now, from, buf, len);
            return;
        }
    m->drop_no_cloud++;
}

/* 3.1.6.1: when the Cloud Cleanup Timer expires, all state of the cloud goes. */
static void reap(pn_pnrp_multi *m, size_t i, uint64_t now)
{
    if (m->open_count[i] != 0 || m->cleanup_at[i] == 0 || now < m->cleanup_at[i])
        return;
    m->used[i] = 0;
    m->cleanup_at[i] = 0;
    memset(&m->clouds[i], 0, sizeof m->clouds[i]);
}

int pn_pnrp_multi_poll_output(pn_pnrp_multi *m, uint8_t *buf, size_t cap, pn_pnrp_endpoint *to,
                              pn_pnrp_endpoint *from_local, int *cloud)
{
    size_t k;
    for (k = 0; k < PN_PNRP_CLOUDS_MAX; k++) {
        size_t i = (m->next_out + k) % PN_PNRP_CLOUDS_MAX;
        int len;
        if (!m->used[i])
            continue;
        len = pn_pnrp_node_poll_output(m->clouds[i].node, buf, cap, to);
        if (len == 0)
            continue;
        if (len > 0) {
            /* The engine sends from its first local endpoint (decision PE-3). */
            if (from_local != NULL)
                *from_local = m->clouds[i].node->cfg.local[0];
            if (cloud != NULL)
                *cloud = (int)i;
            m->next_out = (i + 1) % PN_PNRP_CLOUDS_MAX;
        }
        return len;
    }
    return 0;
}

uint64_t pn_pnrp_multi_next_deadline(const pn_pnrp_multi *m)
{
    uint64_t d = UINT64_MAX;
    size_t i;
    for (i = 0; i < PN_PNRP_CLOUDS_MAX; i++)
        if (m->used[i]) {
            uint64_t t = pn_pnrp_node_next_deadline(m->clouds[i].node);
            if (t < d)
                d = t;
            if (m->cleanup_at[i] != 0 && m->cleanup_at[i] < d)
                d = m->cleanup_at[i];
        }
    return d;
}

void pn_pnrp_multi_tick(pn_pnrp_multi *m, uint64_t now)
{
    size_t i;
    for (i = 0; i < PN_PNRP_CLOUDS_MAX; i++) {
        if (m->used[i] && pn_pnrp_node_next_deadline(m->clouds[i].node) <= now)
            pn_pnrp_node_tick(m->clouds[i].node, now);
        if (m->used[i])
            reap(m, i, now);
    }
}

pn_pnrp_node *pn_pnrp_multi_node(pn_pnrp_multi *m, int cloud)
{
    if (m == NULL || cloud < 0 || cloud >= PN_PNRP_CLOUDS_MAX || !m->used[cloud] ||
        m->open_count[cloud] == 0)
        return NULL;
    return m->clouds[cloud].node;
}

int pn_pnrp_multi_close(pn_pnrp_multi *m, int cloud, uint64_t now)
{
    pn_pnrp_node *n = pn_pnrp_multi_node(m, cloud);
    int h, count = 0;
    if (n == NULL)
        return PN_ERR_NOTFOUND;
    if (--m->open_count[cloud] != 0)
        return 0;
    /* 1.3.3.4: leaving unregisters every name (3.2.4.2); the engine goes on serving the
     * cloud (the revoke FLOODs, other nodes' lookups) until the cleanup (PE-57). */
    for (h = 0; h < PN_PNRP_LOCAL_MAX; h++)
        if (pn_pnrp_node_unregister(n, now, h) == PN_OK)
            count++;
    m->cleanup_at[cloud] = now + PN_PNRP_CLOUD_CLEANUP_MS;
    if (m->cleanup_at[cloud] == 0)
        m->cleanup_at[cloud] = 1;
    return count;
}
