/* `peernet node` and `peernet resolve`: the PNRP engine on real UDP sockets (posix).
 *
 * node     runs a publishing node in the foreground until SIGINT/SIGTERM, then
 *          unregisters its names (revoke FLOODs) and exits.
 * resolve  runs a resolve-only node: synchronises with a seed (or, in a link-local or
 *          site cloud, with what SSDP finds), resolves one name, prints every endpoint
 *          of the CPA found (one per line; a link-local one with its zone,
 *          "[fe80::...%IFNAME]:PORT", the form --seed reads) and exits 0, or prints
 *          "not found" and exits 1.
 * Both sign their CPAs with an RSA-1024 key made at start from the platform's random
 * source (unsecured names need a key too), unless `node --identity FILE` gives the key
 * of a secure identity (see identity.h); then AUTHORITY.classifier names can be
 * registered, AUTHORITY being that key's authority.  `--cpa-lifetime S` sets the Not
 * After of the CPAs signed (default 8 h; tests use a few seconds).
 *
 * Clouds (MS-PNRP 1.3.3; decision PE-70).  `--cloud SPEC` (repeatable) picks the clouds
 * a node takes part in, each with its own engine, socket and route cache, tied together
 * by pn_pnrp_multi:
 *   global                 the global cloud on the --bind address (the default)
 *   link-local:IFNAME      the link-local cloud of interface IFNAME, on its fe80::
 *                          address; SSDP discovery (group FF02::C) finds the others
 *   site:IFNAME            the site cloud, on a site-local or unique-local address of
 *                          IFNAME; SSDP on FF05::C
 * and `@PORT` after a link-local or site SPEC fixes its UDP port (default: any).
 * `--register NAME` goes into every cloud, `--register NAME@SPEC` into that one only;
 * a --seed goes to the cloud of its address's scope.  SSDP runs on a second socket of
 * the SSDP port (`--ssdp-port`, default 1900) joined to the group, and a third one
 * that sends the searches and gets the answers.
 *
 * `node --cache FILE` keeps the global cloud's Route Entry Cache across runs (the
 * LocalOOB discovery of MS-PNRP 3.1.4.2): the cache is written at exit and every
 * maintenance period through pn_platform.storage_replace (atomic), and at start the
 * saved endpoints become seed nodes, so the engine admits them again only after
 * synchronising with them.  FILE format: "PNRPCACHE1", a big-endian u16 count, then per
 * entry the 32-byte PNRP ID, the 16-byte IPv6 address and a big-endian u16 port. */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "identity.h"
#include "peernet/platform.h"
#include "peernet/pnrp.h"
#include "peernet/pnrp_cloud.h"
#include "peernet/pnrp_ssdp.h"
#include "peernet/posix.h"
#include "peernet/wire.h"

#define MAX_NAMES       PN_PNRP_LOCAL_MAX
#define MAX_CLOUDS      PN_PNRP_CLOUDS_MAX
#define CLOUD_NAME_MAX  (IF_NAMESIZE + 16)
#define CACHE_MAGIC     "PNRPCACHE1"
#define CACHE_MAGIC_LEN 10
#define CACHE_ENTRY_LEN 50
#define CACHE_FILE_MAX  (CACHE_MAGIC_LEN + 2 + PN_PNRP_DEFAULT_CACHE * CACHE_ENTRY_LEN)

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

struct run;

/* One cloud the process takes part in. */
struct cloud {
    struct run *run;
    char name[CLOUD_NAME_MAX]; /* "global", "link-local:eth0", "site:eth0" */
    uint8_t scope;
    uint32_t ifindex;   /* link-local and site clouds */
    uint16_t want_port; /* @PORT, 0: any */
    int sock;           /* the PNRP socket */
    int ssdp_grp;       /* the SSDP port, joined to the group (-1: no SSDP) */
    int ssdp_tx;        /* searches and answers go out here, answers come back here */
    pn_addr ssdp_tx_name;
    int index; /* in the multiplexer */
    pn_pnrp_node node;
    pn_pnrp_ssdp ssdp;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    /* Room for a whole AUTHORITY answer with a certificate chain (decision PE-54), and
     * reassembly for those that come in fragments. */
    uint8_t out[16384];
    pn_pnrp_reasm reasm;
    pn_pnrp_registration regs[MAX_NAMES]; /* the engine keeps a pointer to delegated ones */
    int handles[MAX_NAMES];
    int n_handles;
};

struct run {
    pn_posix px;
    pn_platform pf;
    pn_pnrp_multi multi;
    struct cloud clouds[MAX_CLOUDS];
    int n_clouds;
    uint16_t ssdp_port;
    pn_drbg drbg;
    pn_rsa_keybuf key;
    pn_pnrp_identity ident;
    pn_cli_identity *loaded; /* --identity: signs instead of the generated key */
    uint32_t cpa_lifetime_s; /* 0: the engine's default */
    const char *cache_name;  /* --cache: storage name in cache_dir, else NULL */
    char cache_dir[4096];
    int done, found, verbose;
};

static void ep_from_addr(pn_pnrp_endpoint *ep, const pn_addr *a)
{
    memcpy(ep->addr, a->ip, 16);
    ep->port = a->port;
}

/* An engine endpoint as a socket address: a link-local one gets the cloud's zone. */
static void addr_from_ep(pn_addr *a, const pn_pnrp_endpoint *ep, const struct cloud *c)
{
    memset(a, 0, sizeof *a);
    a->family = PN_AF_INET6;
    memcpy(a->ip, ep->addr, 16);
    a->port = ep->port;
    if (c->scope != PN_PNRP_SCOPE_GLOBAL && pn_pnrp_addr_scope(ep->addr) == PN_PNRP_SCOPE_LINK)
        a->scope_id = c->ifindex;
}

/* Room for "[v6%IFNAME]:port". */
#define SCOPED_STRLEN (PN_ADDR_STRLEN + IF_NAMESIZE + 1)

/* a as "[v6]:port", with the zone as "[v6%IFNAME]:port" when a has one (the form
 * --seed reads): a link-local address without its interface cannot be used. */
static int format_scoped(const pn_addr *a, char *out, size_t cap)
{
    char ifn[IF_NAMESIZE];
    char *close;
    size_t n, k;
    int len = pn_addr_format(a, out, cap);
    if (len < 0 || a->family != PN_AF_INET6 || a->scope_id == 0 ||
        if_indextoname(a->scope_id, ifn) == NULL || (close = strchr(out, ']')) == NULL)
        return len;
    k = strlen(ifn);
    n = (size_t)len;
    if (n + k + 2 > cap)
        return PN_ERR_BUFSIZE;
    memmove(close + k + 1, close, n + 1 - (size_t)(close - out));
    close[0] = '%';
    memcpy(close + 1, ifn, k);
    return (int)(n + k + 1);
}

static void print_ep(const struct cloud *c, const uint8_t ip[16], uint16_t port)
{
    pn_pnrp_endpoint ep;
    pn_addr a;
    char text[SCOPED_STRLEN];
    memcpy(ep.addr, ip, 16);
    ep.port = port;
    addr_from_ep(&a, &ep, c);
    if (format_scoped(&a, text, sizeof text) > 0)
        printf("%s\n", text);
}

static void on_event(void *ctx, const pn_pnrp_event *ev)
{
    struct cloud *c = (struct cloud *)ctx;
    struct run *r = c->run;
    size_t i;
    if (ev->type == PN_PNRP_EV_RESOLVED && ev->cpa != NULL) {
        for (i = 0; i < ev->cpa->addr_count; i++)
            print_ep(c, ev->cpa->addrs[i].addr, ev->cpa->addrs[i].port);
        for (i = 0; i < ev->cpa->app_count; i++)
            print_ep(c, ev->cpa->apps[i].addr, ev->cpa->apps[i].port);
        fflush(stdout);
        r->found = 1;
        r->done = 1;
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        r->done = 1;
    } else if (ev->type == PN_PNRP_EV_REGISTERED && r->verbose) {
        fprintf(stderr, "peernet node: %s: registration %d announced (%u hops)\n", c->name,
                ev->handle, ev->hops);
    } else if (ev->type == PN_PNRP_EV_SYNCED && r->verbose) {
        fprintf(stderr, "peernet node: %s: synchronised with a node\n", c->name);
    }
}

static void flush_out(struct run *r)
{
    uint8_t buf[PN_UDP_MAX];
    pn_pnrp_endpoint to;
    int n, k, ci;
    while ((n = pn_pnrp_multi_poll_output(&r->multi, buf, sizeof buf, &to, NULL, &ci)) > 0)
        for (k = 0; k < r->n_clouds; k++)
            if (r->clouds[k].index == ci) {
                pn_addr dst;
                addr_from_ep(&dst, &to, &r->clouds[k]);
                r->pf.udp_send(r->pf.ctx, r->clouds[k].sock, &dst, buf, (size_t)n);
            }
    for (k = 0; k < r->n_clouds; k++) {
        struct cloud *c = &r->clouds[k];
        if (c->ssdp_grp < 0)
            continue;
        while ((n = pn_pnrp_ssdp_poll_output(&c->ssdp, buf, sizeof buf, &to)) > 0) {
            pn_addr dst;
            addr_from_ep(&dst, &to, c);
            if (to.addr[0] == 0xff) { /* the group: on the cloud's interface and port */
                dst.scope_id = c->ifindex;
                dst.port = r->ssdp_port;
            }
            r->pf.udp_send(r->pf.ctx, c->ssdp_tx, &dst, buf, (size_t)n);
        }
    }
}

/* Datagrams on the SSDP sockets.  This process's own multicast comes back to it
 * (loopback to the host's members, which other processes need): recognised by the
 * address of the socket that sent it and ignored. */
static void ssdp_recv(struct run *r, struct cloud *c, int sock)
{
    uint8_t buf[PN_PNRP_SSDP_MAX + 1];
    pn_addr from;
    int n;
    while ((n = r->pf.udp_recv(r->pf.ctx, sock, &from, buf, sizeof buf)) != PN_ERR_WOULDBLOCK) {
        pn_pnrp_endpoint ep;
        if (n == PN_ERR_BUFSIZE)
            continue;
        if (n < 0)
            break;
        if (from.port == c->ssdp_tx_name.port && memcmp(from.ip, c->ssdp_tx_name.ip, 16) == 0)
            continue;
        /* A member of the group on another interface is not on this link. */
        if (from.scope_id != 0 && c->ifindex != 0 && from.scope_id != c->ifindex)
            continue;
        ep_from_addr(&ep, &from);
        pn_pnrp_ssdp_input(&c->ssdp, r->pf.now_ms(r->pf.ctx), &ep, buf, (size_t)n);
    }
}

static uint64_t next_deadline(struct run *r)
{
    uint64_t dl = pn_pnrp_multi_next_deadline(&r->multi);
    int k;
    for (k = 0; k < r->n_clouds; k++)
        if (r->clouds[k].ssdp_grp >= 0) {
            uint64_t s = pn_pnrp_ssdp_next_deadline(&r->clouds[k].ssdp);
            if (s < dl)
                dl = s;
        }
    return dl;
}

/* One turn of the loop: wait for a datagram or the engines' deadline, feed, tick. */
static void step(struct run *r, uint64_t cap_ms)
{
    uint8_t buf[PN_UDP_MAX + 1];
    uint64_t now = r->pf.now_ms(r->pf.ctx), dl = next_deadline(r);
    pn_addr from;
    int n, k;
    if (dl > now + cap_ms)
        dl = now + cap_ms;
    r->pf.wait(r->pf.ctx, dl);
    for (k = 0; k < r->n_clouds; k++) {
        struct cloud *c = &r->clouds[k];
        while ((n = r->pf.udp_recv(r->pf.ctx, c->sock, &from, buf, sizeof buf)) !=
               PN_ERR_WOULDBLOCK) {
            pn_pnrp_endpoint ep;
            if (n < 0)
                break;
            ep_from_addr(&ep, &from);
            pn_pnrp_multi_input(&r->multi, r->pf.now_ms(r->pf.ctx), &c->node.cfg.local[0], &ep, buf,
                                (size_t)n);
            flush_out(r);
        }
        if (c->ssdp_grp >= 0) {
            ssdp_recv(r, c, c->ssdp_grp);
            ssdp_recv(r, c, c->ssdp_tx);
        }
    }
    now = r->pf.now_ms(r->pf.ctx);
    pn_pnrp_multi_tick(&r->multi, now);
    for (k = 0; k < r->n_clouds; k++)
        if (r->clouds[k].ssdp_grp >= 0 && pn_pnrp_ssdp_next_deadline(&r->clouds[k].ssdp) <= now)
            pn_pnrp_ssdp_tick(&r->clouds[k].ssdp, now);
    flush_out(r);
}

static int key_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

/* Saved endpoints after the configured seeds, skipping duplicates and the node itself
 * (at most PN_PNRP_SEEDS_MAX in all).  A missing or malformed file is ignored. */
static int load_cache(struct run *r, pn_pnrp_node_config *cfg)
{
    static uint8_t buf[CACHE_FILE_MAX];
    int len = r->pf.storage_read(r->pf.ctx, r->cache_name, buf, sizeof buf), added = 0;
    size_t i, j, count;
    if (len < CACHE_MAGIC_LEN + 2 || memcmp(buf, CACHE_MAGIC, CACHE_MAGIC_LEN) != 0)
        return 0;
    count = pn_get_u16be(buf + CACHE_MAGIC_LEN);
    if ((size_t)len != CACHE_MAGIC_LEN + 2 + count * CACHE_ENTRY_LEN)
        return 0;
    for (i = 0; i < count && cfg->seed_count < PN_PNRP_SEEDS_MAX; i++) {
        const uint8_t *e = buf + CACHE_MAGIC_LEN + 2 + i * CACHE_ENTRY_LEN;
        pn_pnrp_endpoint ep;
        int dup = 0;
        memcpy(ep.addr, e + 32, 16);
        ep.port = pn_get_u16be(e + 48);
        if (ep.port == cfg->local[0].port && memcmp(ep.addr, cfg->local[0].addr, 16) == 0)
            continue;
        for (j = 0; j < cfg->seed_count; j++)
            if (cfg->seeds[j].port == ep.port && memcmp(cfg->seeds[j].addr, ep.addr, 16) == 0)
                dup = 1;
        if (!dup) {
            cfg->seeds[cfg->seed_count++] = ep;
            added++;
        }
    }
    return added;
}

static struct cloud *global_cloud(struct run *r)
{
    int k;
    for (k = 0; k < r->n_clouds; k++)
        if (r->clouds[k].scope == PN_PNRP_SCOPE_GLOBAL)
            return &r->clouds[k];
    return NULL;
}

/* Leaf-set entries first: they are the neighbours most worth finding again.  An empty
 * cache is not written, so a run that never synchronised keeps the previous file. */
static void save_cache(struct run *r)
{
    static uint8_t buf[CACHE_FILE_MAX];
    const pn_pnrp_cache *c;
    struct cloud *g = global_cloud(r);
    size_t i, n = 0, pass;
    int rc;
    if (r->cache_name == NULL || g == NULL)
        return;
    c = pn_pnrp_node_cache(&g->node);
    memcpy(buf, CACHE_MAGIC, CACHE_MAGIC_LEN);
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < c->cap && n < PN_PNRP_DEFAULT_CACHE; i++) {
            const pn_pnrp_cache_entry *e = &c->e[i];
            uint8_t *o = buf + CACHE_MAGIC_LEN + 2 + n * CACHE_ENTRY_LEN;
            if (!(e->flags & PN_PNRP_CE_USED) || ((e->flags & PN_PNRP_CE_LEAF) != 0) != (pass == 0))
                continue;
            memcpy(o, e->id.b, 32);
            memcpy(o + 32, e->addr, 16);
            pn_put_u16be(o + 48, e->port);
            n++;
        }
    if (n == 0)
        return;
    pn_put_u16be(buf + CACHE_MAGIC_LEN, (uint16_t)n);
    rc = r->pf.storage_replace(r->pf.ctx, r->cache_name, buf,
                               CACHE_MAGIC_LEN + 2 + n * CACHE_ENTRY_LEN);
    if (rc != PN_OK && r->verbose)
        fprintf(stderr, "peernet node: cannot save the cache: %s\n", pn_strerror(rc));
}

/* ---- clouds -------------------------------------------------------------------------- */
static const char usage_clouds[] =
    "--cloud SPEC (repeatable; default global):\n"
    "  global              the global cloud on the --bind address\n"
    "  link-local:IFNAME   the link-local cloud of interface IFNAME (its fe80:: address);\n"
    "                      other nodes are found by SSDP (FF02::C), no --seed needed\n"
    "  site:IFNAME         the site cloud of IFNAME (a site-local or fc00::/7 address;\n"
    "                      SSDP on FF05::C)\n"
    "  append @PORT to a link-local or site SPEC to fix its UDP port (default: any).\n"
    "--seed [ADDR]:PORT goes to the cloud of its address's scope (a link-local one may\n"
    "be written [fe80::1%IFNAME]:PORT).  --ssdp-port N: the SSDP port (default 1900).\n";

/* "global", "link-local:IFNAME[@PORT]" or "site:IFNAME[@PORT]" into c. */
static int parse_cloud(const char *spec, struct cloud *c)
{
    const char *at = strrchr(spec, '@'), *ifn;
    size_t len = at != NULL ? (size_t)(at - spec) : strlen(spec);
    uint64_t port = 0;
    memset(c, 0, sizeof *c);
    c->sock = c->ssdp_grp = c->ssdp_tx = -1;
    if (len >= sizeof c->name)
        return -1;
    memcpy(c->name, spec, len);
    c->name[len] = '\0';
    if (strcmp(c->name, "global") == 0) {
        c->scope = PN_PNRP_SCOPE_GLOBAL;
        return at == NULL ? 0 : -1; /* the global cloud is on --bind */
    }
    if (strncmp(c->name, "link-local:", 11) == 0) {
        c->scope = PN_PNRP_SCOPE_LINK;
        ifn = c->name + 11;
    } else if (strncmp(c->name, "site:", 5) == 0) {
        c->scope = PN_PNRP_SCOPE_SITE;
        ifn = c->name + 5;
    } else {
        return -1;
    }
    if (at != NULL && (pn_arg_u64(at + 1, 65535, &port) != 0 || port == 0))
        return -1;
    c->want_port = (uint16_t)port;
    c->ifindex = if_nametoindex(ifn);
    if (c->ifindex == 0) {
        fprintf(stderr, "peernet: --cloud %s: no interface %s\n", spec, ifn);
        return -2;
    }
    return 0;
}

static struct cloud *cloud_named(struct run *r, const char *name, size_t len)
{
    int k;
    for (k = 0; k < r->n_clouds; k++)
        if (strlen(r->clouds[k].name) == len && memcmp(r->clouds[k].name, name, len) == 0)
            return &r->clouds[k];
    return NULL;
}

/* The interface's first address of the cloud's scope. */
static int interface_addr(const struct cloud *c, pn_addr *out)
{
    struct ifaddrs *ifs, *i;
    char ifn[IF_NAMESIZE];
    int found = 0;
    if (if_indextoname(c->ifindex, ifn) == NULL || getifaddrs(&ifs) != 0)
        return -1;
    for (i = ifs; i != NULL && !found; i = i->ifa_next) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)i->ifa_addr;
        if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6 ||
            strcmp(i->ifa_name, ifn) != 0 || pn_pnrp_addr_scope(s6->sin6_addr.s6_addr) != c->scope)
            continue;
        memset(out, 0, sizeof *out);
        out->family = PN_AF_INET6;
        memcpy(out->ip, s6->sin6_addr.s6_addr, 16);
        out->port = c->want_port;
        if (c->scope == PN_PNRP_SCOPE_LINK)
            out->scope_id = c->ifindex;
        found = 1;
    }
    freeifaddrs(ifs);
    return found ? 0 : -1;
}

/* A seed: [ADDR]:PORT, or [ADDR%IFNAME]:PORT for a link-local address. */
static int parse_seed(const char *v, pn_addr *seed)
{
    char t[PN_ADDR_STRLEN + IF_NAMESIZE];
    char *pct, *close;
    if (v == NULL || strlen(v) >= sizeof t)
        return -1;
    memcpy(t, v, strlen(v) + 1);
    pct = strchr(t, '%');
    close = strchr(t, ']');
    if (pct != NULL) {
        char ifn[IF_NAMESIZE];
        size_t n;
        if (close == NULL || close < pct || (size_t)(close - pct - 1) >= sizeof ifn)
            return -1;
        n = (size_t)(close - pct - 1);
        memcpy(ifn, pct + 1, n);
        ifn[n] = '\0';
        memmove(pct, close, strlen(close) + 1);
        if (pn_addr_parse(seed, t) != PN_OK)
            return -1;
        seed->scope_id = if_nametoindex(ifn);
        if (seed->scope_id == 0)
            return -1;
    } else if (pn_addr_parse(seed, t) != PN_OK) {
        return -1;
    }
    return seed->family == PN_AF_INET6 && seed->port != 0 ? 0 : -1;
}

/* The cloud a seed belongs to: same scope (and interface, when the seed names one). */
static struct cloud *seed_cloud(struct run *r, const pn_addr *s)
{
    int k, scope = pn_pnrp_addr_scope(s->ip);
    for (k = 0; k < r->n_clouds; k++)
        if (r->clouds[k].scope == scope && (s->scope_id == 0 || scope == PN_PNRP_SCOPE_GLOBAL ||
                                            s->scope_id == r->clouds[k].ifindex))
            return &r->clouds[k];
    return NULL;
}

static int set_opt6(int fd, int opt, int v)
{
    return setsockopt(fd, IPPROTO_IPV6, opt, &v, sizeof v);
}

/* 3.1.4.2.2: a link-local or site cloud searches by SSDP when it opens. */
static void open_ssdp(struct run *r, struct cloud *c, const pn_addr *local)
{
    uint8_t usn[16];
    pn_addr tx;
    int fd;
    unsigned ifx = c->ifindex;
    c->ssdp_grp = pn_posix_udp_join(&r->px, r->ssdp_port,
                                    c->scope == PN_PNRP_SCOPE_SITE ? pn_pnrp_ssdp_group_site
                                                                   : pn_pnrp_ssdp_group_link,
                                    c->ifindex);
    tx = *local;
    tx.port = 0;
    if (c->ssdp_grp >= 0)
        c->ssdp_tx = r->pf.udp_open(r->pf.ctx, &tx);
    fd = c->ssdp_tx >= 0 ? pn_posix_fd(&r->px, c->ssdp_tx) : -1;
    if (c->ssdp_grp < 0 || fd < 0 ||
        setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifx, sizeof ifx) != 0 ||
        set_opt6(fd, IPV6_MULTICAST_LOOP, 1) != 0 || set_opt6(fd, IPV6_MULTICAST_HOPS, 1) != 0 ||
        r->pf.sock_name(r->pf.ctx, c->ssdp_tx, &c->ssdp_tx_name) != PN_OK) {
        fprintf(stderr,
                "peernet: %s: SSDP is not available here (%s); the cloud runs on its seeds "
                "only\n",
                c->name, pn_strerror(c->ssdp_grp < 0 ? c->ssdp_grp : PN_ERR_UNSUPPORTED));
        if (c->ssdp_grp >= 0)
            r->pf.sock_close(r->pf.ctx, c->ssdp_grp);
        if (c->ssdp_tx >= 0)
            r->pf.sock_close(r->pf.ctx, c->ssdp_tx);
        c->ssdp_grp = c->ssdp_tx = -1;
        return;
    }
    pn_drbg_generate(&r->drbg, usn, sizeof usn, NULL, 0);
    pn_pnrp_ssdp_init(&c->ssdp, &c->node, usn);
    pn_pnrp_ssdp_search(&c->ssdp);
    if (r->verbose)
        fprintf(stderr, "peernet node: %s: SSDP search sent\n", c->name);
}

/* Open the cloud's socket and start its engine in the multiplexer. */
static int start_cloud(struct run *r, struct cloud *c, const pn_addr *bind_addr,
                       const pn_addr *seeds, int n_seeds)
{
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    pn_addr where, local;
    char text[SCOPED_STRLEN];
    int i;
    c->run = r;
    if (c->scope == PN_PNRP_SCOPE_GLOBAL) {
        where = *bind_addr;
    } else if (interface_addr(c, &where) != 0) {
        fprintf(stderr, "peernet: %s: the interface has no %s IPv6 address\n", c->name,
                c->scope == PN_PNRP_SCOPE_LINK ? "link-local" : "site-local or unique-local");
        return -1;
    }
    c->sock = r->pf.udp_open(r->pf.ctx, &where);
    if (c->sock < 0 || r->pf.sock_name(r->pf.ctx, c->sock, &local) != PN_OK) {
        format_scoped(&where, text, sizeof text);
        fprintf(stderr, "peernet: %s: cannot bind %s: %s\n", c->name, text, pn_strerror(c->sock));
        return -1;
    }
    if (c->scope != PN_PNRP_SCOPE_GLOBAL)
        memcpy(local.ip, where.ip, 16); /* sock_name may not say which one */
    pn_pnrp_node_config_default(&cfg);
    cfg.scope = c->scope;
    if (r->cpa_lifetime_s != 0)
        cfg.cpa_lifetime_s = r->cpa_lifetime_s;
    ep_from_addr(&cfg.local[0], &local);
    cfg.local_count = 1;
    for (i = 0; i < n_seeds; i++)
        if (seed_cloud(r, &seeds[i]) == c && cfg.seed_count < PN_PNRP_SEEDS_MAX)
            ep_from_addr(&cfg.seeds[cfg.seed_count++], &seeds[i]);
    if (r->cache_name != NULL && c->scope == PN_PNRP_SCOPE_GLOBAL) {
        int added = load_cache(r, &cfg);
        if (r->verbose)
            fprintf(stderr, "peernet node: %d seed(s) from the saved cache\n", added);
    }
    pn_drbg_generate(&r->drbg, cfg.seed, sizeof cfg.seed, NULL, 0);
    cfg.wall_offset_ms = r->pf.wall_ms(r->pf.ctx) - (int64_t)r->pf.now_ms(r->pf.ctx);
    cfg.on_event = on_event;
    cfg.event_ctx = c;
    memset(&mem, 0, sizeof mem);
    mem.cache = c->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = c->out;
    mem.out_cap = sizeof c->out;
    pn_pnrp_reasm_init(&c->reasm, PN_PNRP_REASSEMBLY_TIMEOUT_MS);
    mem.reasm = &c->reasm;
    if (pn_pnrp_node_init(&c->node, &cfg, &mem, r->pf.now_ms(r->pf.ctx)) != PN_OK)
        return -1;
    c->index = pn_pnrp_multi_add(&r->multi, &c->node, c->scope, c->ifindex, c->name);
    if (c->index < 0) {
        fprintf(stderr, "peernet: %s: %s (one global cloud, clouds on distinct addresses)\n",
                c->name, pn_strerror(c->index));
        return -1;
    }
    if (r->verbose) {
        format_scoped(&local, text, sizeof text);
        fprintf(stderr, "peernet node: %s on %s\n", c->name, text);
    }
    if (c->scope != PN_PNRP_SCOPE_GLOBAL)
        open_ssdp(r, c, &local);
    return 0;
}

/* Every seed has its cloud: 0, or -1 with a message. */
static int check_seeds(struct run *r, const pn_addr *seeds, int n_seeds)
{
    int k;
    for (k = 0; k < n_seeds; k++)
        if (seed_cloud(r, &seeds[k]) == NULL) {
            char text[SCOPED_STRLEN];
            format_scoped(&seeds[k], text, sizeof text);
            fprintf(stderr, "peernet: no --cloud of the scope of seed %s\n", text);
            return -1;
        }
    return 0;
}

/* The platform, the key, then every cloud. */
static int start(struct run *r, const char *bind_text, const pn_addr *seeds, int n_seeds)
{
    pn_posix_config pcfg;
    pn_addr bind_addr;
    uint8_t ent[48];
    int k;
    memset(&bind_addr, 0, sizeof bind_addr);
    if (global_cloud(r) != NULL &&
        (bind_text == NULL || pn_addr_parse(&bind_addr, bind_text) != PN_OK ||
         bind_addr.family != PN_AF_INET6)) {
        fprintf(stderr, "peernet: the global cloud needs --bind [ADDR]:PORT (IPv6), got %s\n",
                bind_text != NULL ? bind_text : "none");
        return -1;
    }
    pn_posix_config_default(&pcfg);
    if (r->cache_name != NULL)
        pcfg.storage_dir = r->cache_dir;
    if (pn_posix_init(&r->px, &pcfg) != PN_OK) {
        fprintf(stderr, "peernet: cannot open the directory %s\n", r->cache_dir);
        return -1;
    }
    r->pf = pn_posix_platform(&r->px);
    if (r->pf.random(r->pf.ctx, ent, sizeof ent) != PN_OK ||
        pn_drbg_init(&r->drbg, ent, 32, ent + 32, 16, "peernet-node", 12) != PN_OK) {
        fprintf(stderr, "peernet: no random source\n");
        return -1;
    }
    if (r->loaded != NULL) {
        r->ident = r->loaded->ident;
    } else if (pn_rsa_generate(&r->key, 1024, key_rng, &r->drbg) != PN_OK ||
               pn_pnrp_identity_init(&r->ident, &r->key.pub, &r->key.priv) != PN_OK) {
        fprintf(stderr, "peernet: key generation failed\n");
        return -1;
    }
    pn_pnrp_multi_init(&r->multi);
    for (k = 0; k < r->n_clouds; k++)
        if (start_cloud(r, &r->clouds[k], &bind_addr, seeds, n_seeds) != 0)
            return -1;
    flush_out(r);
    return 0;
}

/* --cloud SPEC: one more cloud (each at most once). */
static int add_cloud_arg(struct run *r, const char *cmd, const char *v)
{
    struct cloud *c;
    int rc;
    if (r->n_clouds >= MAX_CLOUDS) {
        fprintf(stderr, "peernet %s: at most %d clouds\n", cmd, MAX_CLOUDS);
        return -1;
    }
    c = &r->clouds[r->n_clouds];
    rc = v == NULL ? -1 : parse_cloud(v, c);
    if (rc == -1)
        fprintf(stderr,
                "peernet %s: --cloud needs global, link-local:IFNAME[@PORT] or "
                "site:IFNAME[@PORT]\n",
                cmd);
    if (rc != 0)
        return -1;
    if (cloud_named(r, c->name, strlen(c->name)) != NULL) {
        fprintf(stderr, "peernet %s: cloud %s given twice\n", cmd, c->name);
        return -1;
    }
    r->n_clouds++;
    return 0;
}

static void default_cloud(struct run *r)
{
    if (r->n_clouds == 0)
        parse_cloud("global", &r->clouds[r->n_clouds++]);
}

static int parse_seeds(const char *v, pn_addr *seeds, int *n)
{
    if (*n >= PN_PNRP_SEEDS_MAX * MAX_CLOUDS || parse_seed(v, &seeds[*n]) != 0)
        return -1;
    (*n)++;
    return 0;
}

/* A secure name (not "0.classifier") must carry the identity's own authority
 * (MS-PNRP 3.2.4.1: the authority is the hash of the key that signs the CPAs). */
static int name_matches_identity(const char *name, const pn_pnrp_identity *id)
{
    char auth[41];
    size_t i;
    if (name[0] == '0' && name[1] == '.')
        return 1;
    if (id == NULL)
        return 0;
    pn_pnrp_identity_authority_text(id, auth);
    for (i = 0; i < 40; i++) {
        char c = name[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (c != auth[i])
            return 0;
    }
    return name[40] == '.';
}

/* --register NAME[@SPEC]: the name, and the cloud (NULL: every cloud). */
struct name_arg {
    char name[256]; /* longer names are refused by the engine */
    struct cloud *cloud;
};

static int split_name(struct run *r, const char *v, struct name_arg *out)
{
    const char *at = strrchr(v, '@');
    size_t len = at != NULL ? (size_t)(at - v) : strlen(v);
    if (len == 0 || len >= sizeof out->name) {
        fprintf(stderr, "peernet node: --register %s: bad name\n", v);
        return -1;
    }
    memcpy(out->name, v, len);
    out->name[len] = '\0';
    out->cloud = NULL;
    if (at != NULL && (out->cloud = cloud_named(r, at + 1, strlen(at + 1))) == NULL) {
        fprintf(stderr, "peernet node: --register %s: no --cloud %s\n", v, at + 1);
        return -1;
    }
    return 0;
}

static const char usage_node[] =
    "usage: peernet node [--cloud SPEC ...] [--bind [ADDR]:PORT] [--seed [ADDR]:PORT ...]\n"
    "                    [--identity FILE] [--register NAME[@SPEC] ...]\n"
    "                    [--cpa-lifetime S] [--cache FILE] [--ssdp-port N] [--verbose]\n"
    "NAME is 0.classifier (unsecured) or AUTHORITY.classifier (secure, needs\n"
    "--identity FILE made by `peernet identity create FILE`, which reads\n"
    "FILE.key, PKCS#8 DER, or by `peernet identity delegate AUTH FILE`:\n"
    "then FILE.chain proves the delegation and the names are AUTH's).\n"
    "--register NAME goes into every cloud, NAME@SPEC into that cloud only.\n"
    "--cpa-lifetime: seconds until the CPAs this\n"
    "node signs expire (default 28800); each CPA is signed when sent.\n"
    "--cache FILE: the global cloud's route cache is saved there at exit and every\n"
    "15 s, and its endpoints are extra seeds at the next start.\n";

int pn_cmd_node(int argc, char **argv)
{
    static struct run r;
    static pn_cli_identity loaded;
    static struct name_arg names[MAX_NAMES];
    pn_addr seeds[PN_PNRP_SEEDS_MAX * MAX_CLOUDS];
    const char *identity_file = NULL;
    const char *bind_text = NULL, *name_args[MAX_NAMES];
    int i, k, n_seeds = 0, n_names = 0;
    memset(&r, 0, sizeof r);
    r.ssdp_port = PN_PNRP_SSDP_PORT;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--bind") == 0 && v != NULL) {
            bind_text = v;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_seeds(v, seeds, &n_seeds) != 0) {
                fprintf(stderr,
                        "peernet node: --seed needs [ADDR]:PORT or [ADDR%%IFNAME]:PORT (at most "
                        "%d per cloud)\n",
                        PN_PNRP_SEEDS_MAX);
                return PN_EXIT_USAGE;
            }
        } else if (strcmp(a, "--cloud") == 0) {
            if (add_cloud_arg(&r, "node", v) != 0)
                return PN_EXIT_USAGE;
        } else if (strcmp(a, "--register") == 0 && v != NULL && n_names < MAX_NAMES) {
            name_args[n_names++] = v;
        } else if (strcmp(a, "--ssdp-port") == 0 && v != NULL) {
            uint64_t p;
            if (pn_arg_u64(v, 65535, &p) != 0 || p == 0) {
                fprintf(stderr, "peernet node: --ssdp-port needs 1..65535\n");
                return PN_EXIT_USAGE;
            }
            r.ssdp_port = (uint16_t)p;
        } else if (strcmp(a, "--cache") == 0 && v != NULL) {
            const char *slash = strrchr(v, '/');
            size_t dl = slash == NULL ? 1 : (size_t)(slash - v);
            if (slash == NULL)
                memcpy(r.cache_dir, ".", 2);
            else if (dl == 0)
                memcpy(r.cache_dir, "/", 2);
            else if (dl < sizeof r.cache_dir) {
                memcpy(r.cache_dir, v, dl);
                r.cache_dir[dl] = '\0';
            }
            r.cache_name = slash == NULL ? v : slash + 1;
            if (dl >= sizeof r.cache_dir || !pn_storage_name_valid(r.cache_name)) {
                fprintf(stderr, "peernet node: --cache FILE: the file name must be 1-64 of "
                                "A-Z a-z 0-9 . _ -\n");
                return PN_EXIT_USAGE;
            }
        } else if (strcmp(a, "--identity") == 0 && v != NULL) {
            identity_file = v;
        } else if (strcmp(a, "--cpa-lifetime") == 0 && v != NULL) {
            uint64_t s;
            if (pn_arg_u64(v, 30u * 86400u, &s) != 0 || s < 1) {
                fprintf(stderr, "peernet node: --cpa-lifetime needs 1..2592000 seconds\n");
                return PN_EXIT_USAGE;
            }
            r.cpa_lifetime_s = (uint32_t)s;
        } else if (strcmp(a, "--verbose") == 0) {
            r.verbose = 1;
            continue;
        } else {
            fprintf(stderr, "%s%s", usage_node, usage_clouds);
            return strcmp(a, "--help") == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
        }
        i++;
    }
    default_cloud(&r);
    if (check_seeds(&r, seeds, n_seeds) != 0)
        return PN_EXIT_USAGE;
    if (global_cloud(&r) != NULL && bind_text == NULL) {
        fprintf(stderr, "peernet node: --bind is required for the global cloud\n");
        return PN_EXIT_USAGE;
    }
    for (i = 0; i < n_names; i++)
        if (split_name(&r, name_args[i], &names[i]) != 0)
            return PN_EXIT_USAGE;
    if (identity_file != NULL) {
        if (pn_cli_identity_load(&loaded, identity_file) != 0)
            return PN_EXIT_FAIL;
        r.loaded = &loaded;
    }
    for (i = 0; i < n_names; i++)
        if (!name_matches_identity(names[i].name, r.loaded ? &loaded.ident : NULL)) {
            char auth[41];
            if (r.loaded != NULL) {
                pn_pnrp_identity_authority_text(&loaded.ident, auth);
                fprintf(stderr,
                        "peernet node: %s is not a name of identity %s (its secure names "
                        "are %s.classifier)\n",
                        names[i].name, identity_file, auth);
            } else {
                fprintf(stderr,
                        "peernet node: %s is a secure name: it needs the --identity "
                        "FILE whose authority it carries\n",
                        names[i].name);
            }
            return PN_EXIT_USAGE;
        }
    if (start(&r, bind_text, seeds, n_seeds) != 0)
        return PN_EXIT_FAIL;
    for (i = 0; i < n_names; i++)
        for (k = 0; k < r.n_clouds; k++) {
            struct cloud *c = &r.clouds[k];
            pn_pnrp_registration *reg = &c->regs[c->n_handles];
            int h;
            if (names[i].cloud != NULL && names[i].cloud != c)
                continue;
            memset(reg, 0, sizeof *reg);
            reg->name = names[i].name;
            reg->name_len = strlen(names[i].name);
            reg->identity = &r.ident;
            h = pn_pnrp_node_register(&c->node, r.pf.now_ms(r.pf.ctx), reg);
            if (h < 0) {
                fprintf(stderr, "peernet node: cannot register %s in %s: %s\n", names[i].name,
                        c->name, pn_strerror(h));
                return PN_EXIT_FAIL;
            }
            c->handles[c->n_handles++] = h;
        }
    flush_out(&r);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    fprintf(stderr, "peernet node: running\n");
    {
        uint64_t next_save = r.pf.now_ms(r.pf.ctx) + PN_PNRP_MAINTENANCE_MS;
        while (!g_stop) {
            step(&r, 500);
            if (r.pf.now_ms(r.pf.ctx) >= next_save) {
                save_cache(&r);
                next_save += PN_PNRP_MAINTENANCE_MS;
                /* A link cloud still alone searches again (decision PE-70). */
                for (k = 0; k < r.n_clouds; k++)
                    if (r.clouds[k].ssdp_grp >= 0 &&
                        pn_pnrp_node_cache(&r.clouds[k].node)->count == 0)
                        pn_pnrp_ssdp_search(&r.clouds[k].ssdp);
            }
        }
    }
    save_cache(&r);
    /* Unregister (revoke FLOODs to the leaf set, SSDP byebye), then let the ACKs arrive. */
    for (k = 0; k < r.n_clouds; k++)
        for (i = 0; i < r.clouds[k].n_handles; i++)
            pn_pnrp_node_unregister(&r.clouds[k].node, r.pf.now_ms(r.pf.ctx),
                                    r.clouds[k].handles[i]);
    flush_out(&r);
    {
        uint64_t until = r.pf.now_ms(r.pf.ctx) + 1500;
        while (r.pf.now_ms(r.pf.ctx) < until)
            step(&r, 100);
    }
    pn_posix_close(&r.px);
    return PN_EXIT_OK;
}

int pn_cmd_resolve(int argc, char **argv)
{
    static struct run r;
    pn_addr seeds[PN_PNRP_SEEDS_MAX * MAX_CLOUDS];
    const char *name = NULL, *bind_text = "[::]:0";
    int i, n_seeds = 0, started = 0, searched_again = 0;
    uint64_t timeout_ms = 10000, deadline, start_at;
    struct cloud *c;
    memset(&r, 0, sizeof r);
    r.ssdp_port = PN_PNRP_SSDP_PORT;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--seed") == 0) {
            if (parse_seeds(v, seeds, &n_seeds) != 0) {
                fprintf(stderr, "peernet resolve: --seed needs [ADDR]:PORT\n");
                return PN_EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--cloud") == 0) {
            if (r.n_clouds != 0) {
                fprintf(stderr, "peernet resolve: one --cloud\n");
                return PN_EXIT_USAGE;
            }
            if (add_cloud_arg(&r, "resolve", v) != 0)
                return PN_EXIT_USAGE;
            i++;
        } else if (strcmp(a, "--bind") == 0 && v != NULL) {
            bind_text = v;
            i++;
        } else if (strcmp(a, "--ssdp-port") == 0 && v != NULL) {
            uint64_t p;
            if (pn_arg_u64(v, 65535, &p) != 0 || p == 0) {
                fprintf(stderr, "peernet resolve: --ssdp-port needs 1..65535\n");
                return PN_EXIT_USAGE;
            }
            r.ssdp_port = (uint16_t)p;
            i++;
        } else if (strcmp(a, "--timeout") == 0 && v != NULL) {
            timeout_ms = (uint64_t)(atof(v) * 1000.0);
            i++;
        } else if (strcmp(a, "--verbose") == 0) {
            r.verbose = 1;
        } else if (a[0] != '-' && name == NULL) {
            name = a;
        } else {
            fprintf(stderr,
                    "usage: peernet resolve NAME [--cloud SPEC] [--seed [ADDR]:PORT ...]\n"
                    "                       [--timeout S] [--bind [ADDR]:PORT] [--ssdp-port N] "
                    "[--verbose]\n"
                    "The global cloud (the default) needs a --seed; a link-local or site\n"
                    "cloud finds its nodes by SSDP.\n%s",
                    usage_clouds);
            return strcmp(a, "--help") == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
        }
    }
    default_cloud(&r);
    if (check_seeds(&r, seeds, n_seeds) != 0)
        return PN_EXIT_USAGE;
    c = &r.clouds[0];
    if (name == NULL || (c->scope == PN_PNRP_SCOPE_GLOBAL && n_seeds == 0)) {
        fprintf(stderr, "peernet resolve: a NAME is required, and at least one --seed in the "
                        "global cloud\n");
        return PN_EXIT_USAGE;
    }
    if (start(&r, bind_text, seeds, n_seeds) != 0)
        return PN_EXIT_FAIL;
    start_at = r.pf.now_ms(r.pf.ctx);
    deadline = start_at + timeout_ms;
    while (!r.done && r.pf.now_ms(r.pf.ctx) < deadline) {
        uint64_t now;
        step(&r, 100);
        now = r.pf.now_ms(r.pf.ctx);
        /* An M-SEARCH nobody answered in a second goes out once more. */
        if (!searched_again && c->ssdp_grp >= 0 && now > start_at + 1000 &&
            pn_pnrp_node_cache(&c->node)->count == 0) {
            pn_pnrp_ssdp_search(&c->ssdp);
            searched_again = 1;
            flush_out(&r);
        }
        /* Resolve once the synchronisation brought the first cache entries (or after
         * two seconds whatever the cache holds). */
        if (!started && (pn_pnrp_node_cache(&c->node)->count > 0 || now > start_at + 2000)) {
            int h = pn_pnrp_node_resolve(&c->node, now, name, strlen(name),
                                         PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL);
            if (h < 0) {
                fprintf(stderr, "peernet resolve: %s: %s\n", name, pn_strerror(h));
                return PN_EXIT_USAGE;
            }
            started = 1;
            flush_out(&r);
        }
    }
    pn_posix_close(&r.px);
    if (!r.found) {
        printf("not found\n");
        return PN_EXIT_FAIL;
    }
    return PN_EXIT_OK;
}
