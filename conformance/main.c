/* The conformance suite runner: every PN_SUITE in conformance/ runs, or one suite or
 * case by name (`make check SUITE=wire`, or CK_RUN_SUITE/CK_RUN_CASE directly). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pn_test.h"

/* One declaration per suite. */
#undef PN_SUITE
#define PN_SUITE(name) Suite *pn_suite_##name(void);
#include "pn_suites.h"
#undef PN_SUITE

long pn_test_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex; hex++) {
        int v;
        char c = *hex;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ':')
            continue;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return -1;
        if (hi < 0) {
            hi = v;
        } else {
            if (n >= cap)
                return -1;
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? (long)n : -1;
}

const char *pn_test_path(const char *relpath, char *buf, size_t cap)
{
    const char *root = getenv("PN_CONFORMANCE_DIR");
    snprintf(buf, cap, "%s/%s", root ? root : "conformance", relpath);
    return buf;
}

long pn_test_read_file(const char *relpath, uint8_t *buf, size_t cap)
{
    char path[1024];
    FILE *f = fopen(pn_test_path(relpath, path, sizeof path), "rb");
    size_t n;
    if (f == NULL)
        return -1;
    n = fread(buf, 1, cap, f);
    if (n == cap && fgetc(f) != EOF)
        n = (size_t)-1;
    fclose(f);
    return n == (size_t)-1 ? -1 : (long)n;
}

int main(void)
{
    SRunner *sr = srunner_create(NULL);
    int failed;
#define PN_SUITE(name) srunner_add_suite(sr, pn_suite_##name());
#include "pn_suites.h"
#undef PN_SUITE
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
