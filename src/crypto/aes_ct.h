/* Internal: the bitsliced AES core shared by aes.c and aes_cbc.c. */
#ifndef PN_AES_CT_H
#define PN_AES_CT_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/aes.h"

/* Blocks one pass of the widest core processes: one per 16 bits of a word (2 or 4). */
#define PN_AES_CT_LANES (PN_AES_WORD_BITS / 16)
#define PN_AES_CT_BYTES (PN_AES_CT_LANES * PN_AES_BLOCK)

/* Encrypt or decrypt the two blocks held in buf in place with the 32-bit core: the
 * cheapest pass when only one block is ready (single blocks, CBC encryption). */
void pn_aes_ct_encrypt2(const pn_aes *c, uint8_t buf[2 * PN_AES_BLOCK]);
void pn_aes_ct_decrypt2(const pn_aes *c, uint8_t buf[2 * PN_AES_BLOCK]);

/* Encrypt or decrypt the PN_AES_CT_LANES blocks held in buf in place with the widest
 * core.  A pass costs the same however many lanes hold real blocks, so callers group
 * blocks whenever the mode allows. */
#if PN_AES_WORD_BITS == 64
void pn_aes_ct_encrypt(const pn_aes *c, uint8_t buf[PN_AES_CT_BYTES]);
void pn_aes_ct_decrypt(const pn_aes *c, uint8_t buf[PN_AES_CT_BYTES]);
#else
/* The widest core is the 32-bit one: no second entry point, no extra flash. */
#define pn_aes_ct_encrypt pn_aes_ct_encrypt2
#define pn_aes_ct_decrypt pn_aes_ct_decrypt2
#endif

/* Zeroes n bytes through a volatile pointer so the compiler keeps the stores. */
void pn_aes_ct_wipe(void *p, size_t n);

#endif
