/* PNRP secure identities end to end: `peernet identity create`, then `peernet node`
 * processes on [::1] publishing a secure name, `peernet resolve` finding it, and the
 * name disappearing once its publisher is killed abruptly (SIGKILL: no revoke). */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "peernet/pnrp.h"
#include "peernet/pnrp_ssdp.h"
#include "peernet/x509.h"
#include "pn_test.h"

#define MAX_KIDS 8

/* Every child started, so a failing assertion still kills them (atexit in the forked
 * test process, and the parent-death signal on Linux). */
static pid_t g_kids[MAX_KIDS];
static int g_nkids;

static void kill_kids(void)
{
    int i, st;
    for (i = 0; i < g_nkids; i++)
        if (g_kids[i] > 0) {
            kill(g_kids[i], SIGKILL);
            waitpid(g_kids[i], &st, 0);
            g_kids[i] = 0;
        }
    g_nkids = 0;
}

static const char *tool_bin(void)
{
    const char *t = getenv("PN_TOOL");
    return t ? t : "build/peernet";
}

/* Run the tool through the shell; its stdout in out, its exit status returned. */
static int run(const char *args, char *out, size_t cap)
{
    char cmd[1024];
    FILE *p;
    size_t n;
    int rc;
    snprintf(cmd, sizeof cmd, "'%s' %s 2>/dev/null", tool_bin(), args);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void make_dir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/pn_e2e_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static int create_identity(const char *file, char auth[41])
{
    char args[512], out[256];
    int rc;
    snprintf(args, sizeof args, "identity create '%s'", file);
    rc = run(args, out, sizeof out);
    if (rc == 0) {
        ck_assert_uint_eq(strlen(out), 41);
        memcpy(auth, out, 40);
        auth[40] = '\0';
    }
    return rc;
}

static size_t read_all(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* Start `peernet ARGS...` (NULL-terminated), its stderr into errfile (or /dev/null);
 * 0 when it exited at once. */
static pid_t spawn_args(const char *const *args, const char *errfile)
{
    const char *argv[24];
    int n = 0, st;
    pid_t pid;
    argv[n++] = "peernet";
    while (*args != NULL && n < 23)
        argv[n++] = *args++;
    argv[n] = NULL;
    ck_assert_int_lt(g_nkids, MAX_KIDS);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        if (freopen(errfile != NULL ? errfile : "/dev/null", "w", stderr) == NULL)
            _exit(127);
        execv(tool_bin(), (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    g_kids[g_nkids++] = pid;
    usleep(400000);
    if (waitpid(pid, &st, WNOHANG) == pid) {
        g_kids[--g_nkids] = 0;
        return 0;
    }
    return pid;
}

/* Start `peernet node` on [::1]:port; 0 when the port was taken (the child exited). */
static pid_t spawn_node(int port, int seed_port, const char *identity, const char *name,
                        const char *cache)
{
    char bind[64], seed[64];
    const char *args[16];
    int n = 0;
    snprintf(bind, sizeof bind, "[::1]:%d", port);
    snprintf(seed, sizeof seed, "[::1]:%d", seed_port);
    args[n++] = "node";
    args[n++] = "--bind";
    args[n++] = bind;
    if (seed_port > 0) {
        args[n++] = "--seed";
        args[n++] = seed;
    }
    if (identity != NULL) {
        args[n++] = "--identity";
        args[n++] = identity;
    }
    args[n++] = "--register";
    args[n++] = name;
    args[n++] = "--cpa-lifetime";
    args[n++] = "2";
    if (cache != NULL) {
        args[n++] = "--cache";
        args[n++] = cache;
    }
    args[n] = NULL;
    return spawn_args(args, NULL); /* a node that cannot bind exits at once */
}

/* Try ports from a pid-derived base, moving on when one is taken. */
static pid_t spawn_any(int *port, int seed_port, const char *identity, const char *name,
                       const char *cache)
{
    static int next;
    int tries;
    if (next == 0)
        next = 30000 + (int)(getpid() % 25000);
    for (tries = 0; tries < 20; tries++) {
        pid_t pid;
        *port = next++;
        pid = spawn_node(*port, seed_port, identity, name, cache);
        if (pid > 0)
            return pid;
    }
    ck_abort_msg("no free UDP port on [::1]");
    return 0;
}

/* Signal one child, reap it and forget it. */
static void stop_kid(pid_t pid, int sig)
{
    int st, i;
    kill(pid, sig);
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    for (i = 0; i < g_nkids; i++)
        if (g_kids[i] == pid)
            g_kids[i] = 0;
    if (sig == SIGTERM || sig == SIGINT)
        ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

START_TEST(pnrp_e2e_identity_create_writes_openssl_readable_key_and_cert)
{
    char dir[128], file[192], path[256], auth[41], again[256], args[512];
    uint8_t key[2048], crt[2048];
    size_t klen, clen;
    pn_rsa_der_key dk;
    pn_pnrp_identity id;
    pn_x509 cert;
    PN_REQ("PNRP-1.3.1.1-03");
    make_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/me", dir);
    ck_assert_int_eq(create_identity(file, auth), 0);
    ck_assert_uint_eq(strspn(auth, "0123456789abcdef"), 40);
    /* FILE.key: PKCS#8 RSA-1024 whose authority is the one printed. */
    snprintf(path, sizeof path, "%s.key", file);
    klen = read_all(path, key, sizeof key);
    ck_assert_int_eq(pn_rsa_private_from_pkcs8(&dk, key, klen), PN_OK);
    ck_assert_int_eq(pn_pnrp_identity_init(&id, &dk.pub, &dk.priv), PN_OK);
    pn_pnrp_identity_authority_text(&id, again);
    ck_assert_str_eq(again, auth);
    /* FILE.crt: a self-signed certificate of that same key. */
    snprintf(path, sizeof path, "%s.crt", file);
    clen = read_all(path, crt, sizeof crt);
    ck_assert_int_eq(pn_x509_parse(&cert, crt, clen), PN_OK);
    ck_assert_uint_eq(cert.version, 3);
    ck_assert_uint_eq(cert.pub.n_len, dk.pub.n_len);
    ck_assert_mem_eq(cert.pub.n, dk.pub.n, dk.pub.n_len);
    ck_assert_int_eq(pn_x509_verify_signature(&cert, &dk.pub), PN_OK);
    /* `identity show` gives the same authority back. */
    snprintf(args, sizeof args, "identity show '%s'", file);
    ck_assert_int_eq(run(args, again, sizeof again), 0);
    ck_assert_uint_eq(strlen(again), 41);
    ck_assert_int_eq(memcmp(again, auth, 40), 0);
    /* openssl, when present, reads both files. */
    if (system("command -v openssl >/dev/null 2>&1") == 0) {
        char cmd[600];
        snprintf(cmd, sizeof cmd,
                 "openssl x509 -inform DER -in '%s.crt' -noout >/dev/null 2>&1 && "
                 "openssl pkey -inform DER -in '%s.key' -noout >/dev/null 2>&1",
                 file, file);
        ck_assert_int_eq(system(cmd), 0);
    }
    /* Usage errors exit 2; an unwritable place exits 1. */
    ck_assert_int_eq(run("identity", again, sizeof again), 2);
    ck_assert_int_eq(run("identity create /nonexistent-dir/x", again, sizeof again), 1);
    /* An existing identity is never overwritten. */
    snprintf(args, sizeof args, "identity create '%s'", file);
    ck_assert_int_eq(run(args, again, sizeof again), 1);
    snprintf(path, sizeof path, "%s.key", file);
    ck_assert_uint_eq(read_all(path, crt, sizeof crt), klen);
    ck_assert_mem_eq(crt, key, klen);
    remove_dir(dir);
}
END_TEST

START_TEST(pnrp_e2e_node_refuses_secure_name_of_another_identity)
{
    char dir[128], file[192], auth[41], args[600], out[256];
    PN_REQ("PNRP-1.3.1.1-02");
    make_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/me", dir);
    ck_assert_int_eq(create_identity(file, auth), 0);
    /* Another authority with this identity, and a secure name without any identity. */
    snprintf(args, sizeof args,
             "node --bind '[::1]:0' --identity '%s' --register "
             "0123456789abcdef0123456789abcdef01234567.web",
             file);
    ck_assert_int_eq(run(args, out, sizeof out), 2);
    snprintf(args, sizeof args, "node --bind '[::1]:0' --register %s.web", auth);
    ck_assert_int_eq(run(args, out, sizeof out), 2);
    ck_assert_int_eq(run("node --bind '[::1]:0' --cpa-lifetime 0", out, sizeof out), 2);
    snprintf(args, sizeof args, "node --bind '[::1]:0' --identity '%s/none' --register 0.x", dir);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    remove_dir(dir);
}
END_TEST

/* Unsecured names between three processes: found through any node with the publisher's
 * endpoint, an unknown name not found, and a clean exit (SIGINT) revokes the name. */
START_TEST(pnrp_processes_register_resolve_and_unregister)
{
    char args[256], out[512], want[64];
    int pa, pb, pc;
    pid_t a, b, c;
    atexit(kill_kids);
    a = spawn_any(&pa, 0, NULL, "0.alpha", NULL);
    b = spawn_any(&pb, pa, NULL, "0.beta", NULL);
    c = spawn_any(&pc, pa, NULL, "0.gamma", NULL);
    ck_assert(a > 0 && b > 0 && c > 0);
    usleep(1500000);
    snprintf(want, sizeof want, "[::1]:%d\n", pb);
    snprintf(args, sizeof args, "resolve 0.beta --seed '[::1]:%d' --timeout 4", pa);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
    snprintf(args, sizeof args, "resolve 0.alpha --seed '[::1]:%d' --timeout 4", pc);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    snprintf(want, sizeof want, "[::1]:%d\n", pa);
    ck_assert_str_eq(out, want);
    snprintf(args, sizeof args, "resolve 0.nobody --seed '[::1]:%d' --timeout 4", pa);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    ck_assert_str_eq(out, "not found\n");
    /* A clean exit sends revoke FLOODs, so the name is gone at once (well inside the
     * CPA lifetime). */
    stop_kid(b, SIGINT);
    snprintf(args, sizeof args, "resolve 0.beta --seed '[::1]:%d' --timeout 4", pa);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    kill_kids();
}
END_TEST

START_TEST(pnrp_e2e_secure_name_resolves_then_vanishes_after_publisher_killed)
{
    char dir[128], file[192], auth[41], name[64], args[512], out[512], want[64];
    int pa, pb, pc;
    pid_t a, b, c;
    PN_REQ("PNRP-1.3.1.1-02");
    atexit(kill_kids);
    make_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/me", dir);
    ck_assert_int_eq(create_identity(file, auth), 0);
    snprintf(name, sizeof name, "%s.web", auth);
    a = spawn_any(&pa, 0, NULL, "0.alpha", NULL);
    b = spawn_any(&pb, pa, file, name, NULL);
    c = spawn_any(&pc, pa, NULL, "0.gamma", NULL);
    ck_assert(a > 0 && b > 0 && c > 0);
    usleep(1500000);
    /* Found through either other node, with the publisher's endpoint. */
    snprintf(want, sizeof want, "[::1]:%d\n", pb);
    snprintf(args, sizeof args, "resolve %s --seed '[::1]:%d' --timeout 5", name, pa);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
    snprintf(args, sizeof args, "resolve %s --seed '[::1]:%d' --timeout 5", name, pc);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
    /* The publisher dies without revoking; after its 2 s CPA lifetime has passed the
     * name is gone (the engine keeps no CPA of another node, so nobody answers). */
    stop_kid(b, SIGKILL);
    usleep(2200000);
    snprintf(args, sizeof args, "resolve %s --seed '[::1]:%d' --timeout 6", name, pa);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    ck_assert_str_eq(out, "not found\n");
    /* The survivors still answer for their own names. */
    snprintf(args, sizeof args, "resolve 0.gamma --seed '[::1]:%d' --timeout 5", pa);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    snprintf(want, sizeof want, "[::1]:%d\n", pc);
    ck_assert_str_eq(out, want);
    kill_kids();
    remove_dir(dir);
}
END_TEST

/* `identity delegate` makes a key whose chain lets it publish the owner's names; a node
 * run with it publishes OWNER.printer, and a classifier the chain does not delegate
 * is refused by the resolver. */
START_TEST(pnrp_e2e_delegated_identity_publishes_owner_name)
{
    char dir[128], own[192], del[192], auth[41], name[64], args[512], out[512], want[64];
    int pa, pb, pc;
    pid_t a, b, c;
    PN_REQ("PNRP-1.3.2-02");
    atexit(kill_kids);
    make_dir(dir, sizeof dir);
    snprintf(own, sizeof own, "%s/own", dir);
    snprintf(del, sizeof del, "%s/del", dir);
    ck_assert_int_eq(create_identity(own, auth), 0);
    snprintf(args, sizeof args, "identity delegate '%s' '%s' --classifier printer", own, del);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    snprintf(want, sizeof want, "%s\n", auth); /* the delegate's names are the owner's */
    ck_assert_str_eq(out, want);
    snprintf(args, sizeof args, "identity show '%s'", del);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
    snprintf(name, sizeof name, "%s.printer", auth);
    a = spawn_any(&pa, 0, NULL, "0.alpha", NULL);
    b = spawn_any(&pb, pa, del, name, NULL);
    snprintf(name, sizeof name, "%s.scanner", auth);
    c = spawn_any(&pc, pa, del, name, NULL);
    ck_assert(a > 0 && b > 0 && c > 0);
    usleep(1500000);
    snprintf(want, sizeof want, "[::1]:%d\n", pb);
    snprintf(args, sizeof args, "resolve %s.printer --seed '[::1]:%d' --timeout 5", auth, pa);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
    snprintf(args, sizeof args, "resolve %s.scanner --seed '[::1]:%d' --timeout 4", auth, pa);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    ck_assert_str_eq(out, "not found\n");
    kill_kids();
    remove_dir(dir);
}
END_TEST

START_TEST(pnrp_e2e_cache_file_saved_at_exit_brings_seeds_back)
{
    char dir[128], cache[192], args[512], out[512], want[64];
    uint8_t buf[4096];
    size_t len, i, count;
    int pa, pb, found;
    pid_t a, b;
    FILE *f;
    PN_REQ("PNRP-3.1.4.2-01");
    atexit(kill_kids);
    make_dir(dir, sizeof dir);
    snprintf(cache, sizeof cache, "%s/b.cache", dir);
    a = spawn_any(&pa, 0, NULL, "0.alpha", NULL);
    ck_assert_int_gt(a, 0);
    /* B seeded by A, keeping its cache in a file; the cache is written at exit. */
    b = spawn_any(&pb, pa, NULL, "0.beta", cache);
    usleep(1500000);
    stop_kid(b, SIGTERM);
    /* The file: magic, count, then ID, address, port per entry; A is among them. */
    f = fopen(cache, "rb");
    ck_assert_ptr_nonnull(f);
    len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ck_assert_uint_ge(len, 12 + 50);
    ck_assert_int_eq(memcmp(buf, "PNRPCACHE1", 10), 0);
    count = (size_t)buf[10] << 8 | buf[11];
    ck_assert_uint_eq(len, 12 + count * 50);
    for (found = 0, i = 0; i < count; i++)
        if (((int)buf[12 + i * 50 + 48] << 8 | buf[12 + i * 50 + 49]) == pa)
            found = 1;
    ck_assert(found);
    /* Without seed nor cache, B knows nobody: 0.alpha cannot be found through it. */
    b = spawn_node(pb, 0, NULL, "0.beta", NULL);
    ck_assert_int_gt(b, 0);
    usleep(500000);
    snprintf(args, sizeof args, "resolve 0.alpha --seed '[::1]:%d' --timeout 4", pb);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    stop_kid(b, SIGKILL);
    /* Without seed but with the saved cache, B finds A again. */
    b = spawn_node(pb, 0, NULL, "0.beta", cache);
    ck_assert_int_gt(b, 0);
    usleep(2000000);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    snprintf(want, sizeof want, "[::1]:%d\n", pa);
    ck_assert_str_eq(out, want);
    stop_kid(b, SIGKILL);
    /* A file that is not a cache is ignored: the node still runs. */
    f = fopen(cache, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("garbage", f);
    fclose(f);
    b = spawn_node(pb, pa, NULL, "0.beta", cache);
    ck_assert_int_gt(b, 0);
    kill_kids();
    remove_dir(dir);
}
END_TEST

/* ---- several clouds and SSDP (decision PE-70) ----------------------------------------- */

/* An interface with a link-local address on which this system lets a socket join the
 * SSDP group and send multicast looped back to the host, its name in ifn; 0 when none
 * (qemu-user, for one, refuses the options: then the tests below say "not run").  Probed
 * without the library, so that a fault of peernet still fails. */
static int ssdp_interface(char ifn[IF_NAMESIZE])
{
    struct ifaddrs *ifs, *i;
    unsigned idx = 0;
    if (getifaddrs(&ifs) != 0)
        return 0;
    for (i = ifs; i != NULL && idx == 0; i = i->ifa_next)
        if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET6 &&
            (i->ifa_flags & IFF_MULTICAST) && (i->ifa_flags & IFF_UP) &&
            IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr) &&
            strlen(i->ifa_name) < IF_NAMESIZE) {
            idx = if_nametoindex(i->ifa_name);
            memcpy(ifn, i->ifa_name, strlen(i->ifa_name) + 1);
        }
    freeifaddrs(ifs);
    if (idx != 0) {
        struct ipv6_mreq mr;
        int one = 1, fd = socket(AF_INET6, SOCK_DGRAM, 0);
        memset(&mr, 0, sizeof mr);
        memcpy(&mr.ipv6mr_multiaddr, pn_pnrp_ssdp_group_link, 16);
        mr.ipv6mr_interface = idx;
        if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof mr) != 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof idx) != 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &one, sizeof one) != 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof one) != 0)
            idx = 0;
        if (fd >= 0)
            close(fd);
    }
    return idx != 0;
}

/* 1 when the file holds the text (waiting up to wait_ms for it to appear). */
static int file_has(const char *path, const char *text, int wait_ms)
{
    for (;;) {
        char buf[4096];
        FILE *f = fopen(path, "r");
        size_t n = 0;
        if (f != NULL) {
            n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
        }
        buf[n] = '\0';
        if (strstr(buf, text) != NULL)
            return 1;
        if (wait_ms <= 0)
            return 0;
        usleep(100000);
        wait_ms -= 100;
    }
}

/* A link-local endpoint printed with its zone ("[fe80::...%IFNAME]:PORT", the form
 * --seed reads): without the interface the address cannot be used. */
static void assert_link_ep(const char *out, const char *ifn)
{
    char zone[IF_NAMESIZE + 4];
    snprintf(zone, sizeof zone, "%%%s]:", ifn);
    ck_assert_ptr_nonnull(strstr(out, "[fe80:"));
    ck_assert_ptr_nonnull(strstr(out, zone));
}

/* Two nodes on a link-local cloud, no --seed anywhere: SSDP brings them together, and a
 * resolver with no seed finds both names through SSDP too. */
START_TEST(pnrp_e2e_link_local_nodes_find_each_other_by_ssdp)
{
    char ifn[IF_NAMESIZE], cloud[64], port[16], na[32], nb[32], args[512], out[512];
    char dir[128], ea[192], eb[192];
    const char *a_args[] = {"node",        "--cloud", cloud,       "--register", na,
                            "--ssdp-port", port,      "--verbose", NULL};
    const char *b_args[] = {"node",        "--cloud", cloud,       "--register", nb,
                            "--ssdp-port", port,      "--verbose", NULL};
    pid_t a, b;
    PN_REQ("PNRP-1.3.3.1-03");
    PN_REQ("PNRP-3.1.4.2.2-02");
    if (!ssdp_interface(ifn)) {
        fprintf(stderr, "pnrp_e2e_link_local_nodes_find_each_other_by_ssdp: no interface "
                        "that accepts the SSDP group, not run\n");
        return;
    }
    atexit(kill_kids);
    make_dir(dir, sizeof dir);
    snprintf(ea, sizeof ea, "%s/a.err", dir);
    snprintf(eb, sizeof eb, "%s/b.err", dir);
    snprintf(cloud, sizeof cloud, "link-local:%s", ifn);
    /* A private SSDP port and names per run: parallel runs stay apart. */
    snprintf(port, sizeof port, "%d", 20000 + (int)(getpid() % 9000));
    snprintf(na, sizeof na, "0.ssdpa%d", (int)getpid());
    snprintf(nb, sizeof nb, "0.ssdpb%d", (int)getpid());
    a = spawn_args(a_args, ea);
    ck_assert_int_gt(a, 0);
    ck_assert(file_has(ea, "SSDP search sent", 3000));
    b = spawn_args(b_args, eb);
    ck_assert_int_gt(b, 0);
    /* B's search is answered by A and B synchronises with A (B has no seed: SSDP is the
     * only way it can know A).  A may learn of B from B's advertisement or from B's
     * synchronisation, whichever comes first, so A's side is not asserted here. */
    ck_assert(file_has(eb, "synchronised with a node", 5000));
    ck_assert(!file_has(ea, "not available", 0));
    snprintf(args, sizeof args, "resolve %s --cloud %s --ssdp-port %s --timeout 5", na, cloud,
             port);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    assert_link_ep(out, ifn);
    snprintf(args, sizeof args, "resolve %s --cloud %s --ssdp-port %s --timeout 5", nb, cloud,
             port);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    assert_link_ep(out, ifn);
    snprintf(args, sizeof args, "resolve 0.nobody%d --cloud %s --ssdp-port %s --timeout 4",
             (int)getpid(), cloud, port);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    ck_assert_str_eq(out, "not found\n");
    stop_kid(a, SIGTERM);
    stop_kid(b, SIGTERM);
    kill_kids();
    remove_dir(dir);
}
END_TEST

/* One node in the global cloud on [::1] and a link-local cloud: a name registered in
 * both resolves in each, NAME@CLOUD only in its cloud. */
START_TEST(pnrp_e2e_node_in_two_clouds_resolves_names_in_each)
{
    char ifn[IF_NAMESIZE], cloud[64], port[16], bind[64], args[512], out[512], want[64];
    char n_all[32], n_glob[48], n_link[96];
    const char *c_args[] = {"node", "--bind",      bind,  "--cloud",    "global", "--cloud",
                            cloud,  "--register",  n_all, "--register", n_glob,   "--register",
                            n_link, "--ssdp-port", port,  NULL};
    pid_t c = 0;
    int p, tries;
    PN_REQ("PNRP-1.3.3-04");
    if (!ssdp_interface(ifn)) {
        fprintf(stderr, "pnrp_e2e_node_in_two_clouds_resolves_names_in_each: no interface "
                        "that accepts the SSDP group, not run\n");
        return;
    }
    atexit(kill_kids);
    snprintf(cloud, sizeof cloud, "link-local:%s", ifn);
    snprintf(port, sizeof port, "%d", 29000 + (int)(getpid() % 900));
    snprintf(n_all, sizeof n_all, "0.both%d", (int)getpid());
    snprintf(n_glob, sizeof n_glob, "0.glob%d@global", (int)getpid());
    snprintf(n_link, sizeof n_link, "0.link%d@%s", (int)getpid(), cloud);
    for (tries = 0, p = 40000 + (int)(getpid() % 20000); c == 0 && tries < 20; tries++) {
        snprintf(bind, sizeof bind, "[::1]:%d", ++p);
        c = spawn_args(c_args, NULL);
    }
    ck_assert_int_gt(c, 0);
    usleep(600000);
    snprintf(want, sizeof want, "[::1]:%d\n", p);
    /* Global cloud through the seed. */
    snprintf(args, sizeof args, "resolve 0.both%d --seed '[::1]:%d' --timeout 5", (int)getpid(), p);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
    snprintf(args, sizeof args, "resolve 0.glob%d --seed '[::1]:%d' --timeout 5", (int)getpid(), p);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
    snprintf(args, sizeof args, "resolve 0.link%d --seed '[::1]:%d' --timeout 4", (int)getpid(), p);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    /* Link-local cloud through SSDP, no seed. */
    snprintf(args, sizeof args, "resolve 0.both%d --cloud %s --ssdp-port %s --timeout 5",
             (int)getpid(), cloud, port);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    assert_link_ep(out, ifn);
    snprintf(args, sizeof args, "resolve 0.link%d --cloud %s --ssdp-port %s --timeout 5",
             (int)getpid(), cloud, port);
    ck_assert_int_eq(run(args, out, sizeof out), 0);
    assert_link_ep(out, ifn);
    snprintf(args, sizeof args, "resolve 0.glob%d --cloud %s --ssdp-port %s --timeout 4",
             (int)getpid(), cloud, port);
    ck_assert_int_eq(run(args, out, sizeof out), 1);
    ck_assert_str_eq(out, "not found\n");
    stop_kid(c, SIGTERM);
    kill_kids();
}
END_TEST

/* Option errors: exit 2 with nothing started. */
START_TEST(pnrp_e2e_cloud_options_rejected)
{
    char out[256];
    ck_assert_int_eq(run("node --cloud bogus --bind '[::1]:0'", out, sizeof out), 2);
    ck_assert_int_eq(run("node --cloud link-local:no-such-if0", out, sizeof out), 2);
    ck_assert_int_eq(run("node --cloud global --cloud global --bind '[::1]:0'", out, sizeof out),
                     2);
    ck_assert_int_eq(run("node --cloud global@5 --bind '[::1]:0'", out, sizeof out), 2);
    ck_assert_int_eq(run("node --bind '[::1]:0' --register 0.x@site:eth9", out, sizeof out), 2);
    ck_assert_int_eq(run("node --bind '[::1]:0' --seed '[fe80::1]:4000'", out, sizeof out), 2);
    ck_assert_int_eq(run("resolve 0.x", out, sizeof out), 2);
}
END_TEST

PN_SUITE(pnrp_e2e)
{
    Suite *s = suite_create("pnrp_e2e");
    TCase *tc = tcase_create("processes");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pnrp_e2e_identity_create_writes_openssl_readable_key_and_cert);
    tcase_add_test(tc, pnrp_e2e_node_refuses_secure_name_of_another_identity);
    tcase_add_test(tc, pnrp_processes_register_resolve_and_unregister);
    tcase_add_test(tc, pnrp_e2e_secure_name_resolves_then_vanishes_after_publisher_killed);
    tcase_add_test(tc, pnrp_e2e_cache_file_saved_at_exit_brings_seeds_back);
    tcase_add_test(tc, pnrp_e2e_delegated_identity_publishes_owner_name);
    tcase_add_test(tc, pnrp_e2e_link_local_nodes_find_each_other_by_ssdp);
    tcase_add_test(tc, pnrp_e2e_node_in_two_clouds_resolves_names_in_each);
    tcase_add_test(tc, pnrp_e2e_cloud_options_rejected);
    suite_add_tcase(s, tc);
    return s;
}
