/* PNRP secure identities on disk (`peernet identity create`, `peernet node --identity`).
 *
 * An identity FILE is two files: FILE.key, the RSA-1024 private key as PKCS#8
 * PrivateKeyInfo DER, and FILE.crt, its self-signed X.509 v3 certificate in DER (both
 * readable by openssl: `openssl pkey -inform DER`, `openssl x509 -inform DER`). */
#ifndef PN_IDENTITY_H
#define PN_IDENTITY_H

#include "peernet/pnrp.h"
#include "peernet/x509.h"

/* A delegated identity (`peernet identity delegate AUTH FILE`, MS-PNRP 1.3.2) has a
 * third file, FILE.chain: the PKCS#7 certificate chain (DER, root first: the owner's
 * PNRP root certificate, then one member certificate per delegation) whose last
 * certificate holds FILE.key's public key.  Its names are the chain root's:
 * ROOTAUTHORITY.classifier, for the classifiers the chain delegates. */
enum { PN_CLI_CHAIN_MAX = 16384 };

/* The loaded key: the DER stays here because the key structs point into it. */
typedef struct pn_cli_identity {
    uint8_t der[1400];
    pn_rsa_der_key key;
    pn_pnrp_identity ident;
    uint8_t chain[PN_CLI_CHAIN_MAX]; /* FILE.chain when present */
    size_t chain_len;
} pn_cli_identity;

/* Read FILE.key (and FILE.chain when it exists, validated now) and build the PNRP
 * identity; prints the reason and returns -1 on error. */
int pn_cli_identity_load(pn_cli_identity *id, const char *file);

#endif
