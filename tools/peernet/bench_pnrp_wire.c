/* PNRP wire codecs against memcpy: for every message type (and the AUTHORITY_BUFFER
 * carried by an AUTHORITY), decode+validate and encode time per message next to the time
 * of a memcpy of the same bytes, measured in the same run.  Targets (issue 4): decode
 * within 10x of memcpy, encode within 5x.
 *
 * The messages are valid vectors of conformance/vectors/pnrp (named above each one), so
 * every optional part they carry is exercised: a LOOKUP with a route entry and a path,
 * a FLOOD with a revoke CPA and 22 flooded endpoints, an AUTHORITY_BUFFER with a route
 * entry and a CPA.  Decoding is in strict mode (every check, sender rules included);
 * the encoder writes the decoded struct back.  The reference is the C library's memcpy
 * of the message (its length comes from a volatile, so no compiler expands it inline).
 * Times are CPU time (as pn_bench_cpu_now measures).  Each round times memcpy, decode
 * and encode one after the other; NS and MEMCPY_NS are medians over the rounds and RATIO
 * is the median of the per-round ratios, so that other processes sharing the machine
 * disturb the figures less.  A comment line per message adds the best round of each
 * (what a quiet machine gives: on a loaded one the codecs, which need many instructions
 * per byte, slow down more than memcpy does, so the median ratios run higher).  Lines:
 *   bench pnrp_wire.decode_NAME_LENB NS ns/msg ref MEMCPY_NS ratio RATIO
 *   # pnrp_wire.NAME_LENB best rounds: memcpy NS, decode NS (ratio R), encode NS (ratio R) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_openssl.h"
#include "cli.h"
#include "peernet/pnrp_wire.h"

/* solicit_controls_local_route.hex */
static const char hex_solicit[] =
    "0010000c51040001010203040044000600010000009a004a33333333333333333333333333333333"
    "3333333333333333333333333333333304000dd4000220010db8000000000000000000000001fe80"
    "0000000000000000000000000abc00000092001856178b86a57fac22899a9964185c2cc96e7da589";
/* advertise_five.hex */
static const char hex_advertise[] =
    "0010000c51040002000000060018000801020304006000ac000500a8003000200101010101010101"
    "01010101010101010101010101010101010101010101010102020202020202020202020202020202"
    "02020202020202020202020202020202030303030303030303030303030303030303030303030303"
    "03030303030303030404040404040404040404040404040404040404040404040404040404040404"
    "05050505050505050505050505050505050505050505050505050505050505050092001856178b86"
    "a57fac22899a9964185c2cc96e7da589";
/* request_two.hex */
static const char hex_request[] =
    "0010000c510400030000000700930014000102030405060708090a0b0c0d0e0f0060004c00020048"
    "00300020010101010101010101010101010101010101010101010101010101010101010100010203"
    "0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/* flood_d_route_two.hex */
static const char hex_flood[] =
    "0010000c5104000400000003004300070001a5000039002422222222222222222222222222222222"
    "22222222222222222222222222222222009a003a3333333333333333333333333333333333333333"
    "33333333333333333333333304000dd4000120010db80000000000000000000000010000009e0030"
    "0002002c009d00120dd420010db80000000000000000000000010fa020010db80000000000000000"
    "00000002";
/* flood_revoke_route_full.hex */
static const char hex_flood_revoke[] =
    "0010000c510400040000000300430007000000000039002422222222222222222222222222222222"
    "22222222222222222222222222222222009c01a7a301000200040d00000000000000d90140414243"
    "4445464748494a4b4c4d4e4f00000000000000000000000000000000606162636465666768696a6b"
    "6c6d6e6f70717273808182838485868788898a8b8c8d8e8f90919293010012000dd420010db80000"
    "0000000000000000000100000400a900140000008c0000312e322e3834302e3131333534392e312e"
    "312e3130818902818100c00b30557a9fc4e90e33587da2c7ec11365b80a5caef14395e83a8cdf217"
    "3c6186abd0f51a3f6489aed3f81d42678cb1d6fb20456a8fb4d9fe23486d92b7dc01264b7095badf"
    "04294e7398bde2072c51769bc0e50a2f54799ec3e80d32577ca1c6eb10355a7fa4c9ee13385d82a7"
    "ccf1163b6085aacff4193e6388add2f71c4102030100018800800004800000030a11181f262d343b"
    "424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c53"
    "5a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b"
    "727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c00"
    "009a003a333333333333333333333333333333333333333333333333333333333333333304000dd4"
    "000120010db80000000000000000000000010000009e019800160194009d001207d020010db80000"
    "0000000000000000000107d120010db800000000000000000000000107d220010db8000000000000"
    "00000000000107d320010db800000000000000000000000107d420010db800000000000000000000"
    "000107d520010db800000000000000000000000107d620010db800000000000000000000000107d7"
    "20010db800000000000000000000000107d820010db800000000000000000000000107d920010db8"
    "00000000000000000000000107da20010db800000000000000000000000107db20010db800000000"
    "000000000000000107dc20010db800000000000000000000000107dd20010db80000000000000000"
    "0000000107de20010db800000000000000000000000107df20010db8000000000000000000000001"
    "07e020010db800000000000000000000000107e120010db800000000000000000000000107e22001"
    "0db800000000000000000000000107e320010db800000000000000000000000107e420010db80000"
    "0000000000000000000107e520010db8000000000000000000000001";
/* inquire_axc_nonce.hex */
static const char hex_inquire[] =
    "0010000c510400070000000100400006001c00000039002422222222222222222222222222222222"
    "2222222222222222222222222222222200930014000102030405060708090a0b0c0d0e0f";
/* authority_route_cpa.hex */
static const char hex_authority[] =
    "0010000c510400080000000500180008000000010098000801eb00000040000600000000009a003a"
    "333333333333333333333333333333333333333333333333333333333333333304000dd400012001"
    "0db80000000000000000000000010000009b01a7a301000200040c00000000000000d90140414243"
    "4445464748494a4b4c4d4e4f00000000000000000000000000000000606162636465666768696a6b"
    "6c6d6e6f70717273808182838485868788898a8b8c8d8e8f90919293010012000dd420010db80000"
    "0000000000000000000100000400a900140000008c0000312e322e3834302e3131333534392e312e"
    "312e3130818902818100c00b30557a9fc4e90e33587da2c7ec11365b80a5caef14395e83a8cdf217"
    "3c6186abd0f51a3f6489aed3f81d42678cb1d6fb20456a8fb4d9fe23486d92b7dc01264b7095badf"
    "04294e7398bde2072c51769bc0e50a2f54799ec3e80d32577ca1c6eb10355a7fa4c9ee13385d82a7"
    "ccf1163b6085aacff4193e6388add2f71c4102030100018800800004800000030a11181f262d343b"
    "424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c53"
    "5a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b"
    "727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c";
/* ack_plain.hex */
static const char hex_ack[] = "0010000c510400090a0b0c0d0018000801020304";
/* lookup_digest.hex */
static const char hex_lookup[] =
    "0010000c5104000b000000020045000c000200000000000000380024111111111111111111111111"
    "11111111111111111111111111111111111111110039002422222222222222222222222222222222"
    "22222222222222222222222222222222009a003a3333333333333333333333333333333333333333"
    "33333333333333333333333304000dd4000120010db80000000000000000000000010000009e001e"
    "0001001a009d00120dd420010db8000000000000000000000001";
/* lookup_no_route_path22.hex */
static const char hex_lookup_path22[] =
    "0010000c5104000b000000020045000c000000000000000000380024111111111111111111111111"
    "11111111111111111111111111111111111111110039002422222222222222222222222222222222"
    "22222222222222222222222222222222009e019800160194009d0012040120010db8000000000000"
    "000000000001040220010db8000000000000000000000001040320010db800000000000000000000"
    "0001040420010db8000000000000000000000001040520010db80000000000000000000000010406"
    "20010db8000000000000000000000001040720010db8000000000000000000000001040820010db8"
    "000000000000000000000001040920010db8000000000000000000000001040a20010db800000000"
    "0000000000000001040b20010db8000000000000000000000001040c20010db80000000000000000"
    "00000001040d20010db8000000000000000000000001040e20010db8000000000000000000000001"
    "040f20010db8000000000000000000000001041020010db800000000000000000000000104112001"
    "0db8000000000000000000000001041220010db8000000000000000000000001041320010db80000"
    "00000000000000000001041420010db8000000000000000000000001041520010db8000000000000"
    "000000000001041620010db8000000000000000000000001";

enum { ROUNDS = 41, KIND_MEMCPY = 0, KIND_DECODE = 1, KIND_ENCODE = 2 };

typedef struct bench_msg {
    const char *name;
    int is_ab; /* an AUTHORITY_BUFFER (its own decoder) rather than a datagram */
    const uint8_t *bytes;
    size_t len;
} bench_msg;

/* Sinks the compiler must assume are read: results land here so no loop is dead, and the
 * length is read anew in every iteration so no call can be hoisted out of its loop. */
static volatile uint32_t bench_sink;
static volatile size_t bench_len;

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    while (hex[0] != 0 && hex[1] != 0 && n < cap && sscanf(hex, "%2x", &v) == 1) {
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

/* The structs encoded: the decoded message itself. */
static pn_pnrp_msg bench_menc;
static pn_pnrp_authority_buffer bench_abenc;

/* Seconds per operation of one round of reps iterations. */
static double time_kind(int kind, const bench_msg *bm, long reps)
{
    static uint8_t out[4096];
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    pn_pnrp_decode_error e;
    uint32_t acc = 0;
    double t0 = pn_bench_cpu_now(), dt;
    long i;
    switch (kind) {
    case KIND_MEMCPY:
        for (i = 0; i < reps; i++) {
            memcpy(out, bm->bytes, bench_len);
            acc += out[i & 15];
        }
        break;
    case KIND_DECODE:
        for (i = 0; i < reps; i++) {
            if (bm->is_ab)
                acc += (uint32_t)pn_pnrp_authority_buffer_decode(bm->bytes, bench_len,
                                                                 PN_PNRP_STRICT, &ab, &e) +
                       ab.has_cpa;
            else
                acc +=
                    (uint32_t)pn_pnrp_decode(bm->bytes, bench_len, PN_PNRP_STRICT, &m, &e) + m.type;
        }
        break;
    default:
        for (i = 0; i < reps; i++) {
            size_t cap = bench_len;
            if (bm->is_ab)
                acc += (uint32_t)pn_pnrp_authority_buffer_encode(&bench_abenc, out, cap, NULL);
            else
                acc += (uint32_t)pn_pnrp_encode(&bench_menc, out, cap, NULL);
            acc += out[i & 15];
        }
        break;
    }
    dt = (pn_bench_cpu_now() - t0) / (double)reps;
    bench_sink += acc;
    return dt;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of n values (sorts v). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void bench_one(const bench_msg *bm)
{
    static const char *const kinds[3] = {"memcpy", "decode", "encode"};
    pn_pnrp_decode_error e;
    double t[3][ROUNDS], ratio[3][ROUNDS], ns[3], best[3];
    long reps[3];
    int k, round;
    char label[96];
    bench_len = bm->len;
    if (bm->is_ab)
        (void)pn_pnrp_authority_buffer_decode(bm->bytes, bm->len, PN_PNRP_STRICT, &bench_abenc, &e);
    else
        (void)pn_pnrp_decode(bm->bytes, bm->len, PN_PNRP_STRICT, &bench_menc, &e);
    /* Rounds of about 0.25 ms for each operation.  In every round the three take turns
     * (memcpy, decode, encode), so a round's ratio compares times taken within a
     * millisecond of each other on the same machine; the figures are the medians over the
     * rounds (a disturbance that slows one round moves the median little, and a whole
     * run that is slowed down slows the reference as much). */
    for (k = 0; k < 3; k++) {
        reps[k] = 64;
        while (reps[k] < (1L << 24) && time_kind(k, bm, reps[k]) * (double)reps[k] < 0.00025)
            reps[k] *= 2;
    }
    for (round = 0; round < ROUNDS; round++) {
        for (k = 0; k < 3; k++)
            t[k][round] = time_kind(k, bm, reps[k]);
        for (k = 1; k < 3; k++)
            ratio[k][round] = t[0][round] > 0 ? t[k][round] / t[0][round] : 0;
    }
    /* The least disturbed round of each (the figures a quiet machine gives), for the
     * comment line below. */
    for (k = 0; k < 3; k++)
        for (best[k] = t[k][0], round = 1; round < ROUNDS; round++)
            if (t[k][round] < best[k])
                best[k] = t[k][round];
    for (k = 0; k < 3; k++)
        ns[k] = median(t[k], ROUNDS) * 1e9;
    for (k = 1; k < 3; k++) {
        snprintf(label, sizeof label, "pnrp_wire.%s_%s_%uB", kinds[k], bm->name, (unsigned)bm->len);
        /* The format of pn_bench_report; the ratio is the median of the rounds' ratios. */
        printf("bench %s %.6g ns/msg ref %.6g ratio %.3f\n", label, ns[k], ns[0],
               median(ratio[k], ROUNDS));
        fflush(stdout);
    }
    printf("# pnrp_wire.%s_%uB best rounds: memcpy %.3g ns, decode %.3g ns (ratio %.2f), encode "
           "%.3g ns (ratio %.2f)\n",
           bm->name, (unsigned)bm->len, best[0] * 1e9, best[1] * 1e9, best[1] / best[0],
           best[2] * 1e9, best[2] / best[0]);
}

void pn_bench_pnrp_wire(void)
{
    static const struct {
        const char *name;
        const char *hex;
    } vecs[] = {{"solicit", hex_solicit},
                {"advertise", hex_advertise},
                {"request", hex_request},
                {"flood", hex_flood},
                {"flood_revoke", hex_flood_revoke},
                {"inquire", hex_inquire},
                {"authority", hex_authority},
                {"ack", hex_ack},
                {"lookup", hex_lookup},
                {"lookup_path22", hex_lookup_path22}};
    static uint8_t bytes[sizeof vecs / sizeof vecs[0]][1024];
    static pn_pnrp_msg m;
    size_t i;
    printf("# pnrp_wire: ns per message (CPU time, median of %d interleaved rounds); ref = memcpy "
           "of the same bytes; ratio = median of the rounds' ratios; targets: decode ratio <= 10, "
           "encode ratio <= 5\n",
           ROUNDS);
    for (i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        bench_msg bm;
        pn_pnrp_decode_error e;
        bm.name = vecs[i].name;
        bm.is_ab = 0;
        bm.bytes = bytes[i];
        bm.len = unhex(vecs[i].hex, bytes[i], sizeof bytes[i]);
        if (pn_pnrp_decode(bm.bytes, bm.len, PN_PNRP_STRICT, &m, &e) != PN_OK) {
            printf("# pnrp_wire: vector %s does not decode (%s at %u)\n", bm.name,
                   pn_strerror(e.code), (unsigned)e.offset);
            continue;
        }
        bench_one(&bm);
        if (m.type == PN_PNRP_AUTHORITY) {
            /* The AUTHORITY_BUFFER the (unfragmented) AUTHORITY carries. */
            bm.name = "authority_buffer";
            bm.is_ab = 1;
            bm.bytes = m.u.authority.fragment.p;
            bm.len = m.u.authority.fragment.len;
            bench_one(&bm);
        }
    }
}
