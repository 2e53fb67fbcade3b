/* `peernet cert [--at SECONDS] FILE...`: print certificates (DER or PEM, single or in a
 * PKCS#7 bag) and, for a bag of several, check the chain in both orders at the current
 * time or at the given Unix time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "peernet/x509.h"

#define CERT_FILE_MAX 65536

static void print_time(const char *label, int64_t t)
{
    int y, mo, d, h, mi, s;
    if (pn_der_time_to_civil(t, &y, &mo, &d, &h, &mi, &s) == PN_OK)
        printf("  %s %04d-%02d-%02dT%02d:%02d:%02dZ\n", label, y, mo, d, h, mi, s);
}

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
    size_t i;
    printf("  %s ", label);
    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static void print_cert(const pn_x509 *c, int index)
{
    static const char *const algs[] = {"?", "md5WithRSAEncryption", "sha1WithRSAEncryption",
                                       "sha256WithRSAEncryption"};
    char text[1024];
    pn_der it;
    pn_x509_ext e;
    size_t nbits = c->pub.n_len * 8;
    uint8_t top = c->pub.n[0];
    printf("certificate %d (%zu bytes)\n", index, c->der.len);
    printf("  version %u\n", c->version);
    print_hex("serial", c->serial.p, c->serial.len);
    printf("  signature %s\n", algs[c->sig_alg]);
    if (pn_x509_issuer_cn(c, text, sizeof text) >= 0)
        printf("  issuer CN \"%s\"\n", text);
    if (pn_x509_subject_cn(c, text, sizeof text) >= 0)
        printf("  subject CN \"%s\"\n", text);
    print_time("not-before", c->not_before);
    print_time("not-after", c->not_after);
    while (top < 0x80u && nbits > 0) {
        top = (uint8_t)(top << 1);
        nbits--;
    }
    printf("  key RSA-%zu\n", nbits);
    if (c->ext_present & PN_X509_EXT_BASIC_CONSTRAINTS)
        printf("  ca %d path-len %d\n", c->is_ca, c->path_len);
    if (c->ext_present & PN_X509_EXT_KEY_USAGE)
        printf("  key-usage 0x%03x\n", (unsigned)c->key_usage);
    if (c->ext_present & PN_X509_EXT_P2P_CERT_TYPE)
        printf("  p2p-cert-type %u\n", (unsigned)c->p2p_cert_type);
    pn_x509_ext_begin(c, &it);
    while (pn_x509_ext_next(&it, &e) == 1)
        if (pn_der_oid_text(e.oid.p, e.oid.len, text, sizeof text) >= 0)
            printf("  extension %s%s (%zu bytes)\n", text, e.critical ? " critical" : "",
                   e.value.len);
    if (c->issuer.len == c->subject.len && memcmp(c->issuer.p, c->subject.p, c->issuer.len) == 0)
        printf("  self-signed %s\n",
               pn_x509_verify_signature(c, &c->pub) == PN_OK ? "signature ok" : "BAD SIGNATURE");
}

static int show(const uint8_t *der, size_t len, int64_t now)
{
    pn_x509 certs[PN_X509_MAX_CHAIN];
    pn_pkcs7_bag bag;
    pn_der it;
    int n = 0, rc;
    if (pn_pkcs7_bag_parse(&bag, der, len) == PN_OK) {
        pn_pkcs7_bag_begin(&bag, &it);
        while ((rc = pn_pkcs7_bag_next(&it, &certs[n])) == 1) {
            print_cert(&certs[n], n + 1);
            n++;
        }
        if (rc < 0) {
            printf("certificate %d: %s\n", n + 1, pn_strerror(rc));
            return PN_EXIT_FAIL;
        }
    } else if ((rc = pn_x509_parse(&certs[0], der, len)) == PN_OK) {
        print_cert(&certs[0], 1);
        n = 1;
    } else {
        printf("not a certificate or PKCS#7 bag: %s\n", pn_strerror(rc));
        return PN_EXIT_FAIL;
    }
    if (n > 1) {
        printf("chain leaf-first: %s\n",
               pn_strerror(pn_x509_chain_verify(certs, (size_t)n, now, 0)));
        printf("chain root-first: %s\n",
               pn_strerror(pn_x509_chain_verify(certs, (size_t)n, now, PN_X509_ROOT_FIRST)));
    }
    return PN_EXIT_OK;
}

int pn_cmd_cert(int argc, char **argv)
{
    static uint8_t file[CERT_FILE_MAX], der[CERT_FILE_MAX];
    int i = 1, status = PN_EXIT_OK;
    int64_t now = (int64_t)time(NULL);
    if (argc >= 3 && strcmp(argv[1], "--at") == 0) {
        char *end;
        now = (int64_t)strtoll(argv[2], &end, 10);
        if (*end != '\0' || end == argv[2])
            argc = 0; /* usage */
        i = 3;
    }
    if (argc <= i || argv[i][0] == '-') {
        fprintf(stderr, "usage: peernet cert [--at UNIX-SECONDS] FILE...  (DER or PEM "
                        "certificate or PKCS#7)\n");
        return argc == 2 && strcmp(argv[1], "--help") == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
    for (; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        size_t n;
        int len;
        if (f == NULL) {
            fprintf(stderr, "peernet cert: cannot open %s\n", argv[i]);
            status = PN_EXIT_FAIL;
            continue;
        }
        n = fread(file, 1, sizeof file, f);
        fclose(f);
        printf("%s\n", argv[i]);
        len = pn_pem_decode((const char *)file, n, "CERTIFICATE", der, sizeof der, NULL, NULL);
        if (len == PN_ERR_NOTFOUND)
            len = pn_pem_decode((const char *)file, n, "PKCS7", der, sizeof der, NULL, NULL);
        if (len >= 0) {
            if (show(der, (size_t)len, now) != PN_EXIT_OK)
                status = PN_EXIT_FAIL;
        } else if (show(file, n, now) != PN_EXIT_OK) {
            status = PN_EXIT_FAIL;
        }
    }
    return status;
}
