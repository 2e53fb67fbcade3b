/* Internal: the two-block bitsliced AES core shared by aes.c and aes_cbc.c. */
#ifndef PN_AES_CT_H
#define PN_AES_CT_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/aes.h"

/* Encrypt or decrypt the two blocks held in buf[0..31] in place.  Processing one block
 * costs the same as two, so callers pair blocks whenever the mode allows it. */
void pn_aes_ct_encrypt2(const pn_aes *c, uint8_t buf[2 * PN_AES_BLOCK]);
void pn_aes_ct_decrypt2(const pn_aes *c, uint8_t buf[2 * PN_AES_BLOCK]);

/* Zeroes n bytes through a volatile pointer so the compiler keeps the stores. */
void pn_aes_ct_wipe(void *p, size_t n);

#endif
