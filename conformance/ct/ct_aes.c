/* Constant-time check: AES key schedule, block encryption and decryption (ECB and CBC),
 * and CBC decryption with the PKCS#7 padding check (key, IV, plaintext and ciphertext
 * secret; only the returned length or error is made public).
 *
 * Base64 is not in this check: its decoder branches on where '=' stands and on its
 * final verdict, which follow the layout of the text rather than the value of a data
 * character, and peernet decodes only public material with it (PEM certificates and
 * invitations), so a report there would not be a secret leak. */
#include "ct_common.h"
#include "peernet/aes.h"
#include "peernet/hash.h"

static int verdict(int v)
{
    CT_PUBLIC(&v, sizeof v);
    return v;
}

static void check_aes(size_t klen)
{
    uint8_t key[32], iv[16], iv2[16], pt[64], ct[80], out[80], back[80];
    pn_aes c;
    int n, m;
    ct_rng r = {0x243f6a8885a308d3ull + klen};
    ct_rng_fill(&r, key, sizeof key);
    ct_rng_fill(&r, iv, sizeof iv);
    ct_rng_fill(&r, pt, sizeof pt);
    CT_SECRET(key, sizeof key);
    CT_SECRET(iv, sizeof iv);
    CT_SECRET(pt, sizeof pt);
    CT_EXPECT(pn_aes_init(&c, key, klen) == 0);

    /* Blocks both ways. */
    CT_EXPECT(pn_aes_ecb_encrypt(&c, pt, out, sizeof pt) == 0);
    CT_EXPECT(pn_aes_ecb_decrypt(&c, out, back, sizeof pt) == 0);
    CT_EXPECT(verdict(pn_ct_equal(back, pt, sizeof pt)) == 1);
    memcpy(iv2, iv, sizeof iv);
    CT_EXPECT(pn_aes_cbc_encrypt(&c, iv2, pt, out, sizeof pt) == 0);
    memcpy(iv2, iv, sizeof iv);
    CT_EXPECT(pn_aes_cbc_decrypt(&c, iv2, out, back, sizeof pt) == 0);
    CT_EXPECT(verdict(pn_ct_equal(back, pt, sizeof pt)) == 1);

    /* Padded CBC for every plaintext length 0..48: the padding length (1..16) is the
     * secret the unpadding must not branch on. */
    for (m = 0; m <= 48; m++) {
        n = pn_aes_cbc_encrypt_pad(&c, iv, pt, (size_t)m, ct, sizeof ct, NULL);
        CT_EXPECT(n == (m / 16 + 1) * 16); /* the ciphertext length is public */
        CT_SECRET(ct, sizeof ct);
        CT_EXPECT(verdict(pn_aes_cbc_decrypt_unpad(&c, iv, ct, (size_t)n, out, sizeof out, NULL)) ==
                  m);
        CT_EXPECT(verdict(pn_ct_equal(out, pt, (size_t)m)) == 1);
        /* A bad padding: flip the low bit of the last pad byte through the chaining
         * value (p becomes p ^ 1, never a valid pad after p - 1 bytes of p). */
        memcpy(iv2, iv, sizeof iv);
        if (n == 16)
            iv2[15] ^= 0x01;
        else
            ct[n - 17] ^= 0x01;
        CT_EXPECT(verdict(pn_aes_cbc_decrypt_unpad(&c, iv2, ct, (size_t)n, out, sizeof out, NULL)) <
                  0);
    }
    pn_aes_wipe(&c);
}

int main(void)
{
    check_aes(16);
    check_aes(24);
    check_aes(32);
    printf("ct_aes: AES-128/192/256 key schedule, ECB, CBC, CBC decrypt_unpad\n");
    return 0;
}
