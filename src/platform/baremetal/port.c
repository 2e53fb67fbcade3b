/* Bare-metal port template: pn_platform for a microcontroller with a millisecond tick,
 * a hardware random number generator, an lwIP-style network stack, internal flash and a
 * UART.
 *
 * How to use it: copy this file into your firmware, rename the pn_port_ symbols if you
 * like, and fill in every function marked "Integrator:".  Each one compiles and returns
 * PN_ERR_UNSUPPORTED until you do, so a half-finished port fails loudly instead of
 * pretending.  What already works without hardware: the 32-to-64-bit clock extension,
 * wall time once you tell it the date, the socket table, storage-name checks and the
 * log line formatting.  `make cross` compiles this file for Cortex-M4 as a check; it is
 * not part of libpeernet.a.
 *
 * Rules this port must keep (include/peernet/platform.h): nothing blocks except wait();
 * every call returns a count or a negative pn_err; no heap; no mutable globals except
 * what an interrupt handler must own (the tick counter below lives in your code, and
 * the port only reads it through a pointer).
 *
 * The network sketch assumes lwIP's raw API with NO_SYS=1: lwIP callbacks then run
 * only inside wait() (which polls the Ethernet driver and lwIP's timers), so the
 * socket table needs no locking.  With an RTOS and lwIP's tcpip thread, wrap each
 * lwIP call in LOCK_TCPIP_CORE()/UNLOCK_TCPIP_CORE() and protect the receive queues.
 */
#include "peernet/opts.h"
#include "peernet/platform.h"
#include "wire/pn_mem.h"

/* Sockets the port can hold; size it for one UDP socket per PNRP cloud, one TCP
 * listener and the graph neighbours (PN_GRAPH_MAX_NEIGHBOURS) of each graph. */
#ifndef PN_PORT_MAX_SOCKETS
#define PN_PORT_MAX_SOCKETS 12
#endif
/* Received datagrams or segments a socket queues before the oldest is dropped. */
#ifndef PN_PORT_RX_QUEUE
#define PN_PORT_RX_QUEUE 4
#endif

enum { PORT_FREE = 0, PORT_UDP = 1, PORT_LISTEN = 2, PORT_TCP = 3 };

typedef struct pn_port_sock {
    uint8_t kind;    /* PORT_FREE, PORT_UDP, PORT_LISTEN or PORT_TCP */
    uint8_t pending; /* TCP connect sent, not yet answered */
    uint8_t eof;     /* TCP peer sent FIN */
    int failed;      /* sticky pn_err after a reset or failed connect, else 0 */
    /* Integrator: the stack's control block (struct udp_pcb * or struct tcp_pcb *). */
    void *pcb;
    /* Integrator: received data the lwIP callbacks queued, as struct pbuf * (keep the
     * pbufs rather than copying: lwIP's PBUF_POOL already bounds the memory), and for
     * UDP the sender of each. */
    void *rx[PN_PORT_RX_QUEUE];
    pn_addr rx_from[PN_PORT_RX_QUEUE];
    uint8_t rx_head, rx_count;
} pn_port_sock;

typedef struct pn_port {
    /* Clock: a uint32_t your SysTick_Handler increments once per millisecond, e.g.
     *     volatile uint32_t g_ms;  void SysTick_Handler(void) { g_ms++; }
     *     SysTick_Config(SystemCoreClock / 1000);
     * A 32-bit aligned load is atomic on Cortex-M, so no lock is needed to read it. */
    const volatile uint32_t *tick_ms;
    uint32_t last_tick; /* to notice the 32-bit counter wrapping (every 49.7 days) */
    uint32_t wraps;
    int64_t wall_at_zero; /* Unix ms at now_ms() == 0, once known */
    uint8_t wall_known;

    pn_port_sock socks[PN_PORT_MAX_SOCKETS];

    /* Log: a function that writes bytes to the UART (blocking on TXE, or into a DMA
     * ring), and the most verbose level to keep.  NULL: logging is off. */
    void (*uart_write)(void *uart, const uint8_t *bytes, size_t len);
    void *uart;
    int log_level;
} pn_port;

/* The three calls an integrator's main() makes. */
void pn_port_init(pn_port *port, const volatile uint32_t *tick_ms);
void pn_port_set_wall_ms(pn_port *port, int64_t unix_ms);
pn_platform pn_port_platform(pn_port *port);

/* ---- clocks ------------------------------------------------------------------------- */

static uint64_t port_now_ms(void *ctx)
{
    pn_port *port = ctx;
    uint32_t t;
    if (port->tick_ms == NULL)
        return 0;
    /* Widen the 32-bit tick to 64 bits.  Correct as long as now_ms is called at least
     * once per wrap period, which every driver loop does many times a second. */
    t = *port->tick_ms;
    if (t < port->last_tick)
        port->wraps++;
    port->last_tick = t;
    return ((uint64_t)port->wraps << 32) | t;
}

/* Integrator: call this when the date becomes known (battery-backed RTC at boot, SNTP,
 * GPS).  Until then wall_ms() reports 0, which makes certificate and CPA validity checks
 * fail closed rather than accept expired data. */
void pn_port_set_wall_ms(pn_port *port, int64_t unix_ms)
{
    port->wall_at_zero = unix_ms - (int64_t)port_now_ms(port);
    port->wall_known = 1;
}

static int64_t port_wall_ms(void *ctx)
{
    pn_port *port = ctx;
    if (!port->wall_known)
        return 0;
    return port->wall_at_zero + (int64_t)port_now_ms(port);
}

/* ---- randomness --------------------------------------------------------------------- */

static int port_random(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    (void)out;
    (void)len;
    /* Integrator: fill out[0..len) from the true random number generator.  On an STM32
     * RNG: enable its clock (RCC AHB2ENR.RNGEN) and the peripheral (RNG_CR.RNGEN) once
     * at boot; then per 32-bit word wait for RNG_SR.DRDY, read RNG_DR, and store its 4
     * bytes (fewer for the tail).  If RNG_SR.SECS or CECS is set, discard the word,
     * reset the peripheral as the reference manual describes and, if it does not
     * recover, return PN_ERR_CRYPTO_ENTROPY.  Never return fewer than len bytes and
     * never fall back to a counter or the tick: the DRBG seeded from this produces every
     * key and nonce.  A part without a TRNG cannot run peernet's security safely. */
    return PN_ERR_UNSUPPORTED;
}

/* ---- sockets ------------------------------------------------------------------------ */

static pn_port_sock *port_sock(void *ctx, int sock, int kind)
{
    pn_port *port = ctx;
    if (sock < 0 || sock >= PN_PORT_MAX_SOCKETS)
        return NULL;
    if (port->socks[sock].kind == PORT_FREE || port->socks[sock].kind != kind)
        return NULL;
    return &port->socks[sock];
}

/* A free table entry, or PN_ERR_NOMEM. */
static int port_alloc(pn_port *port)
{
    int i;
    for (i = 0; i < PN_PORT_MAX_SOCKETS; i++)
        if (port->socks[i].kind == PORT_FREE)
            return i;
    return PN_ERR_NOMEM;
}

static int port_udp_open(void *ctx, const pn_addr *bind_addr)
{
    int h = port_alloc(ctx);
    (void)bind_addr;
    if (h < 0)
        return h;
    /* Integrator: pcb = udp_new_ip_type(IPADDR_TYPE_V6) (IPADDR_TYPE_V4 for family 4);
     * NULL -> PN_ERR_NOMEM.  Convert bind_addr (NULL means [::]:0) to an ip_addr_t,
     * udp_bind(pcb, &ip, port) (ERR_USE -> PN_ERR_EXISTS), then
     * udp_recv(pcb, your_udp_cb, &port->socks[h]).  In your_udp_cb copy the sender
     * (addr, port, and ip6_addr_zone() as scope_id) into rx_from and the pbuf pointer
     * into rx; when the queue is full pbuf_free() the new datagram (a drop, like a full
     * kernel socket buffer).  Finally set socks[h].kind = PORT_UDP, .pcb = pcb and
     * return h. */
    return PN_ERR_UNSUPPORTED;
}

static int port_udp_send(void *ctx, int sock, const pn_addr *to, const uint8_t *buf, size_t len)
{
    pn_port_sock *s = port_sock(ctx, sock, PORT_UDP);
    if (s == NULL || to == NULL || (buf == NULL && len > 0) || len > PN_UDP_MAX)
        return PN_ERR_ARG;
    /* Integrator: p = pbuf_alloc(PBUF_TRANSPORT, len, PBUF_RAM) (NULL ->
     * PN_ERR_WOULDBLOCK: memory frees up as frames leave); pbuf_take(p, buf, len);
     * build the destination ip_addr_t from to->ip, and for a link-local fe80::/10
     * address set its zone to to->scope_id (ip6_addr_set_zone) or lwIP will not know
     * the interface; err = udp_sendto(pcb, p, &ip, to->port); pbuf_free(p).  Map err:
     * ERR_OK -> len, ERR_MEM/ERR_BUF -> PN_ERR_WOULDBLOCK, ERR_RTE ->
     * PN_ERR_UNREACHABLE, ERR_VAL -> PN_ERR_PLATFORM_ADDR, else PN_ERR_IO. */
    return PN_ERR_UNSUPPORTED;
}

static int port_udp_recv(void *ctx, int sock, pn_addr *from, uint8_t *buf, size_t cap)
{
    pn_port_sock *s = port_sock(ctx, sock, PORT_UDP);
    if (s == NULL || (buf == NULL && cap > 0))
        return PN_ERR_ARG;
    if (s->rx_count == 0)
        return PN_ERR_WOULDBLOCK;
    (void)from;
    /* Integrator: take the oldest queued pbuf p (rx[rx_head]); n = p->tot_len; if n >
     * cap, pbuf_free(p), advance the queue and return PN_ERR_BUFSIZE (the datagram is
     * dropped, as the contract requires).  Otherwise pbuf_copy_partial(p, buf, n, 0),
     * copy rx_from[rx_head] to *from when from is not NULL, pbuf_free(p), advance
     * rx_head modulo PN_PORT_RX_QUEUE, decrement rx_count and return n. */
    return PN_ERR_UNSUPPORTED;
}

static int port_tcp_listen(void *ctx, const pn_addr *bind_addr)
{
    int h = port_alloc(ctx);
    (void)bind_addr;
    if (h < 0)
        return h;
    /* Integrator: pcb = tcp_new_ip_type(IPADDR_TYPE_V6); ip_set_option(pcb, SOF_REUSEADDR)
     * so a rebooted node gets its port back; tcp_bind(pcb, &ip, port); then
     * lpcb = tcp_listen_with_backlog(pcb, backlog), which frees pcb and returns the
     * listening pcb (NULL -> PN_ERR_NOMEM).  tcp_arg(lpcb, &socks[h]) and
     * tcp_accept(lpcb, your_accept_cb); your_accept_cb queues each new pcb in rx (up to
     * PN_PORT_RX_QUEUE; return ERR_MEM when full so lwIP refuses it).  Mark the entry
     * PORT_LISTEN and return h. */
    return PN_ERR_UNSUPPORTED;
}

static int port_tcp_accept(void *ctx, int listener, pn_addr *peer)
{
    pn_port_sock *l = port_sock(ctx, listener, PORT_LISTEN);
    if (l == NULL)
        return PN_ERR_ARG;
    if (l->rx_count == 0)
        return PN_ERR_WOULDBLOCK;
    (void)peer;
    /* Integrator: h = port_alloc(); if none, leave the connection queued and return
     * PN_ERR_NOMEM.  Pop the pcb, fill *peer from pcb->remote_ip/remote_port, and hook
     * it up as a stream: tcp_arg(pcb, &socks[h]), tcp_recv(pcb, your_recv_cb),
     * tcp_err(pcb, your_err_cb), tcp_nagle_disable(pcb).  Mark PORT_TCP; return h.
     *   your_recv_cb(arg, pcb, p, err): p == NULL means the peer closed its side: set
     *   eof.  Else queue p (pbuf_cat onto the last queued chain when the queue is full)
     *   and return ERR_OK.
     *   your_err_cb(arg, err): lwIP has already freed the pcb; set pcb = NULL and
     *   failed = PN_ERR_REFUSED if pending and err == ERR_RST, PN_ERR_TIMEOUT if
     *   pending and err == ERR_ABRT, else PN_ERR_CLOSED. */
    return PN_ERR_UNSUPPORTED;
}

static int port_tcp_connect(void *ctx, const pn_addr *to)
{
    int h;
    if (to == NULL)
        return PN_ERR_ARG;
    h = port_alloc(ctx);
    if (h < 0)
        return h;
    /* Integrator: pcb = tcp_new_ip_type(...); the same tcp_arg/tcp_recv/tcp_err hooks
     * as in accept; set pending = 1; tcp_connect(pcb, &ip, to->port, your_connected_cb)
     * where your_connected_cb clears pending.  An immediate ERR_RTE is not returned
     * here: store failed = PN_ERR_UNREACHABLE and return h, because the contract
     * reports connect failures on send/recv. */
    return PN_ERR_UNSUPPORTED;
}

static int port_tcp_send(void *ctx, int sock, const uint8_t *buf, size_t len)
{
    pn_port_sock *s = port_sock(ctx, sock, PORT_TCP);
    if (s == NULL || (buf == NULL && len > 0))
        return PN_ERR_ARG;
    if (s->failed != 0)
        return s->failed;
    if (s->pending)
        return PN_ERR_WOULDBLOCK;
    /* Integrator: room = tcp_sndbuf(pcb); if 0 return PN_ERR_WOULDBLOCK.  n = min(len,
     * room); tcp_write(pcb, buf, n, TCP_WRITE_FLAG_COPY) (ERR_MEM -> PN_ERR_WOULDBLOCK),
     * then tcp_output(pcb) so it leaves now, and return n: a short write is allowed. */
    return PN_ERR_UNSUPPORTED;
}

static int port_tcp_recv(void *ctx, int sock, uint8_t *buf, size_t cap)
{
    pn_port_sock *s = port_sock(ctx, sock, PORT_TCP);
    if (s == NULL || buf == NULL || cap == 0)
        return PN_ERR_ARG;
    if (s->failed != 0)
        return s->failed;
    if (s->rx_count == 0)
        return s->eof ? 0 : PN_ERR_WOULDBLOCK;
    /* Integrator: copy up to cap bytes from the head pbuf chain (pbuf_copy_partial),
     * drop what was consumed (pbuf_free_header(p, n) on lwIP 2.1+, or keep an offset),
     * then tcp_recved(pcb, n) to reopen the receive window by what the caller took, and
     * return n. */
    return PN_ERR_UNSUPPORTED;
}

static int port_sock_close(void *ctx, int sock)
{
    pn_port *port = ctx;
    if (sock < 0 || sock >= PN_PORT_MAX_SOCKETS || port->socks[sock].kind == PORT_FREE)
        return PN_ERR_ARG;
    /* Integrator: pbuf_free() everything still queued in rx.  UDP: udp_remove(pcb).
     * TCP: if pcb is not NULL, clear its callbacks (tcp_arg/tcp_recv/tcp_err with NULL)
     * then tcp_close(pcb), and tcp_abort(pcb) if that fails with ERR_MEM.  Listener:
     * tcp_close(lpcb) and tcp_abort() every pcb still waiting in rx. */
    memset(&port->socks[sock], 0, sizeof port->socks[sock]);
    return PN_OK;
}

static int port_sock_name(void *ctx, int sock, pn_addr *out)
{
    pn_port *port = ctx;
    if (sock < 0 || sock >= PN_PORT_MAX_SOCKETS || port->socks[sock].kind == PORT_FREE ||
        out == NULL)
        return PN_ERR_ARG;
    /* Integrator: copy pcb->local_ip (ip_2_ip6 for the 16 bytes, its zone as scope_id)
     * and pcb->local_port into *out; after a bind to port 0 lwIP has picked the port. */
    return PN_ERR_UNSUPPORTED;
}

/* ---- storage ------------------------------------------------------------------------ */

/* Integrator: keep blobs in internal flash, two erase sectors ("slots") per blob name,
 * from a const table you write: { "node.key", SLOT_A_ADDR, SLOT_B_ADDR, SECTOR_SIZE }.
 * Each slot starts with a 16-byte header, every field little-endian (pn_put_u32le):
 *   magic "PNS1" | sequence u32 | length u32 | CRC-32 (IEEE) of the 12 bytes before it,
 *   the blob's name and the data
 * followed by the data.  A slot is valid when the magic matches, length fits the slot
 * and the CRC checks; between two valid slots the newer is the one whose sequence is
 * ahead in serial arithmetic ((int32_t)(a - b) > 0). */

static int port_storage_read(void *ctx, const char *name, uint8_t *buf, size_t cap)
{
    (void)ctx;
    if (!pn_storage_name_valid(name))
        return PN_ERR_PLATFORM_NAME;
    if (buf == NULL && cap > 0)
        return PN_ERR_ARG;
    /* Integrator: find name in your table (absent -> PN_ERR_NOTFOUND); read and check
     * both slot headers; neither valid -> PN_ERR_NOTFOUND; newest valid length > cap ->
     * PN_ERR_BUFSIZE; else copy its data to buf and return the length.  A valid header
     * with a CRC that fails over the data means flash corruption, not a torn write:
     * fall back to the other slot, and return PN_ERR_CORRUPT only if it fails too. */
    return PN_ERR_UNSUPPORTED;
}

static int port_storage_replace(void *ctx, const char *name, const uint8_t *buf, size_t len)
{
    (void)ctx;
    if (!pn_storage_name_valid(name))
        return PN_ERR_PLATFORM_NAME;
    if (buf == NULL && len > 0)
        return PN_ERR_ARG;
    /* Integrator: the atomic replace, in this order:
     *  1. Find the newest valid slot as storage_read does; the target is the other one
     *     (slot A when neither is valid); len + 16 > sector size -> PN_ERR_RANGE.
     *  2. Erase the target sector (HAL_FLASHEx_Erase or your part's equivalent).
     *  3. Program the data after the header position, padded with 0xFF to the flash's
     *     write granule (8 bytes on STM32L4/G4, 4 on F4).
     *  4. Program the header last, sequence = newest + 1 (or 1): until these bytes are
     *     written the slot is invalid, so a reset at any point leaves the old copy as the
     *     newest valid one, and after it the new copy is.
     *  5. Read the slot back and check it as storage_read would; on mismatch return
     *     PN_ERR_IO (the old slot still holds the previous blob).
     * Do not erase the old slot afterwards: it is the fallback for the next replace.
     * Flash erase stalls the bus for milliseconds: never call this from an interrupt,
     * and expect the tick to be late by that much. */
    return PN_ERR_UNSUPPORTED;
}

/* ---- log ---------------------------------------------------------------------------- */

static void port_log(void *ctx, int level, const char *msg)
{
    static const char *const names[] = {"E ", "W ", "I ", "D "};
    pn_port *port = ctx;
    size_t n = 0;
    if (port->uart_write == NULL || msg == NULL || level < 0 || level > port->log_level)
        return;
    while (msg[n] != '\0')
        n++;
    port->uart_write(port->uart, (const uint8_t *)names[level > 3 ? 3 : level], 2);
    port->uart_write(port->uart, (const uint8_t *)msg, n);
    port->uart_write(port->uart, (const uint8_t *)"\r\n", 2);
}

/* ---- wait --------------------------------------------------------------------------- */

static int port_wait(void *ctx, uint64_t deadline_ms)
{
    (void)ctx;
    (void)deadline_ms;
    /* Integrator: with NO_SYS=1 this is the network's main loop:
     *     for (;;) {
     *         ethernetif_poll(&netif);      // your driver: feed received frames to lwIP
     *         sys_check_timeouts();         // lwIP's TCP, ND6, DHCP timers
     *         if (any socks[i] has rx_count > 0, eof, failed, or !pending after a
     *             connect) return 1;
     *         if (port_now_ms(ctx) >= deadline_ms) return 0;
     *         __WFI();                      // sleep until the next interrupt: the
     *     }                                 // SysTick or the Ethernet RX interrupt
     * The SysTick interrupt wakes WFI at least once per millisecond, so the deadline is
     * met to within a tick.  With an RTOS, block on a semaphore the lwIP callbacks give,
     * with a timeout of deadline_ms - now. */
    return PN_ERR_UNSUPPORTED;
}

/* ---- the platform ------------------------------------------------------------------- */

void pn_port_init(pn_port *port, const volatile uint32_t *tick_ms)
{
    memset(port, 0, sizeof *port);
    port->tick_ms = tick_ms;
    port->log_level = PN_LOG_INFO;
    /* Integrator: set port->uart_write/uart here or after this call; bring up the TRNG,
     * lwIP (lwip_init(), netif_add(), netif_create_ip6_linklocal_address(), netif_set_up)
     * and the flash driver before the first platform call. */
}

pn_platform pn_port_platform(pn_port *port)
{
    pn_platform p;
    memset(&p, 0, sizeof p);
    p.ctx = port;
    p.now_ms = port_now_ms;
    p.wall_ms = port_wall_ms;
    p.random = port_random;
    p.udp_open = port_udp_open;
    p.udp_send = port_udp_send;
    p.udp_recv = port_udp_recv;
    p.tcp_listen = port_tcp_listen;
    p.tcp_accept = port_tcp_accept;
    p.tcp_connect = port_tcp_connect;
    p.tcp_send = port_tcp_send;
    p.tcp_recv = port_tcp_recv;
    p.sock_close = port_sock_close;
    p.sock_name = port_sock_name;
    p.storage_read = port_storage_read;
    p.storage_replace = port_storage_replace;
    p.log = port_log;
    p.wait = port_wait;
    return p;
}
