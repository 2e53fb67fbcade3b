/* Fuzz harness: AUTHORITY reassembly (MS-PNRP 3.1.5.6) driven by a sequence of records
 *   [time step u8][source u8][length u16 BE][datagram]
 * Each datagram is decoded; AUTHORITY messages go to the reassembler with the source
 * (low bits pick one of four addresses and two ports) and a clock that only moves
 * forward.  Invariants: a completed buffer has exactly the announced Size and fits the
 * slot; live slots never outnumber PN_PNRP_REASSEMBLY_SLOTS; nothing crashes. */
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pn_pnrp_reasm ra;
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    uint64_t now = 0;
    size_t pos = 0;
    pn_pnrp_reasm_init(&ra, 1000);
    while (pos + 4 <= size) {
        uint8_t step = data[pos], src = data[pos + 1];
        size_t len = (size_t)data[pos + 2] << 8 | data[pos + 3];
        uint8_t addr[16] = {0x20, 0x01, 0x0d, 0xb8};
        pn_pnrp_decode_error e;
        const uint8_t *out;
        size_t out_len, i, live = 0;
        int rc;
        pos += 4;
        if (len > size - pos)
            len = size - pos;
        now += (uint64_t)step * 16;
        addr[15] = (uint8_t)(src & 3);
        if (pn_pnrp_decode(data + pos, len, 0, &m, &e) == PN_OK && m.type == PN_PNRP_AUTHORITY) {
            uint16_t size_announced = m.u.authority.size;
            rc = pn_pnrp_reasm_input(&ra, now, addr, (uint16_t)(3540 + ((src >> 2) & 1)), m.msg_id,
                                     &m.u.authority, &out, &out_len);
            if (rc == 1) {
                if (out_len != size_announced || out_len > PN_PNRP_REASSEMBLY_BYTES || out == NULL)
                    abort();
                (void)pn_pnrp_authority_buffer_decode(out, out_len, 0, &ab, &e);
            } else if (rc > 1) {
                abort();
            }
        }
        for (i = 0; i < PN_PNRP_REASSEMBLY_SLOTS; i++)
            live += ra.slots[i].used;
        if (live > PN_PNRP_REASSEMBLY_SLOTS)
            abort();
        if (step == 0xFF)
            (void)pn_pnrp_reasm_expire(&ra, now);
        pos += len;
    }
    return 0;
}
