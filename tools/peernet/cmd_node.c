/* `peernet node` and `peernet resolve`: the PNRP engine on real UDP sockets (posix).
 *
 * node     runs a publishing node in the foreground until SIGINT/SIGTERM, then
 *          unregisters its names (revoke FLOODs) and exits.
 * resolve  runs a resolve-only node: synchronises with a seed, resolves one name,
 *          prints every endpoint of the CPA found (one per line) and exits 0, or
 *          prints "not found" and exits 1.
 * Both sign their CPAs with an RSA-1024 key made at start from the platform's random
 * source (unsecured names need a key too), unless `node --identity FILE` gives the key
 * of a secure identity (see identity.h); then AUTHORITY.classifier names can be
 * registered, AUTHORITY being that key's authority.  `--cpa-lifetime S` sets the Not
 * After of the CPAs signed (default 8 h; tests use a few seconds).
 *
 * `node --cache FILE` keeps the Route Entry Cache across runs (the LocalOOB discovery
 * of MS-PNRP 3.1.4.2): the cache is written at exit and every maintenance period
 * through pn_platform.storage_replace (atomic), and at start the saved endpoints
 * become seed nodes, so the engine admits them again only after synchronising with
 * them.  FILE format: "PNRPCACHE1", a big-endian u16 count, then per entry the
 * 32-byte PNRP ID, the 16-byte IPv6 address and a big-endian u16 port. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "identity.h"
#include "peernet/platform.h"
#include "peernet/pnrp.h"
#include "peernet/posix.h"
#include "peernet/wire.h"

#define MAX_NAMES       PN_PNRP_LOCAL_MAX
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

struct run {
    pn_posix px;
    pn_platform pf;
    int sock;
    pn_pnrp_node node;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    /* Room for a whole AUTHORITY answer with a certificate chain (decision PE-54), and
     * reassembly for those that come in fragments. */
    uint8_t out[16384];
    pn_pnrp_reasm reasm;
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

static void print_ep(const uint8_t ip[16], uint16_t port)
{
    pn_addr a;
    char text[PN_ADDR_STRLEN];
    memset(&a, 0, sizeof a);
    a.family = PN_AF_INET6;
    memcpy(a.ip, ip, 16);
    a.port = port;
    if (pn_addr_format(&a, text, sizeof text) > 0)
        printf("%s\n", text);
}

static void on_event(void *ctx, const pn_pnrp_event *ev)
{
    struct run *r = (struct run *)ctx;
    size_t i;
    if (ev->type == PN_PNRP_EV_RESOLVED && ev->cpa != NULL) {
        for (i = 0; i < ev->cpa->addr_count; i++)
            print_ep(ev->cpa->addrs[i].addr, ev->cpa->addrs[i].port);
        for (i = 0; i < ev->cpa->app_count; i++)
            print_ep(ev->cpa->apps[i].addr, ev->cpa->apps[i].port);
        fflush(stdout);
        r->found = 1;
        r->done = 1;
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        r->done = 1;
    } else if (ev->type == PN_PNRP_EV_REGISTERED && r->verbose) {
        fprintf(stderr, "peernet node: registration %d announced (%u hops)\n", ev->handle,
                ev->hops);
    } else if (ev->type == PN_PNRP_EV_SYNCED && r->verbose) {
        fprintf(stderr, "peernet node: synchronised with a seed\n");
    }
}

static void flush_out(struct run *r)
{
    uint8_t buf[PN_UDP_MAX];
    pn_pnrp_endpoint to;
    int n;
    while ((n = pn_pnrp_node_poll_output(&r->node, buf, sizeof buf, &to)) > 0) {
        pn_addr dst;
        memset(&dst, 0, sizeof dst);
        dst.family = PN_AF_INET6;
        memcpy(dst.ip, to.addr, 16);
        dst.port = to.port;
        r->pf.udp_send(r->pf.ctx, r->sock, &dst, buf, (size_t)n);
    }
}

/* One turn of the loop: wait for a datagram or the engine's deadline, feed, tick. */
static void step(struct run *r, uint64_t cap_ms)
{
    uint8_t buf[PN_UDP_MAX + 1];
    uint64_t now = r->pf.now_ms(r->pf.ctx), dl = pn_pnrp_node_next_deadline(&r->node);
    pn_addr from;
    int n;
    if (dl > now + cap_ms)
        dl = now + cap_ms;
    r->pf.wait(r->pf.ctx, dl);
    while ((n = r->pf.udp_recv(r->pf.ctx, r->sock, &from, buf, sizeof buf)) != PN_ERR_WOULDBLOCK) {
        pn_pnrp_endpoint ep;
        if (n < 0)
            break;
        ep_from_addr(&ep, &from);
        pn_pnrp_node_input(&r->node, r->pf.now_ms(r->pf.ctx), &ep, buf, (size_t)n);
        flush_out(r);
    }
    now = r->pf.now_ms(r->pf.ctx);
    if (pn_pnrp_node_next_deadline(&r->node) <= now)
        pn_pnrp_node_tick(&r->node, now);
    flush_out(r);
}

static int key_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

/* Open the socket, make the key, start the engine. */
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

/* Leaf-set entries first: they are the neighbours most worth finding again.  An empty
 * cache is not written, so a run that never synchronised keeps the previous file. */
static void save_cache(struct run *r)
{
    static uint8_t buf[CACHE_FILE_MAX];
    const pn_pnrp_cache *c;
    size_t i, n = 0, pass;
    int rc;
    if (r->cache_name == NULL)
        return;
    c = pn_pnrp_node_cache(&r->node);
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

static int start(struct run *r, const char *bind_text, const pn_addr *seeds, int n_seeds)
{
    pn_posix_config pcfg;
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    pn_addr bind_addr, local;
    uint8_t ent[48];
    int i;
    if (pn_addr_parse(&bind_addr, bind_text) != PN_OK || bind_addr.family != PN_AF_INET6) {
        fprintf(stderr, "peernet: --bind needs an IPv6 [ADDR]:PORT, got %s\n", bind_text);
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
    r->sock = r->pf.udp_open(r->pf.ctx, &bind_addr);
    if (r->sock < 0 || r->pf.sock_name(r->pf.ctx, r->sock, &local) != PN_OK) {
        fprintf(stderr, "peernet: cannot bind %s: %s\n", bind_text, pn_strerror(r->sock));
        return -1;
    }
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
    pn_pnrp_node_config_default(&cfg);
    if (r->cpa_lifetime_s != 0)
        cfg.cpa_lifetime_s = r->cpa_lifetime_s;
    ep_from_addr(&cfg.local[0], &local);
    cfg.local_count = 1;
    for (i = 0; i < n_seeds && i < PN_PNRP_SEEDS_MAX; i++)
        ep_from_addr(&cfg.seeds[i], &seeds[i]);
    cfg.seed_count = (uint8_t)i;
    if (r->cache_name != NULL) {
        int added = load_cache(r, &cfg);
        if (r->verbose)
            fprintf(stderr, "peernet node: %d seed(s) from the saved cache\n", added);
    }
    pn_drbg_generate(&r->drbg, cfg.seed, sizeof cfg.seed, NULL, 0);
    cfg.wall_offset_ms = r->pf.wall_ms(r->pf.ctx) - (int64_t)r->pf.now_ms(r->pf.ctx);
    cfg.on_event = on_event;
    cfg.event_ctx = r;
    memset(&mem, 0, sizeof mem);
    mem.cache = r->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = r->out;
    mem.out_cap = sizeof r->out;
    pn_pnrp_reasm_init(&r->reasm, PN_PNRP_REASSEMBLY_TIMEOUT_MS);
    mem.reasm = &r->reasm;
    if (pn_pnrp_node_init(&r->node, &cfg, &mem, r->pf.now_ms(r->pf.ctx)) != PN_OK)
        return -1;
    flush_out(r);
    return 0;
}

static int parse_seeds(const char *v, pn_addr *seeds, int *n)
{
    if (v == NULL || *n >= PN_PNRP_SEEDS_MAX || pn_addr_parse(&seeds[*n], v) != PN_OK ||
        seeds[*n].family != PN_AF_INET6 || seeds[*n].port == 0)
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

int pn_cmd_node(int argc, char **argv)
{
    static struct run r;
    static pn_cli_identity loaded;
    pn_addr seeds[PN_PNRP_SEEDS_MAX];
    const char *identity_file = NULL;
    const char *bind_text = NULL, *names[MAX_NAMES];
    int i, n_seeds = 0, n_names = 0, handles[MAX_NAMES];
    memset(&r, 0, sizeof r);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--bind") == 0 && v != NULL) {
            bind_text = v;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_seeds(v, seeds, &n_seeds) != 0) {
                fprintf(stderr, "peernet node: --seed needs [ADDR]:PORT (at most %d)\n",
                        PN_PNRP_SEEDS_MAX);
                return PN_EXIT_USAGE;
            }
        } else if (strcmp(a, "--register") == 0 && v != NULL && n_names < MAX_NAMES) {
            names[n_names++] = v;
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
            fprintf(stderr,
                    "usage: peernet node --bind [ADDR]:PORT [--seed [ADDR]:PORT ...]\n"
                    "                    [--identity FILE] [--register NAME ...]\n"
                    "                    [--cpa-lifetime S] [--cache FILE] [--verbose]\n"
                    "NAME is 0.classifier (unsecured) or AUTHORITY.classifier (secure, needs\n"
                    "--identity FILE made by `peernet identity create FILE`, which reads\n"
                    "FILE.key, PKCS#8 DER, or by `peernet identity delegate AUTH FILE`:\n"
                    "then FILE.chain proves the delegation and the names are AUTH's).\n"
                    "--cpa-lifetime: seconds until the CPAs this\n"
                    "node signs expire (default 28800); each CPA is signed when sent.\n"
                    "--cache FILE: the route cache is saved there at exit and every 15 s,\n"
                    "and its endpoints are extra seeds at the next start.\n");
            return strcmp(a, "--help") == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
        }
        i++;
    }
    if (bind_text == NULL) {
        fprintf(stderr, "peernet node: --bind is required\n");
        return PN_EXIT_USAGE;
    }
    if (identity_file != NULL) {
        if (pn_cli_identity_load(&loaded, identity_file) != 0)
            return PN_EXIT_FAIL;
        r.loaded = &loaded;
    }
    for (i = 0; i < n_names; i++)
        if (!name_matches_identity(names[i], r.loaded ? &loaded.ident : NULL)) {
            char auth[41];
            if (r.loaded != NULL) {
                pn_pnrp_identity_authority_text(&loaded.ident, auth);
                fprintf(stderr,
                        "peernet node: %s is not a name of identity %s (its secure names "
                        "are %s.classifier)\n",
                        names[i], identity_file, auth);
            } else {
                fprintf(stderr,
                        "peernet node: %s is a secure name: it needs the --identity "
                        "FILE whose authority it carries\n",
                        names[i]);
            }
            return PN_EXIT_USAGE;
        }
    if (start(&r, bind_text, seeds, n_seeds) != 0)
        return PN_EXIT_FAIL;
    for (i = 0; i < n_names; i++) {
        /* The engine keeps a pointer to the registration of a delegated name. */
        static pn_pnrp_registration regs[MAX_NAMES];
        pn_pnrp_registration *reg = &regs[i];
        memset(reg, 0, sizeof *reg);
        reg->name = names[i];
        reg->name_len = strlen(names[i]);
        reg->identity = &r.ident;
        handles[i] = pn_pnrp_node_register(&r.node, r.pf.now_ms(r.pf.ctx), reg);
        if (handles[i] < 0) {
            fprintf(stderr, "peernet node: cannot register %s: %s\n", names[i],
                    pn_strerror(handles[i]));
            return PN_EXIT_FAIL;
        }
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
            }
        }
    }
    save_cache(&r);
    /* Unregister (revoke FLOODs to the leaf set), then let their ACKs arrive. */
    for (i = 0; i < n_names; i++)
        pn_pnrp_node_unregister(&r.node, r.pf.now_ms(r.pf.ctx), handles[i]);
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
    pn_addr seeds[PN_PNRP_SEEDS_MAX];
    const char *name = NULL, *bind_text = "[::]:0";
    int i, n_seeds = 0, started = 0;
    uint64_t timeout_ms = 10000, deadline, start_at;
    memset(&r, 0, sizeof r);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--seed") == 0) {
            if (parse_seeds(v, seeds, &n_seeds) != 0) {
                fprintf(stderr, "peernet resolve: --seed needs [ADDR]:PORT\n");
                return PN_EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--bind") == 0 && v != NULL) {
            bind_text = v;
            i++;
        } else if (strcmp(a, "--timeout") == 0 && v != NULL) {
            timeout_ms = (uint64_t)(atof(v) * 1000.0);
            i++;
        } else if (a[0] != '-' && name == NULL) {
            name = a;
        } else {
            fprintf(stderr, "usage: peernet resolve NAME --seed [ADDR]:PORT [--timeout S] "
                            "[--bind [ADDR]:PORT]\n");
            return strcmp(a, "--help") == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
        }
    }
    if (name == NULL || n_seeds == 0) {
        fprintf(stderr, "peernet resolve: a NAME and at least one --seed are required\n");
        return PN_EXIT_USAGE;
    }
    if (start(&r, bind_text, seeds, n_seeds) != 0)
        return PN_EXIT_FAIL;
    start_at = r.pf.now_ms(r.pf.ctx);
    deadline = start_at + timeout_ms;
    while (!r.done && r.pf.now_ms(r.pf.ctx) < deadline) {
        step(&r, 100);
        /* Resolve once the synchronisation brought the first cache entries (or after
         * two seconds whatever the cache holds). */
        if (!started &&
            (pn_pnrp_node_cache(&r.node)->count > 0 || r.pf.now_ms(r.pf.ctx) > start_at + 2000)) {
            int h = pn_pnrp_node_resolve(&r.node, r.pf.now_ms(r.pf.ctx), name, strlen(name),
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
