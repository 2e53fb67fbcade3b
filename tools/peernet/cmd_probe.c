/* `peernet probe`: UDP reachability and round-trip time over the POSIX platform.
 *
 *   peernet probe echo --bind ADDR:PORT [--count N] [--idle MS]
 *   peernet probe udp ADDR:PORT [--count N] [--timeout MS] [--size BYTES]
 *
 * `echo` sends every datagram back to its sender; `udp` sends numbered probes to an echo
 * and prints each round trip.  Both run on pn_platform calls only, so they exercise
 * src/platform/posix on real sockets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "peernet/posix.h"
#include "peernet/wire.h"

/* A probe: magic, sequence number, a per-run token (so replies to another run are not
 * counted), then zero padding up to --size. */
#define PROBE_MAGIC     "PNPROBE1"
#define PROBE_MAGIC_LEN 8
#define PROBE_HDR_LEN   (PROBE_MAGIC_LEN + 8)

static void probe_usage(FILE *out)
{
    fprintf(out,
            "usage: peernet probe echo --bind ADDR:PORT [--count N] [--idle MS]\n"
            "       peernet probe udp ADDR:PORT [--count N] [--timeout MS] [--size BYTES]\n"
            "\n"
            "echo  answer every UDP datagram with a copy; prints the bound address\n"
            "      first. --count: exit 0 after N echoes; --idle: exit 1 after MS\n"
            "      without traffic (default: run until killed).\n"
            "udp   send N probes (default 4) to an echo, one at a time, and print their\n"
            "      round-trip times; --timeout per probe (default 1000 ms); --size\n"
            "      datagram bytes (default 32, %d..%d).\n"
            "Exit: 0 success, 1 no answer / idle timeout / network error, 2 usage.\n",
            PROBE_HDR_LEN, PN_UDP_MAX);
}

/* Strict decimal in [lo, hi]; -1 when not. */
static long parse_num(const char *s, long lo, long hi)
{
    char *end;
    long v;
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return -1;
    return v;
}

static int fail(const char *what, int err)
{
    fprintf(stderr, "peernet probe: %s: %s\n", what, pn_strerror(err));
    return PN_EXIT_FAIL;
}

static int run_echo(const pn_platform *p, const pn_addr *bind, long count, long idle_ms)
{
    static uint8_t buf[PN_UDP_MAX];
    char text[PN_ADDR_STRLEN];
    pn_addr local, from;
    long echoed = 0;
    uint64_t last = p->now_ms(p->ctx);
    int h = p->udp_open(p->ctx, bind);
    if (h < 0)
        return fail("bind", h);
    p->sock_name(p->ctx, h, &local);
    pn_addr_format(&local, text, sizeof text);
    printf("probe echo: listening on %s\n", text);
    fflush(stdout);
    for (;;) {
        int n;
        uint64_t deadline = idle_ms > 0 ? last + (uint64_t)idle_ms : UINT64_MAX;
        int r = p->wait(p->ctx, deadline);
        if (r < 0)
            return fail("wait", r);
        while ((n = p->udp_recv(p->ctx, h, &from, buf, sizeof buf)) != PN_ERR_WOULDBLOCK) {
            if (n == PN_ERR_BUFSIZE)
                continue; /* larger than any probe: dropped */
            if (n < 0)
                return fail("receive", n);
            last = p->now_ms(p->ctx);
            r = p->udp_send(p->ctx, h, &from, buf, (size_t)n);
            pn_addr_format(&from, text, sizeof text);
            if (r < 0) {
                fprintf(stderr, "probe echo: reply to %s: %s\n", text, pn_strerror(r));
                continue;
            }
            printf("probe echo: %d bytes from %s\n", n, text);
            fflush(stdout);
            if (count > 0 && ++echoed >= count)
                return PN_EXIT_OK;
        }
        if (idle_ms > 0 && p->now_ms(p->ctx) >= last + (uint64_t)idle_ms) {
            fprintf(stderr, "probe echo: no datagram for %ld ms\n", idle_ms);
            return PN_EXIT_FAIL;
        }
    }
}

/* Wait for the echo of probe seq until deadline: its RTT in ms, or -1. */
static double await_reply(const pn_platform *p, int h, const uint8_t *probe, size_t len, double t0,
                          uint64_t deadline)
{
    static uint8_t buf[PN_UDP_MAX];
    pn_addr from;
    char text[PN_ADDR_STRLEN];
    for (;;) {
        int n = p->udp_recv(p->ctx, h, &from, buf, sizeof buf);
        if (n == PN_ERR_WOULDBLOCK || n == PN_ERR_BUFSIZE) {
            if (p->now_ms(p->ctx) >= deadline)
                return -1;
            if (p->wait(p->ctx, deadline) < 0)
                return -1;
            continue;
        }
        if (n < 0)
            return -1;
        /* Late answers to earlier probes and strangers' datagrams are not this reply. */
        if ((size_t)n != len || memcmp(buf, probe, len) != 0)
            continue;
        pn_addr_format(&from, text, sizeof text);
        {
            double rtt = (pn_bench_now() - t0) * 1000.0;
            printf("reply from %s: seq=%lu bytes=%d rtt=%.3f ms\n", text,
                   (unsigned long)pn_get_u32be(probe + PROBE_MAGIC_LEN), n, rtt);
            return rtt;
        }
    }
}

static int run_udp(const pn_platform *p, const pn_addr *to, long count, long timeout_ms, long size)
{
    static uint8_t probe[PN_UDP_MAX];
    pn_addr any;
    long seq, got = 0;
    double min = 0, max = 0, sum = 0;
    char text[PN_ADDR_STRLEN];
    int h, r;
    memset(&any, 0, sizeof any);
    any.family = to->family; /* the unspecified address of the target's family */
    h = p->udp_open(p->ctx, &any);
    if (h < 0)
        return fail("open", h);
    memset(probe, 0, sizeof probe);
    memcpy(probe, PROBE_MAGIC, PROBE_MAGIC_LEN);
    r = p->random(p->ctx, probe + PROBE_MAGIC_LEN + 4, 4);
    if (r < 0)
        return fail("random", r);
    pn_addr_format(to, text, sizeof text);
    for (seq = 0; seq < count; seq++) {
        double t0, rtt;
        pn_put_u32be(probe + PROBE_MAGIC_LEN, (uint32_t)seq);
        t0 = pn_bench_now();
        r = p->udp_send(p->ctx, h, to, probe, (size_t)size);
        if (r < 0) {
            printf("seq=%ld: send to %s: %s\n", seq, text, pn_strerror(r));
            continue;
        }
        rtt = await_reply(p, h, probe, (size_t)size, t0, p->now_ms(p->ctx) + (uint64_t)timeout_ms);
        if (rtt < 0) {
            printf("seq=%ld: no reply from %s within %ld ms\n", seq, text, timeout_ms);
            continue;
        }
        if (got == 0 || rtt < min)
            min = rtt;
        if (rtt > max)
            max = rtt;
        sum += rtt;
        got++;
    }
    printf("probe udp %s: %ld sent, %ld received", text, count, got);
    if (got > 0)
        printf(", rtt min/avg/max %.3f/%.3f/%.3f ms", min, sum / (double)got, max);
    printf("\n");
    return got > 0 ? PN_EXIT_OK : PN_EXIT_FAIL;
}

int pn_cmd_probe(int argc, char **argv)
{
    pn_posix px;
    pn_platform p;
    pn_addr target;
    const char *bind_text = NULL, *target_text = NULL;
    long count = -1, timeout_ms = 1000, size = 32, idle_ms = 0;
    int echo, i, r;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        probe_usage(stdout);
        return PN_EXIT_OK;
    }
    if (argc < 2 || (strcmp(argv[1], "echo") != 0 && strcmp(argv[1], "udp") != 0)) {
        probe_usage(stderr);
        return PN_EXIT_USAGE;
    }
    echo = strcmp(argv[1], "echo") == 0;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long *num = NULL, lo = 1, hi = 1000000;
        if (strcmp(a, "--count") == 0) {
            num = &count;
        } else if (strcmp(a, "--timeout") == 0 && !echo) {
            num = &timeout_ms;
        } else if (strcmp(a, "--idle") == 0 && echo) {
            num = &idle_ms;
        } else if (strcmp(a, "--size") == 0 && !echo) {
            num = &size;
            lo = PROBE_HDR_LEN;
            hi = PN_UDP_MAX;
        } else if (strcmp(a, "--bind") == 0 && echo && v != NULL) {
            bind_text = v;
            i++;
            continue;
        } else if (!echo && a[0] != '-' && target_text == NULL) {
            target_text = a;
            continue;
        } else {
            fprintf(stderr, "peernet probe: unexpected argument '%s'\n", a);
            probe_usage(stderr);
            return PN_EXIT_USAGE;
        }
        if ((*num = parse_num(v, lo, hi)) < 0) {
            fprintf(stderr, "peernet probe: %s needs a number in %ld..%ld\n", a, lo, hi);
            return PN_EXIT_USAGE;
        }
        i++;
    }
    if (echo ? bind_text == NULL : target_text == NULL) {
        probe_usage(stderr);
        return PN_EXIT_USAGE;
    }
    if (pn_addr_parse(&target, echo ? bind_text : target_text) != PN_OK ||
        (!echo && target.port == 0)) {
        fprintf(stderr, "peernet probe: bad address '%s' (want [v6]:port or a.b.c.d:port)\n",
                echo ? bind_text : target_text);
        return PN_EXIT_USAGE;
    }
    r = pn_posix_init(&px, NULL);
    if (r != PN_OK)
        return fail("platform", r);
    p = pn_posix_platform(&px);
    if (echo)
        r = run_echo(&p, &target, count < 0 ? 0 : count, idle_ms);
    else
        r = run_udp(&p, &target, count < 0 ? 4 : count, timeout_ms, size);
    pn_posix_close(&px);
    return r;
}
