/* Sizes on the target: one array per entry of sizes.def, whose symbol size (`nm -S`) is
 * the entry's byte count as the cross compiler lays it out.  Compiled, never linked;
 * `make size` prints the table (.ci/size). */
#include "peernet/aes.h"
#include "peernet/drbg.h"
#include "peernet/graph_wire.h"
#include "peernet/hash.h"
#include "peernet/platform.h"
#include "peernet/pnrp.h"
#include "peernet/pnrp_wire.h"
#include "peernet/rsa.h"
#include "peernet/x509.h"

#define PN_SIZE(id, bytes, what) char pn_size_##id[bytes];
#include "sizes.def"
#undef PN_SIZE

/* The bare-metal port template's context (its struct lives in the .c file). */
#include "platform/baremetal/port.c"
char pn_size_baremetal_port[sizeof(pn_port)];
