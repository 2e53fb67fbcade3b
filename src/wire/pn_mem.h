/* The four libc functions the library may use, and constant-time helpers shared by all
 * modules.  In a freestanding build (PN_HAVE_STRING_H 0) they are declared here and the
 * integrator links them; nothing else from libc is ever referenced (the link check in
 * `make cross` enforces it). */
#ifndef PN_MEM_H
#define PN_MEM_H

#include <stddef.h>

#include "peernet/opts.h"

#if PN_HAVE_STRING_H
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#endif

#endif
