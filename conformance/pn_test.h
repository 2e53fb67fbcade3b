/* Shared helpers for the conformance suite (Check). */
#ifndef PN_TEST_H
#define PN_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* Every test file declares its suites with PN_SUITE(name) at the start of a line; the
 * Makefile collects them into the runner, so adding a file needs no other edit. */
#define PN_SUITE(name)                                                                             \
    Suite *pn_suite_##name(void);                                                                  \
    Suite *pn_suite_##name(void)

/* Requirement IDs a test covers, for spec/coverage (which greps for PN_REQ("...")).
 * It expands to nothing: the ID lives in the source next to the assertions. */
#define PN_REQ(...)

/* Decode hex text (whitespace ignored) into out; returns the byte count or -1. */
long pn_test_hex(const char *hex, uint8_t *out, size_t cap);
/* Read a whole file relative to the conformance/ directory; returns length or -1. */
long pn_test_read_file(const char *relpath, uint8_t *buf, size_t cap);
/* Path of a file under conformance/ (the suite may run from any directory). */
const char *pn_test_path(const char *relpath, char *buf, size_t cap);

#endif
