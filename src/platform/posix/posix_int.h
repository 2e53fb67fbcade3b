/* Internal to src/platform/posix: the platform calls, split by file. */
#ifndef PN_POSIX_INT_H
#define PN_POSIX_INT_H

#include "peernet/posix.h"

/* Socket kinds in pn_posix_sock.kind. */
enum { PN_PX_FREE = 0, PN_PX_UDP = 1, PN_PX_LISTEN = 2, PN_PX_TCP = 3 };

/* The pn_err for the current errno. */
int pn_px_errno(void);

/* net.c */
int pn_px_udp_open(void *ctx, const pn_addr *bind_addr);
int pn_px_udp_send(void *ctx, int sock, const pn_addr *to, const uint8_t *buf, size_t len);
int pn_px_udp_recv(void *ctx, int sock, pn_addr *from, uint8_t *buf, size_t cap);
int pn_px_tcp_listen(void *ctx, const pn_addr *bind_addr);
int pn_px_tcp_accept(void *ctx, int listener, pn_addr *peer);
int pn_px_tcp_connect(void *ctx, const pn_addr *to);
int pn_px_tcp_send(void *ctx, int sock, const uint8_t *buf, size_t len);
int pn_px_tcp_recv(void *ctx, int sock, uint8_t *buf, size_t cap);
int pn_px_sock_close(void *ctx, int sock);
int pn_px_sock_name(void *ctx, int sock, pn_addr *out);
int pn_px_wait(void *ctx, uint64_t deadline_ms);

/* storage.c */
int pn_px_storage_open(pn_posix *px, const char *dir);
int pn_px_storage_read(void *ctx, const char *name, uint8_t *buf, size_t cap);
int pn_px_storage_replace(void *ctx, const char *name, const uint8_t *buf, size_t len);

/* posix.c */
uint64_t pn_px_now_ms(void *ctx);

#endif
