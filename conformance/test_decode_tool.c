/* `peernet decode graph`: every message vector through the tool, checking the exit-status
 * contract (0 valid, 1 invalid with the error name and byte offset, 2 usage). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "pn_test.h"

#define GRAPH_VEC "vectors/graph"

static const char *tool_path(char *buf, size_t cap)
{
    const char *tool = getenv("PN_TOOL");
    if (tool == NULL)
        tool = "build/peernet";
    snprintf(buf, cap, "%s", tool);
    return buf;
}

/* Run the tool on one vector; returns the exit status and the output's first line that
 * starts with "invalid:" (empty when none). */
static int run_decode(const char *args, char *invalid, size_t cap)
{
    char cmd[2048], tool[512], line[1024];
    FILE *p;
    int rc;
    invalid[0] = '\0';
    snprintf(cmd, sizeof cmd, "'%s' decode %s 2>/dev/null", tool_path(tool, sizeof tool), args);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    while (fgets(line, sizeof line, p) != NULL)
        if (invalid[0] == '\0' && strncmp(line, "invalid: ", 9) == 0)
            snprintf(invalid, cap, "%s", line);
    rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* "# expect: ok" or "# expect: PN_ERR_X at N (field)" from a vector's header. */
static int vector_header(const char *path, char *kind, char *expect, size_t cap)
{
    FILE *f = fopen(path, "r");
    char line[512];
    kind[0] = expect[0] = '\0';
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL && line[0] == '#') {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "# kind: ", 8) == 0)
            snprintf(kind, cap, "%.200s", line + 8);
        else if (strncmp(line, "# expect: ", 10) == 0)
            snprintf(expect, cap, "%.200s", line + 10);
    }
    fclose(f);
    return 0;
}

START_TEST(decode_graph_tool_follows_exit_contract_on_every_message_vector)
{
    char dir[512], path[1024], args[1200], kind[256], expect[256], invalid[1024];
    DIR *d = opendir(pn_test_path(GRAPH_VEC, dir, sizeof dir));
    struct dirent *e;
    int ok = 0, bad = 0;
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".hex") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ck_assert_int_eq(vector_header(path, kind, expect, sizeof kind), 0);
        if (strcmp(kind, "msg") != 0)
            continue;
        snprintf(args, sizeof args, "graph --hex '%s'", path);
        if (strcmp(expect, "ok") == 0) {
            ck_assert_msg(run_decode(args, invalid, sizeof invalid) == 0, "%s", e->d_name);
            ok++;
        } else {
            /* expect is "NAME at OFFSET (field)": the tool must print exactly that. */
            char want[600], name[128], field[200];
            unsigned long off;
            ck_assert_msg(sscanf(expect, "%127s at %lu (%199[^)])", name, &off, field) == 3,
                          "%s: expect line '%s'", e->d_name, expect);
            ck_assert_msg(run_decode(args, invalid, sizeof invalid) == 1, "%s", e->d_name);
            snprintf(want, sizeof want, "invalid: %s at offset %lu (%s)", name, off, field);
            ck_assert_msg(strncmp(invalid, want, strlen(want)) == 0, "%s: got '%s' want '%s'",
                          e->d_name, invalid, want);
            bad++;
        }
    }
    closedir(d);
    ck_assert_int_gt(ok, 10);
    ck_assert_int_gt(bad, 30);
}
END_TEST

START_TEST(decode_tool_usage_errors_exit_2)
{
    char invalid[256];
    ck_assert_int_eq(run_decode("", invalid, sizeof invalid), 2);
    ck_assert_int_eq(run_decode("graph", invalid, sizeof invalid), 2);
    ck_assert_int_eq(run_decode("smtp x", invalid, sizeof invalid), 2);
    ck_assert_int_eq(run_decode("graph --hex /nonexistent/file.hex", invalid, sizeof invalid), 2);
}
END_TEST

PN_SUITE(decode_tool)
{
    Suite *s = suite_create("decode_tool");
    TCase *tc = tcase_create("graph");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, decode_graph_tool_follows_exit_contract_on_every_message_vector);
    tcase_add_test(tc, decode_tool_usage_errors_exit_2);
    suite_add_tcase(s, tc);
    return s;
}
