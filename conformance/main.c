/* The conformance suite runner: every PN_SUITE in conformance/ runs, or one suite or
 * case by name (`make check SUITE=wire`, or CK_RUN_SUITE/CK_RUN_CASE directly). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

/* Every suite by name, for the parallel runner. */
typedef struct {
    const char *name;
    Suite *(*make)(void);
} pn_suite_entry;

static const pn_suite_entry pn_all_suites[] = {
#define PN_SUITE(name) {#name, pn_suite_##name},
#include "pn_suites.h"
#undef PN_SUITE
};
#define PN_NSUITES (sizeof pn_all_suites / sizeof pn_all_suites[0])

/* Every test case of every suite (generated from the sources by conformance/cases.awk):
 * the unit the parallel runner hands out. */
typedef struct {
    const char *suite;
    const char *tcase;
} pn_case_entry;

static const pn_case_entry pn_all_cases[] = {
#define PN_CASE(suite, tcase) {#suite, tcase},
#include "pn_cases.h"
#undef PN_CASE
};
#define PN_NCASES (sizeof pn_all_cases / sizeof pn_all_cases[0])

static const pn_suite_entry *pn_find_suite(const char *name)
{
    size_t i;
    for (i = 0; i < PN_NSUITES; i++)
        if (strcmp(pn_all_suites[i].name, name) == 0)
            return &pn_all_suites[i];
    return NULL;
}

/* The cases of suites known to take longest start first, so the last one to finish is
 * a short one.  Only an ordering hint: a suite missing here just starts later. */
static const char *const pn_slow_first[] = {
    "graph_sim",      "pnrp_e2e",  "pnrp_scale", "pnrp_defence", "rsa",
    "graph_internal", "pnrp_node", "hash",       "sim",          "pnrp_wire",
};

static int pn_run_sequential(void)
{
    SRunner *sr = srunner_create(NULL);
    int failed;
    size_t i;
    for (i = 0; i < PN_NSUITES; i++)
        srunner_add_suite(sr, pn_all_suites[i].make());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* The child's last output line carries its counts to the parent. */
#define PN_RESULT_TAG "pn-check-result "

static void pn_run_one(const pn_case_entry *c)
{
    const pn_suite_entry *e = pn_find_suite(c->suite);
    SRunner *sr;
    int run, failed;
    if (e == NULL) {
        printf("suite %s of case %s is not registered\n", c->suite, c->tcase);
        _exit(1);
    }
    sr = srunner_create(e->make());
    srunner_run(sr, c->suite, c->tcase, CK_NORMAL);
    run = srunner_ntests_run(sr);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    fflush(stderr);
    printf(PN_RESULT_TAG "%d %d\n", run, failed);
    fflush(stdout);
    _exit(failed == 0 ? 0 : 1);
}

typedef struct {
    pid_t pid;
    FILE *out;
    const pn_case_entry *c;
    struct timespec t0;
} pn_job;

/* Copy a finished suite's output to stdout in one block and add its counts. */
static void pn_collect(pn_job *j, int status, int *run, int *failed)
{
    char line[4096];
    int r = -1, f = -1;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rewind(j->out);
    while (fgets(line, sizeof line, j->out) != NULL) {
        if (strncmp(line, PN_RESULT_TAG, strlen(PN_RESULT_TAG)) == 0)
            sscanf(line + strlen(PN_RESULT_TAG), "%d %d", &r, &f);
        else
            fputs(line, stdout);
    }
    fclose(j->out);
    if (r < 0 || !WIFEXITED(status)) {
        printf("%s/%s: runner died (%s %d) before reporting\n", j->c->suite, j->c->tcase,
               WIFSIGNALED(status) ? "signal" : "status",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        *failed += 1;
        *run += 1;
    } else {
        *run += r;
        *failed += f;
    }
    printf("--- %s/%s: %d checks, %d failed, %.1f s\n", j->c->suite, j->c->tcase, r, f,
           (double)(t1.tv_sec - j->t0.tv_sec) + (double)(t1.tv_nsec - j->t0.tv_nsec) / 1e9);
    fflush(stdout);
}

/* PN_CHECK_JOBS=N: N test cases at a time, each in its own process with its output
 * kept apart and printed whole when it ends.  Suites must not share ports or files (they
 * bind port 0 or retry, and use mkdtemp). */
static int pn_run_parallel(int jobs)
{
    size_t order[PN_NCASES], n = 0, i, k, next = 0;
    unsigned char placed[PN_NCASES] = {0};
    pn_job running[16];
    int nrun = 0, run = 0, failed = 0;
    for (k = 0; k < sizeof pn_slow_first / sizeof pn_slow_first[0]; k++)
        for (i = 0; i < PN_NCASES; i++)
            if (!placed[i] && strcmp(pn_all_cases[i].suite, pn_slow_first[k]) == 0) {
                order[n++] = i;
                placed[i] = 1;
            }
    for (i = 0; i < PN_NCASES; i++)
        if (!placed[i])
            order[n++] = i;
    if (jobs > 16)
        jobs = 16;
    fflush(stdout);
    while (next < n || nrun > 0) {
        int status, slot;
        pid_t pid;
        while (nrun < jobs && next < n) {
            pn_job *j = &running[nrun];
            j->c = &pn_all_cases[order[next++]];
            j->out = tmpfile();
            if (j->out == NULL) {
                perror("tmpfile");
                return EXIT_FAILURE;
            }
            clock_gettime(CLOCK_MONOTONIC, &j->t0);
            j->pid = fork();
            if (j->pid < 0) {
                perror("fork");
                return EXIT_FAILURE;
            }
            if (j->pid == 0) {
                if (dup2(fileno(j->out), STDOUT_FILENO) < 0 ||
                    dup2(fileno(j->out), STDERR_FILENO) < 0)
                    _exit(127);
                pn_run_one(j->c);
            }
            nrun++;
        }
        pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            perror("waitpid");
            return EXIT_FAILURE;
        }
        for (slot = 0; slot < nrun && running[slot].pid != pid; slot++)
            ;
        if (slot == nrun)
            continue; /* not one of ours */
        pn_collect(&running[slot], status, &run, &failed);
        running[slot] = running[--nrun];
    }
    printf("%d%%: Checks: %d, Failures: %d (%u test cases of %u suites, %d at a time)\n",
           run > 0 ? (run - failed) * 100 / run : 0, run, failed, (unsigned)PN_NCASES,
           (unsigned)PN_NSUITES, jobs);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int main(void)
{
    const char *jobs = getenv("PN_CHECK_JOBS");
    const char *fork_mode = getenv("CK_FORK");
    int n = jobs != NULL ? atoi(jobs) : 1;
    /* One suite or case, no-fork mode (valgrind) and log files stay sequential. */
    if (n <= 1 || getenv("CK_RUN_SUITE") != NULL || getenv("CK_RUN_CASE") != NULL ||
        (fork_mode != NULL && strcmp(fork_mode, "no") == 0) ||
        getenv("CK_XML_LOG_FILE_NAME") != NULL || getenv("CK_LOG_FILE_NAME") != NULL)
        return pn_run_sequential();
    return pn_run_parallel(n);
}
