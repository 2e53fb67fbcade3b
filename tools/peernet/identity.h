/* PNRP secure identities on disk (`peernet identity create`, `peernet node --identity`).
 *
 * An identity FILE is two files: FILE.key, the RSA-1024 private key as PKCS#8
 * PrivateKeyInfo DER, and FILE.crt, its self-signed X.509 v3 certificate in DER (both
 * readable by openssl: `openssl pkey -inform DER`, `openssl x509 -inform DER`). */
#ifndef PN_IDENTITY_H
#define PN_IDENTITY_H

#include "peernet/pnrp.h"
#include "peernet/x509.h"

/* The loaded key: the DER stays here because the key structs point into it. */
typedef struct pn_cli_identity {
    uint8_t der[1400];
    pn_rsa_der_key key;
    pn_pnrp_identity ident;
} pn_cli_identity;

/* Read FILE.key and build the PNRP identity; prints the reason and returns -1 on error. */
int pn_cli_identity_load(pn_cli_identity *id, const char *file);

#endif
