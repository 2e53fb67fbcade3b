/* Constant-time check of AES, CBC/PKCS#7 and Base64 under Valgrind memcheck (the
 * "ctgrind" technique): secrets are marked undefined, and memcheck then reports every
 * branch and every memory address computed from them.  Not part of `make check` (it needs
 * Valgrind); run it by hand from the repository root:
 *
 *   make lib && cc -O2 -g -Iinclude conformance/ct/aes_ctgrind.c build/libpeernet.a \
 *       -o build/aes_ctgrind && valgrind -q build/aes_ctgrind
 *
 * Expected: no report from aes.c or aes_cbc.c.  base64.c reports only its branches on
 * where '=' stands and on the final validity verdict, which follow the layout of the text
 * and the returned error, never the value of a data character. */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "peernet/aes.h"
#include "peernet/base64.h"

int main(void)
{
    uint8_t key[32], iv[16], pt[64], ct[80], out[80];
    pn_aes c;
    size_t k;
    int n;
    memset(key, 7, sizeof key);
    memset(iv, 1, sizeof iv);
    memset(pt, 3, sizeof pt);
    for (k = 16; k <= 32; k += 8) {
        VALGRIND_MAKE_MEM_UNDEFINED(key, sizeof key);
        VALGRIND_MAKE_MEM_UNDEFINED(pt, sizeof pt);
        pn_aes_init(&c, key, k);
        n = pn_aes_cbc_encrypt_pad(&c, iv, pt, sizeof pt, ct, sizeof ct, NULL);
        pn_aes_ecb_encrypt(&c, pt, out, sizeof pt);
        pn_aes_ecb_decrypt(&c, pt, out, sizeof pt);
        /* The padded decryption, including its verdict, must not branch on the data;
         * only the caller looks at the returned value. */
        VALGRIND_MAKE_MEM_UNDEFINED(ct, sizeof ct);
        n = pn_aes_cbc_decrypt_unpad(&c, iv, ct, (size_t)n, out, sizeof out, NULL);
        VALGRIND_MAKE_MEM_DEFINED(&n, sizeof n);
        printf("AES-%u: decrypt_unpad returned %d\n", (unsigned)(8 * k), n);
        pn_aes_wipe(&c);
    }
    {
        char text[] = "Zm9vYmFyZm9vYmFyZm9vYmFy", enc[64];
        uint8_t raw[32];
        memset(raw, 5, sizeof raw);
        VALGRIND_MAKE_MEM_UNDEFINED(raw, sizeof raw);
        pn_base64_encode(raw, 18, enc, sizeof enc, NULL);
        VALGRIND_MAKE_MEM_UNDEFINED(text, strlen(text));
        n = pn_base64_decode(text, 24, raw, sizeof raw, NULL, 0);
        VALGRIND_MAKE_MEM_DEFINED(&n, sizeof n);
        printf("base64: decode returned %d\n", n);
    }
    return 0;
}
