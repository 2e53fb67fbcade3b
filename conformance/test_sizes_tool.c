/* `peernet sizes`: the memory table PORTING.md is written from must report exactly the
 * sizeof of each type under the compiled-in options, and list every entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "peernet/drbg.h"
#include "peernet/hash.h"
#include "peernet/pnrp.h"
#include "peernet/pnrp_wire.h"
#include "peernet/rsa.h"
#include "pn_test.h"

#define MAX_ROWS 64

struct row {
    char name[32];
    unsigned long bytes;
};

/* Runs `peernet sizes ARGS`; fills rows and returns the exit status. */
static int run_sizes(const char *args, struct row *rows, size_t *n)
{
    const char *tool = getenv("PN_TOOL");
    char cmd[1024], line[512];
    FILE *p;
    int rc;
    snprintf(cmd, sizeof cmd, "'%s' sizes %s 2>/dev/null", tool ? tool : "build/peernet", args);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    *n = 0;
    while (fgets(line, sizeof line, p) != NULL && *n < MAX_ROWS)
        if (sscanf(line, "%31s %lu", rows[*n].name, &rows[*n].bytes) == 2)
            (*n)++;
    rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static unsigned long lookup(const struct row *rows, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return rows[i].bytes;
    ck_abort_msg("peernet sizes does not list %s", name);
    return 0;
}

START_TEST(sizes_tool_reports_sizeof_of_each_context)
{
    static struct row rows[MAX_ROWS];
    size_t n;
    ck_assert_int_eq(run_sizes("", rows, &n), 0);
#define PN_SIZE(id, bytes, what) (void)lookup(rows, n, #id);
#include "../tools/footprint/sizes.def"
#undef PN_SIZE
    /* Without PN_TOOL (the qemu-user runs) the tool is the host's build, whose layout may
     * differ from this suite's target: only the listing is checked then. */
    if (getenv("PN_TOOL") == NULL)
        return;
    ck_assert_uint_eq(lookup(rows, n, "sha256_ctx"), sizeof(pn_sha256_ctx));
    ck_assert_uint_eq(lookup(rows, n, "drbg"), sizeof(pn_drbg));
    ck_assert_uint_eq(lookup(rows, n, "rsa_work_max"), sizeof(pn_rsa_work));
    ck_assert_uint_eq(lookup(rows, n, "rsa_work_2048"), PN_RSA_WORK_BYTES(2048));
    ck_assert_uint_eq(lookup(rows, n, "pnrp_reasm"), sizeof(pn_pnrp_reasm));
    ck_assert_uint_ge(lookup(rows, n, "pnrp_reasm"),
                      PN_PNRP_REASSEMBLY_SLOTS * (unsigned long)PN_PNRP_REASSEMBLY_BYTES);
    ck_assert_uint_eq(lookup(rows, n, "pnrp_cache_ceiling"),
                      PN_PNRP_CACHE_MAX * sizeof(pn_pnrp_cache_entry));
    ck_assert_uint_gt(lookup(rows, n, "sim_100_nodes"), 0);
}
END_TEST

START_TEST(sizes_tool_rejects_arguments)
{
    static struct row rows[MAX_ROWS];
    size_t n;
    ck_assert_int_eq(run_sizes("extra", rows, &n), 2);
    ck_assert_int_eq(run_sizes("--help", rows, &n), 0);
}
END_TEST

PN_SUITE(sizes_tool)
{
    Suite *s = suite_create("sizes_tool");
    TCase *tc = tcase_create("sizes_tool");
    tcase_add_test(tc, sizes_tool_reports_sizeof_of_each_context);
    tcase_add_test(tc, sizes_tool_rejects_arguments);
    suite_add_tcase(s, tc);
    return s;
}
