/* `peernet identity create FILE`: an RSA-1024 key pair for secure PNRP names (MS-PNRP
 * 2.2.3.5 fixes RSA-1024 for CPA signatures), stored as FILE.key (PKCS#8 DER) and
 * FILE.crt (self-signed X.509 v3, DER), and the secure peer-name authority printed as
 * 40 hex digits (SHA-1 of the CPA Public Key field, as pn_pnrp_identity computes it). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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
    id->chain_len = 0;
    if (snprintf(path, sizeof path, "%s.chain", file) >= (int)sizeof path)
        return -1;
    f = fopen(path, "rb");
    if (f == NULL)
        return 0; /* an owner identity */
    n = fread(id->chain, 1, sizeof id->chain, f);
    fclose(f);
    /* The chain must end in this key and hold now (decision PE-55). */
    if ((rc = pn_pnrp_identity_set_chain(&id->ident, id->chain, n, (int64_t)time(NULL))) != PN_OK) {
        fprintf(stderr, "peernet: %s is not a valid certificate chain for %s.key: %s\n", path, file,
                pn_strerror(rc));
        return -1;
    }
    id->chain_len = n;
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

/* `identity delegate AUTH FILE`: a new key pair FILE.key whose member certificate,
 * issued by AUTH's key, extends AUTH's chain (or starts one from a PNRP root
 * certificate of AUTH's key) into FILE.chain (decision PE-55). */
static int delegate(const char *auth_file, const char *file, const char *const *classifiers,
                    size_t n_cl, int role, long days)
{
    static pn_cli_identity auth;
    static pn_rsa_keybuf kb;
    static uint8_t chain[PN_CLI_CHAIN_MAX];
    pn_posix px;
    pn_platform pf;
    pn_drbg drbg;
    pn_pnrp_identity ident;
    pn_pnrp_cert_params cp;
    pn_pkcs7_bag bag;
    pn_der it;
    pn_x509 c;
    pn_x509_span spans[PN_PNRP_CHAIN_MAX];
    uint8_t ent[48], key_der[1400], root[2048], member[2048];
    char root_auth[41], peer_name[48], path[4096], subj_auth[41];
    size_t n_certs = 0;
    int64_t now;
    int klen, rlen = 0, mlen, blen, rc;
    if (pn_cli_identity_load(&auth, auth_file) != 0)
        return PN_EXIT_FAIL;
    if (pn_posix_init(&px, NULL) != PN_OK)
        return PN_EXIT_FAIL;
    pf = pn_posix_platform(&px);
    if (pf.random(pf.ctx, ent, sizeof ent) != PN_OK ||
        pn_drbg_init(&drbg, ent, 32, ent + 32, 16, "peernet-delegate", 16) != PN_OK ||
        pn_rsa_generate(&kb, 1024, id_rng, &drbg) != PN_OK ||
        pn_pnrp_identity_init(&ident, &kb.pub, &kb.priv) != PN_OK) {
        fprintf(stderr, "peernet identity: key generation failed\n");
        pn_posix_close(&px);
        return PN_EXIT_FAIL;
    }
    now = pf.wall_ms(pf.ctx) / 1000;
    pn_posix_close(&px);
    pn_pnrp_identity_authority_text(&auth.ident, root_auth); /* the root's, for a delegate */
    snprintf(peer_name, sizeof peer_name, "%s.", root_auth);
    memset(&cp, 0, sizeof cp);
    cp.issuer_key = &auth.key.priv;
    cp.peer_name = peer_name;
    cp.peer_name_len = strlen(peer_name);
    cp.not_before = now - 3600;
    if (auth.chain_len > 0) {
        /* Subdelegation: keep AUTH's chain; its last certificate issues. */
        if ((rc = pn_pkcs7_bag_parse(&bag, auth.chain, auth.chain_len)) != PN_OK)
            return PN_EXIT_FAIL;
        if (bag.count >= PN_PNRP_CHAIN_MAX) {
            fprintf(stderr,
                    "peernet identity: %s.chain already has %u certificates, the most "
                    "this build accepts (PN_PNRP_CHAIN_MAX)\n",
                    auth_file, (unsigned)bag.count);
            return PN_EXIT_FAIL;
        }
        pn_pkcs7_bag_begin(&bag, &it);
        while (pn_pkcs7_bag_next(&it, &c) == 1) {
            spans[n_certs++] = c.der;
            cp.issuer_cert = c.der.p;
            cp.issuer_cert_len = c.der.len;
            if (c.not_after < now + days * 86400L)
                cp.not_after = c.not_after; /* never outlive the issuer */
        }
    } else {
        /* The owner's PNRP root certificate (certTypeRoot, self-signed). */
        cp.subject_key = &auth.key.pub;
        cp.not_after = now + 10 * 365 * 86400LL;
        pn_drbg_generate(&drbg, cp.serial, 16, NULL, 0);
        cp.serial[0] &= 0x7f;
        rlen = pn_pnrp_cert_build(&cp, id_rng, &drbg, root, sizeof root, NULL);
        if (rlen < 0) {
            fprintf(stderr, "peernet identity: root certificate: %s\n", pn_strerror(rlen));
            return PN_EXIT_FAIL;
        }
        spans[n_certs].p = root;
        spans[n_certs++].len = (size_t)rlen;
        cp.issuer_cert = root;
        cp.issuer_cert_len = (size_t)rlen;
        cp.not_after = 0;
    }
    if (cp.not_after == 0 || cp.not_after > now + days * 86400L)
        cp.not_after = now + days * 86400L;
    cp.subject_key = &kb.pub;
    cp.classifiers = classifiers;
    cp.n_classifiers = n_cl;
    cp.role = role;
    pn_drbg_generate(&drbg, cp.serial, 16, NULL, 0);
    cp.serial[0] &= 0x7f;
    mlen = pn_pnrp_cert_build(&cp, id_rng, &drbg, member, sizeof member, NULL);
    if (mlen < 0) {
        fprintf(stderr, "peernet identity: member certificate: %s\n", pn_strerror(mlen));
        return PN_EXIT_FAIL;
    }
    spans[n_certs].p = member;
    spans[n_certs++].len = (size_t)mlen;
    blen = pn_pkcs7_bag_build(spans, n_certs, chain, sizeof chain, NULL);
    klen =
        pn_rsa_private_to_pkcs8(&kb.pub, &kb.priv, kb.d, kb.d_len, key_der, sizeof key_der, NULL);
    if (blen < 0 || klen < 0) {
        fprintf(stderr, "peernet identity: encoding failed: %s\n",
                pn_strerror(blen < 0 ? blen : klen));
        return PN_EXIT_FAIL;
    }
    /* Check what we made the way a resolver will. */
    if ((rc = pn_pnrp_identity_set_chain(&ident, chain, (size_t)blen, now)) != PN_OK) {
        fprintf(stderr, "peernet identity: the new chain does not validate: %s\n", pn_strerror(rc));
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
    {
        const char *ext[2] = {".crt", ".chain"};
        const uint8_t *data[2] = {member, chain};
        size_t len[2] = {(size_t)mlen, (size_t)blen};
        int k;
        for (k = 0; k < 2; k++) {
            snprintf(path, sizeof path, "%s%s", file, ext[k]);
            if (write_file(path, data[k], len[k], 0644) != 0) {
                fprintf(stderr, "peernet identity: cannot create %s\n", path);
                snprintf(path, sizeof path, "%s.key", file);
                unlink(path);
                if (k == 1) {
                    snprintf(path, sizeof path, "%s.crt", file);
                    unlink(path);
                }
                return PN_EXIT_FAIL;
            }
        }
    }
    pn_pnrp_identity_authority_text(&ident, subj_auth);
    memset(&kb, 0, sizeof kb);
    memset(&drbg, 0, sizeof drbg);
    memset(&auth, 0, sizeof auth);
    printf("%s\n", subj_auth); /* the root's authority: the names this delegate may use */
    (void)rlen;
    return PN_EXIT_OK;
}

static int usage(FILE *f)
{
    fprintf(f, "usage: peernet identity create FILE\n"
               "       peernet identity delegate AUTH FILE [--classifier C ...]\n"
               "                [--role member|admin|inviting] [--days N]\n"
               "       peernet identity show FILE\n"
               "create makes an RSA-1024 key pair for secure PNRP names and writes\n"
               "  FILE.key  the private key, PKCS#8 PrivateKeyInfo DER\n"
               "  FILE.crt  its self-signed X.509 v3 certificate (SHA-1/RSA), DER\n"
               "(mode 0600 for the key; existing files are never overwritten),\n"
               "then prints the secure peer-name authority (40 hex digits): register\n"
               "AUTHORITY.classifier with `peernet node --identity FILE`.\n"
               "delegate makes FILE.key and FILE.crt for a new key and FILE.chain, the\n"
               "  certificate chain by which identity AUTH lets it publish AUTH's names\n"
               "  (MS-PNRP 1.3.2): ROOT.classifier for each --classifier (none: any),\n"
               "  exact match for role member (default), prefixes for admin/inviting;\n"
               "  valid --days (default 30, never past the issuer's certificate). AUTH\n"
               "  may itself be a delegate (subdelegation). Prints ROOT, the authority.\n"
               "show prints the authority of an existing FILE (the chain root's for a\n"
               "  delegate).\n");
    return PN_EXIT_USAGE;
}

int pn_cmd_identity(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return PN_EXIT_OK;
    }
    if (argc >= 4 && strcmp(argv[1], "delegate") == 0) {
        const char *cls[8];
        size_t n_cl = 0;
        int role = PN_PNRP_ROLE_MEMBER, i;
        long days = 30;
        for (i = 4; i < argc; i += 2) { /* option and value */
            const char *v = i + 1 < argc ? argv[i + 1] : NULL;
            if (strcmp(argv[i], "--classifier") == 0 && v != NULL && n_cl < 8 && v[0] != 0) {
                cls[n_cl++] = v;
            } else if (strcmp(argv[i], "--role") == 0 && v != NULL &&
                       (strcmp(v, "member") == 0 || strcmp(v, "admin") == 0 ||
                        strcmp(v, "inviting") == 0)) {
                role = v[0] == 'm'   ? PN_PNRP_ROLE_MEMBER
                       : v[0] == 'a' ? PN_PNRP_ROLE_ADMIN
                                     : PN_PNRP_ROLE_INVITING;
            } else if (strcmp(argv[i], "--days") == 0 && v != NULL) {
                uint64_t d;
                if (pn_arg_u64(v, 3650, &d) != 0 || d < 1)
                    return usage(stderr);
                days = (long)d;
            } else {
                return usage(stderr);
            }
        }
        return delegate(argv[2], argv[3], cls, n_cl, role, days);
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
