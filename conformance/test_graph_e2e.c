/* End to end: `peernet graph` processes on [::1] (the tool named by PN_TOOL, as the
 * posix probe test does).  Three nodes: A creates the graph and publishes, B and C
 * join (C with a record of its own, B publishing one once it is in), every node prints
 * every record; then the newsletter case: A leaves for good and
 * a new subscriber D joins through B and receives every issue.
 *
 * Robustness: every node binds port 0 and the test reads the port it got from its
 * "listening on" line; every wait is bounded; each child also has --exit-after as a
 * backstop, and every failure path kills the children first. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "pn_test.h"

#define N_KIDS     4
#define WAIT_MS    10000
#define BACKSTOP_S "25"

struct kid {
    pid_t pid;
    char out[256], err[256];
};

static struct kid kids[N_KIDS];
static char tmpdir[128];

static void kill_all(void)
{
    int i, st;
    for (i = 0; i < N_KIDS; i++)
        if (kids[i].pid > 0) {
            kill(kids[i].pid, SIGKILL);
            waitpid(kids[i].pid, &st, 0);
            kids[i].pid = 0;
        }
}

#define CHECK(cond, msg)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            kill_all();                                                                            \
            clean_tmp();                                                                           \
            ck_abort_msg("%s", msg);                                                               \
        }                                                                                          \
    } while (0)

/* Remove the temporary directory and what the nodes wrote there. */
static void clean_tmp(void)
{
    char path[256];
    int i;
    for (i = 0; i < N_KIDS; i++) {
        snprintf(path, sizeof path, "%s/%c.out", tmpdir, 'a' + i);
        unlink(path);
        snprintf(path, sizeof path, "%s/%c.err", tmpdir, 'a' + i);
        unlink(path);
    }
    for (i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/b.db.%d", tmpdir, i);
        unlink(path);
        snprintf(path, sizeof path, "%s/b.db.%d~", tmpdir, i);
        unlink(path);
    }
    rmdir(tmpdir);
}

static void sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static void spawn(int k, const char *tool, const char *const argv[])
{
    pid_t pid;
    snprintf(kids[k].out, sizeof kids[k].out, "%s/%c.out", tmpdir, 'a' + k);
    snprintf(kids[k].err, sizeof kids[k].err, "%s/%c.err", tmpdir, 'a' + k);
    pid = fork();
    CHECK(pid >= 0, "fork failed");
    if (pid == 0) {
        int o = open(kids[k].out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(kids[k].err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0)
            _exit(127);
        dup2(o, STDOUT_FILENO);
        dup2(e, STDERR_FILENO);
        execv(tool, (char *const *)(uintptr_t)argv); /* execv does not write them */
        _exit(127);
    }
    kids[k].pid = pid;
}

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f != NULL) {
        n = fread(buf, 1, cap - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
}

/* Wait until the child's stderr names its listening address; copy it to addr. */
static void wait_listen(int k, char *addr, size_t cap)
{
    char text[4096], *p;
    int t;
    for (t = 0; t < WAIT_MS; t += 20) {
        slurp(kids[k].err, text, sizeof text);
        p = strstr(text, "listening on ");
        if (p != NULL && strchr(p, '\n') != NULL) {
            p += 13;
            p[strcspn(p, "\n")] = '\0';
            snprintf(addr, cap, "%s", p);
            return;
        }
        sleep_ms(20);
    }
    CHECK(0, "a node never reported its listening address");
}

/* Wait until the child's stdout holds an "added ... TEXT" line for every text. */
static int has_all(int k, const char *const texts[])
{
    char out[8192], line[64];
    int i;
    slurp(kids[k].out, out, sizeof out);
    for (i = 0; texts[i] != NULL; i++) {
        snprintf(line, sizeof line, "} %s\n", texts[i]);
        if (strstr(out, line) == NULL || strstr(out, "added {") == NULL)
            return 0;
    }
    return 1;
}

static void wait_all(int k, const char *const texts[], const char *msg)
{
    int t;
    for (t = 0; t < WAIT_MS && !has_all(k, texts); t += 50)
        sleep_ms(50);
    CHECK(has_all(k, texts), msg);
}

/* SIGTERM, then the exit status (the node leaves and exits by itself). */
static int stop(int k)
{
    int st, t;
    pid_t r = 0;
    kill(kids[k].pid, SIGTERM);
    for (t = 0; t < WAIT_MS && (r = waitpid(kids[k].pid, &st, WNOHANG)) == 0; t += 20)
        sleep_ms(20);
    if (r != kids[k].pid)
        return -1;
    kids[k].pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_quick(const char *tool, const char *const argv[])
{
    int st;
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_WRONLY);
        dup2(nul, STDOUT_FILENO);
        dup2(nul, STDERR_FILENO);
        execv(tool, (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

/* The publisher part of the Record ID printed for TEXT ("added {ID} TEXT"): the first 8
 * bytes, derived from the record's Creator ID; "" when the line is missing. */
static void publisher_of(const char *out, const char *text, char pub[20])
{
    const char *line = out;
    pub[0] = '\0';
    while (line != NULL && *line != '\0') {
        const char *nl = strchr(line, '\n'), *brace = strstr(line, "} ");
        size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
        if (strncmp(line, "added {", 7) == 0 && brace != NULL && brace < line + len &&
            strlen(text) == (size_t)(line + len - brace - 2) &&
            strncmp(brace + 2, text, strlen(text)) == 0) {
            memcpy(pub, line + 7, 19);
            pub[19] = '\0';
            return;
        }
        line = nl != NULL ? nl + 1 : NULL;
    }
}

START_TEST(graph_e2e_three_processes_and_newsletter)
{
    const char *tool = getenv("PN_TOOL");
    char a_addr[80], b_addr[80], db[200], text[8192];
    const char *issues[] = {"issue-1", "issue-2", "issue-3", NULL};
    const char *every[] = {"issue-1", "issue-2", "issue-3", "from-c", "from-b", NULL};
    const char *a_argv[] = {"peernet",   "graph",        "--graph",   "e2e-news",
                            "--bind",    "[::1]:0",      "--publish", "issue-1",
                            "--publish", "issue-2",      "--publish", "issue-3",
                            "--watch",   "--exit-after", BACKSTOP_S,  NULL};
    const char *b_argv[] = {"peernet",         "graph",     "--graph", "e2e-news",  "--bind",
                            "[::1]:0",         "--connect", a_addr,    "--publish", "from-b",
                            "--publish-after", "0.2",       "--watch", "--db",      db,
                            "--exit-after",    BACKSTOP_S,  NULL};
    const char *c_argv[] = {"peernet", "graph",        "--graph",  "e2e-news",  "--bind",
                            "[::1]:0", "--connect",    a_addr,     "--publish", "from-c",
                            "--watch", "--exit-after", BACKSTOP_S, NULL};
    const char *d_argv[] = {"peernet",   "graph", "--graph", "e2e-news",     "--bind",   "[::1]:0",
                            "--connect", b_addr,  "--watch", "--exit-after", BACKSTOP_S, NULL};
    const char *bad_argv[] = {"peernet", "graph", "--graph", "x", NULL};
    const char *bad_peer_argv[] = {"peernet", "graph",  "--graph", "x", "--bind",
                                   "[::1]:0", "--peer", "",        NULL};
    const char *help_argv[] = {"peernet", "graph", "--help", NULL};
    const char *lone_argv[] = {"peernet",   "graph",   "--graph",      "x",   "--bind", "[::1]:0",
                               "--connect", "[::1]:1", "--exit-after", "0.3", NULL};
    PN_REQ("GRAPH-3.1.7.29-02");
    PN_REQ("GRAPH-3.1.7.29-03");
    PN_REQ("GRAPH-3.1.4.12-02");
    if (tool == NULL || tool[0] == '\0') {
        printf("graph_e2e_three_processes_and_newsletter: PN_TOOL not set, skipped\n");
        return;
    }
    memset(kids, 0, sizeof kids);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pn_graph_e2e_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(db, sizeof db, "%s/b.db", tmpdir);

    ck_assert_int_eq(run_quick(tool, bad_argv), 2);
    ck_assert_int_eq(run_quick(tool, bad_peer_argv), 2);
    ck_assert_int_eq(run_quick(tool, help_argv), 0);
    ck_assert_int_eq(run_quick(tool, lone_argv), 1); /* nobody there: never joined */

    spawn(0, tool, a_argv);
    wait_listen(0, a_addr, sizeof a_addr);
    spawn(1, tool, b_argv);
    spawn(2, tool, c_argv);
    wait_listen(1, b_addr, sizeof b_addr);
    /* Every node prints every record: A's three issues, C's record (published before it
     * joined: synchronisation) and B's (published after it synchronised: flooding). */
    wait_all(0, every, "A did not print every record");
    wait_all(1, every, "B did not print every record");
    wait_all(2, every, "C did not print every record");

    /* The newsletter: the publisher leaves for good (and C with it); a new subscriber
     * joins through B afterwards and still receives every issue. */
    CHECK(stop(0) == 0, "A did not exit 0 on SIGTERM");
    CHECK(stop(2) == 0, "C did not exit 0 on SIGTERM");
    spawn(3, tool, d_argv);
    wait_all(3, issues, "the late subscriber D did not receive every issue");
    wait_all(3, every, "the late subscriber D did not receive B's and C's records");
    CHECK(stop(3) == 0, "D did not exit 0 on SIGTERM");
    CHECK(stop(1) == 0, "B did not exit 0 on SIGTERM");
    slurp(kids[3].out, text, sizeof text);
    ck_assert_ptr_null(strstr(text, "deleted"));
    /* Each process is a member of its own (Peer ID peernet@ADDR): its records carry its
     * Creator ID, so records of A, B and C have three publishers (GE-72/73). */
    {
        char pa[20], pb[20], pc[20], pa2[20];
        publisher_of(text, "issue-1", pa);
        publisher_of(text, "issue-3", pa2);
        publisher_of(text, "from-b", pb);
        publisher_of(text, "from-c", pc);
        ck_assert_uint_eq(strlen(pa), 19);
        ck_assert_uint_eq(strlen(pb), 19);
        ck_assert_uint_eq(strlen(pc), 19);
        ck_assert_str_eq(pa, pa2);
        ck_assert_str_ne(pa, pb);
        ck_assert_str_ne(pa, pc);
        ck_assert_str_ne(pb, pc);
    }
    /* B saved its database on the way out: both copies of the store (GE-40). */
    {
        char copy[300];
        int k;
        for (k = 0; k < 2; k++) {
            FILE *f;
            snprintf(copy, sizeof copy, "%s.%d", db, k);
            f = fopen(copy, "rb");
            ck_assert_ptr_nonnull(f);
            fclose(f);
        }
    }
    kill_all();
    clean_tmp();
}
END_TEST

/* The newsletter scenario on the simulator (`peernet sim graph --newsletter`): the
 * publisher of every issue is gone for good before the last subscriber joins, and that
 * subscriber still ends up with every issue, from the other subscribers alone. */
START_TEST(graph_e2e_sim_newsletter_late_subscriber_gets_every_issue)
{
    const char *tool = getenv("PN_TOOL");
    char cmd[1024], out[4096];
    FILE *p;
    int rc;
    PN_REQ("GRAPH-3.1.7.29-03");
    if (tool == NULL || tool[0] == '\0')
        tool = "build/peernet";
    snprintf(cmd, sizeof cmd,
             "'%s' sim graph --newsletter --nodes 8 --records 200 --seed 5 --json 2>/dev/null",
             tool);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    if (fgets(out, (int)sizeof out, p) == NULL)
        out[0] = '\0';
    rc = pclose(p);
    ck_assert(WIFEXITED(rc));
    ck_assert_int_eq(WEXITSTATUS(rc), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"newsletter\":true"));
    ck_assert_ptr_nonnull(strstr(out, "\"crashes\":1,"));
    ck_assert_ptr_nonnull(strstr(out, "\"late_subscriber_missing\":0}"));
    ck_assert_ptr_nonnull(strstr(out, "\"converged\":true"));
    ck_assert_ptr_nonnull(strstr(out, "\"distinct_digests\":1,"));
    /* --newsletter needs a publisher, a relay and a late subscriber. */
    snprintf(cmd, sizeof cmd, "'%s' sim graph --newsletter --nodes 2 >/dev/null 2>&1", tool);
    rc = system(cmd);
    ck_assert(WIFEXITED(rc));
    ck_assert_int_eq(WEXITSTATUS(rc), 2);
}
END_TEST

PN_SUITE(graph_e2e)
{
    Suite *s = suite_create("graph_e2e");
    TCase *tc = tcase_create("processes");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, graph_e2e_three_processes_and_newsletter);
    tcase_add_test(tc, graph_e2e_sim_newsletter_late_subscriber_gets_every_issue);
    suite_add_tcase(s, tc);
    return s;
}
