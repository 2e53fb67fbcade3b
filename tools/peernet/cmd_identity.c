/* `peernet identity create FILE`: an RSA-1024 key pair for secure PNRP names (MS-PNRP
 * 2.2.3.5 fixes RSA-1024 for CPA signatures), stored as FILE.key (PKCS#8 DER) and
 * FILE.crt (self-signed X.509 v3, DER), and the secure peer-name authority printed as
 * 40 hex digits (SHA-1 of the CPA Public Key field, as pn_pnrp_identity computes it). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "identity.h"
#include "peernet/drbg.h"
#include "peernet/platform.h"
#include "peernet/posix.h"

static int id_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

/* A new file only (an identity is never overwritten), readable by its owner alone
 * for the key. */
static int write_file(const char *path, const uint8_t *buf, size_t len, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode), ok;
    FILE *f;
    if (fd < 0)
        return -1;
    f = fdopen(fd, "wb");
    if (f == NULL) {
        close(fd);
        return -1;
    }
    ok = fwrite(buf, 1, len, f) == len;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

int pn_cli_identity_load(pn_cli_identity *id, const char *file)
{
    char path[4096];
    FILE *f;
    size_t n;
    int rc;
    if (snprintf(path, sizeof path, "%s.key", file) >= (int)sizeof path)
        return -1;
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "peernet: cannot read %s\n", path);
        return -1;
    }
    n = fread(id->der, 1, sizeof id->der, f);
    fclose(f);
    if ((rc = pn_rsa_private_from_pkcs8(&id->key, id->der, n)) != PN_OK ||
        (rc = pn_pnrp_identity_init(&id->ident, &id->key.pub, &id->key.priv)) != PN_OK) {
        fprintf(stderr, "peernet: %s is not a PKCS#8 RSA-1024 key: %s\n", path, pn_strerror(rc));
        return -1;
    }
    return 0;
}

static int create(const char *file)
{
    static pn_rsa_keybuf kb;
    pn_posix px;
    pn_platform pf;
    pn_drbg drbg;
    pn_pnrp_identity ident;
    pn_x509_build_params bp;
    uint8_t ent[48], serial[16], key_der[1400], cert[1400];
    char auth[41], path[4096];
    int64_t now;
    int klen, clen;
    if (pn_posix_init(&px, NULL) != PN_OK)
        return PN_EXIT_FAIL;
    pf = pn_posix_platform(&px);
    if (pf.random(pf.ctx, ent, sizeof ent) != PN_OK ||
        pn_drbg_init(&drbg, ent, 32, ent + 32, 16, "peernet-identity", 16) != PN_OK ||
        pn_rsa_generate(&kb, 1024, id_rng, &drbg) != PN_OK ||
        pn_pnrp_identity_init(&ident, &kb.pub, &kb.priv) != PN_OK) {
        fprintf(stderr, "peernet identity: key generation failed\n");
        pn_posix_close(&px);
        return PN_EXIT_FAIL;
    }
    now = pf.wall_ms(pf.ctx) / 1000;
    pn_posix_close(&px);
    pn_pnrp_identity_authority_text(&ident, auth);
    klen =
        pn_rsa_private_to_pkcs8(&kb.pub, &kb.priv, kb.d, kb.d_len, key_der, sizeof key_der, NULL);
    /* RFC 5280 4.1.2.2: a positive serial; 16 random bytes with the top bit cleared. */
    pn_drbg_generate(&drbg, serial, sizeof serial, NULL, 0);
    serial[0] &= 0x7f;
    memset(&bp, 0, sizeof bp);
    bp.serial = serial;
    bp.serial_len = sizeof serial;
    bp.hash = PN_HASH_SHA1;
    bp.issuer_cn = auth;
    bp.issuer_cn_len = 40;
    bp.subject_cn = auth;
    bp.subject_cn_len = 40;
    bp.not_before = now - 3600;
    bp.not_after = now + 10 * 365 * 86400LL;
    bp.subject_key = &kb.pub;
    clen = pn_x509_build(&bp, &kb.priv, id_rng, &drbg, cert, sizeof cert, NULL);
    if (klen < 0 || clen < 0) {
        fprintf(stderr, "peernet identity: encoding failed: %s\n",
                pn_strerror(klen < 0 ? klen : clen));
        return PN_EXIT_FAIL;
    }
    snprintf(path, sizeof path, "%s.key", file);
    if (write_file(path, key_der, (size_t)klen, 0600) != 0) {
        fprintf(stderr,
                "peernet identity: cannot create %s (an existing file is never "
                "overwritten)\n",
                path);
        return PN_EXIT_FAIL;
    }
    snprintf(path, sizeof path, "%s.crt", file);
    if (write_file(path, cert, (size_t)clen, 0644) != 0) {
        char key_path[4096];
        snprintf(key_path, sizeof key_path, "%s.key", file);
        unlink(key_path); /* no half identity left behind */
        fprintf(stderr,
                "peernet identity: cannot create %s (an existing file is never "
                "overwritten)\n",
                path);
        return PN_EXIT_FAIL;
    }
    memset(&kb, 0, sizeof kb);
    memset(&drbg, 0, sizeof drbg);
    printf("%s\n", auth);
    return PN_EXIT_OK;
}

static int usage(FILE *f)
{
    fprintf(f, "usage: peernet identity create FILE\n"
               "       peernet identity show FILE\n"
               "create makes an RSA-1024 key pair for secure PNRP names and writes\n"
               "  FILE.key  the private key, PKCS#8 PrivateKeyInfo DER\n"
               "  FILE.crt  its self-signed X.509 v3 certificate (SHA-1/RSA), DER\n"
               "(mode 0600 for the key; existing files are never overwritten),\n"
               "then prints the secure peer-name authority (40 hex digits): register\n"
               "AUTHORITY.classifier with `peernet node --identity FILE`.\n"
               "show prints the authority of an existing FILE.key.\n");
    return PN_EXIT_USAGE;
}

int pn_cmd_identity(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return PN_EXIT_OK;
    }
    if (argc != 3)
        return usage(stderr);
    if (strcmp(argv[1], "create") == 0)
        return create(argv[2]);
    if (strcmp(argv[1], "show") == 0) {
        static pn_cli_identity id;
        char auth[41];
        if (pn_cli_identity_load(&id, argv[2]) != 0)
            return PN_EXIT_FAIL;
        pn_pnrp_identity_authority_text(&id.ident, auth);
        printf("%s\n", auth);
        return PN_EXIT_OK;
    }
    return usage(stderr);
}
