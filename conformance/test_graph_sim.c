/* `peernet sim graph`: Peer Graphing nodes on the simulator converge to identical
 * databases, and the same seed gives the same run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "pn_test.h"

/* Run the tool with args; returns the exit status and the JSON line in out. */
static int run_sim(const char *args, char *out, size_t cap)
{
    char cmd[1024];
    const char *tool = getenv("PN_TOOL");
    FILE *p;
    int rc;
    if (tool == NULL)
        tool = "build/peernet";
    snprintf(cmd, sizeof cmd, "'%s' sim graph %s --json 2>/dev/null", tool, args);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    out[0] = '\0';
    if (fgets(out, (int)cap, p) == NULL)
        out[0] = '\0';
    rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The number after "key": in the JSON line (after `after`, when given); fails when absent. */
static double json_num(const char *s, const char *after, const char *key)
{
    char k[96];
    const char *p = after != NULL ? strstr(s, after) : s;
    ck_assert_ptr_nonnull(p);
    snprintf(k, sizeof k, "\"%s\":", key);
    p = strstr(p, k);
    ck_assert_ptr_nonnull(p);
    return strtod(p + strlen(k), NULL);
}

/* The JSON without its wall-clock field (the only one allowed to differ). */
static void strip_wall(char *s)
{
    char *w = strstr(s, "\"wall_seconds\":");
    if (w != NULL) {
        char *e = strchr(w, ',');
        if (e != NULL)
            memmove(w, e + 1, strlen(e + 1) + 1);
    }
}

START_TEST(graph_sim_converges_identically_and_deterministically)
{
    char a[16384], b[16384];
    PN_REQ("GRAPH-3.1.5.2.10-05");
    ck_assert_int_eq(run_sim("--nodes 20 --records 80 --seed 7", a, sizeof a), 0);
    ck_assert_ptr_nonnull(strstr(a, "\"converged\":true"));
    ck_assert_ptr_nonnull(strstr(a, "\"distinct_digests\":1,"));
    ck_assert_ptr_nonnull(strstr(a, "\"nodes\":20,"));
    ck_assert_ptr_nonnull(strstr(a, "\"records\":80,"));
    ck_assert_ptr_nonnull(strstr(a, "\"msgs_per_record\":"));
    ck_assert_ptr_null(strstr(a, "\"max_receipts_per_record_per_node\":8"));
    ck_assert_ptr_nonnull(strstr(a, "\"receipts_over_links_nodes\":0,"));
    ck_assert_int_eq(run_sim("--nodes 20 --records 80 --seed 7", b, sizeof b), 0);
    strip_wall(a);
    strip_wall(b);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(run_sim("--nodes 20 --records 80 --seed 8", b, sizeof b), 0);
    strip_wall(b);
    ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(graph_sim_heals_partition_under_loss)
{
    char a[16384];
    PN_REQ("GRAPH-3.1.7.31-03");
    ck_assert_int_eq(
        run_sim("--nodes 16 --records 60 --seed 3 --partition --loss 0.02", a, sizeof a), 0);
    ck_assert_ptr_nonnull(strstr(a, "\"converged\":true"));
    ck_assert_ptr_nonnull(strstr(a, "\"distinct_digests\":1,"));
    ck_assert_ptr_nonnull(strstr(a, "\"heal_hash_sync\":{"));
    ck_assert_ptr_nonnull(strstr(a, "\"within_target\":true"));
}
END_TEST

/* A partition with thousands of records on each side: ADVERTISEs are cut short, and a
 * round that showed nothing to move used to end the hash sync with ranges never compared
 * (seed 1 left 7 nodes without 267 records before decision GE-46). */
START_TEST(graph_sim_partition_heals_when_advertise_is_cut_short)
{
    char a[16384];
    PN_REQ("GRAPH-3.1.7.31-04");
    ck_assert_int_eq(run_sim("--nodes 40 --records 3000 --partition --seed 1", a, sizeof a), 0);
    ck_assert_ptr_nonnull(strstr(a, "\"converged\":true"));
    ck_assert_ptr_nonnull(strstr(a, "\"distinct_digests\":1,"));
    ck_assert_ptr_nonnull(strstr(a, "\"within_target\":true"));
}
END_TEST

/* Issue #6: after a partition heals, hash sync sends only what is missing.  Every link
 * opened after the heal is measured from its WELCOME to its SYNC_DONE: the FLOODs its sync
 * asked for (REQUEST answers and Records To Send, both ways; decision GE-62) stay within
 * twice the bytes of the records its two ends lacked from each other, link by link, and so
 * do all FLOODs on the healing links together, relays of records that crossed on other
 * links included.  3000 records split 1500 / 1500, cut-short ADVERTISEs; seeds 1 and 4
 * (4 has the highest ratio of all FLOODs, 1.97 when measured; seeds 2 and 3 pass too and
 * are left out of the suite for its running time). */
static const unsigned heal_seeds[] = {1, 4};

START_TEST(graph_sim_heal_sync_sends_at_most_twice_the_missing_bytes)
{
    char a[16384], args[160];
    PN_REQ("GRAPH-3.1.7.31-06");
    {
        snprintf(args, sizeof args, "--nodes 40 --records 3000 --partition --seed %u",
                 heal_seeds[_i]);
        ck_assert_int_eq(run_sim(args, a, sizeof a), 0);
        ck_assert_ptr_nonnull(strstr(a, "\"distinct_digests\":1,"));
        ck_assert_double_ge(json_num(a, "\"heal_hash_sync\"", "links"), 1.0);
        ck_assert_double_ge(json_num(a, "\"heal_hash_sync\"", "missing_records"), 1000.0);
        ck_assert_double_gt(json_num(a, "\"heal_hash_sync\"", "sync_flood_bytes"), 0.0);
        ck_assert_double_le(json_num(a, "\"heal_hash_sync\"", "worst_link_sync_ratio"), 2.0);
        ck_assert_double_le(json_num(a, "\"heal_hash_sync\"", "flood_over_missing"), 2.0);
        ck_assert_ptr_nonnull(strstr(a, "\"within_target\":true"));
        ck_assert_ptr_nonnull(strstr(a, "\"heal_links\":[{"));
    }
}
END_TEST

/* 100 nodes: no node receives one record more often than it had neighbour links (seed 1
 * had two that did before decision GE-45: a REQUEST answered with a FLOOD already sent). */
START_TEST(graph_sim_receipts_bounded_by_neighbour_links)
{
    char a[16384];
    PN_REQ("GRAPH-3.1.5.2.10-05");
    ck_assert_int_eq(run_sim("--nodes 100 --records 3000 --seed 1", a, sizeof a), 0);
    ck_assert_ptr_nonnull(strstr(a, "\"converged\":true"));
    ck_assert_ptr_nonnull(strstr(a, "\"distinct_digests\":1,"));
    ck_assert_ptr_nonnull(strstr(a, "\"receipts_over_links_nodes\":0,"));
    /* this run ended with a node holding 8 neighbours before decision GE-61 */
    ck_assert_ptr_nonnull(strstr(a, "\"nodes_below_min_neighbours\":0,"));
    ck_assert_double_le(json_num(a, NULL, "neighbours_max"), 7.0);
}
END_TEST

/* Neighbour management over several seeds: every live node ends with at least Minimum
 * Neighbours (2) and none with more than Maximum (7).  Before decision GE-60 seeds 1, 3
 * and 6 each left one late joiner with its sole bootstrap link: it had joined a node whose
 * own first link was still opening, so its WELCOME carried no referral, and connection
 * maintenance looked at the Contact and Presence Lists only every 300 s.  Before GE-61 a
 * node whose own CONNECT was welcomed while incoming links filled its list ended with 8.
 * The seeds are those three (2, 4 and 5 pass too and are left out for running time). */
static const unsigned neighbour_seeds[] = {1, 3, 6};

START_TEST(graph_sim_every_node_keeps_minimum_neighbours_over_seeds)
{
    char a[16384], args[160];
    PN_REQ("GRAPH-3.1.7.14-01");
    PN_REQ("GRAPH-3.1.1-03");
    {
        snprintf(args, sizeof args, "--nodes 100 --records 300 --seed %u", neighbour_seeds[_i]);
        ck_assert_int_eq(run_sim(args, a, sizeof a), 0);
        ck_assert_ptr_nonnull(strstr(a, "\"converged\":true"));
        ck_assert_ptr_nonnull(strstr(a, "\"nodes_below_min_neighbours\":0,"));
        ck_assert_ptr_null(strstr(a, "\"neighbours_min\":0,"));
        ck_assert_ptr_null(strstr(a, "\"neighbours_min\":1,"));
        ck_assert_double_le(json_num(a, NULL, "neighbours_max"), 7.0);
    }
    if (_i > 0)
        return;
    /* and after a partition heals (links across the cut die, pruning runs on the timer) */
    ck_assert_int_eq(run_sim("--nodes 40 --records 600 --seed 2 --partition", a, sizeof a), 0);
    ck_assert_ptr_nonnull(strstr(a, "\"nodes_below_min_neighbours\":0,"));
    ck_assert_double_le(json_num(a, NULL, "neighbours_max"), 7.0);
}
END_TEST

/* The halves of a partition (split for 150 s after 200 s of settling) find each other
 * again only through partition detection: a contact record whose signature differs
 * from the signature record makes a node connect to that contact.  The wait allowed
 * (250 s after publishing) ends before graph maintenance's next look for neighbours, so
 * without internal records the same runs stay split. */
START_TEST(graph_sim_partition_repaired_by_detection_over_seeds)
{
    char a[16384], args[160];
    unsigned seed;
    PN_REQ("GRAPH-3.1.7.13-02");
    for (seed = 1; seed <= 6; seed++) {
        snprintf(args, sizeof args,
                 "--nodes 16 --records 60 --seed %u --partition --max-wait-ms 250000", seed);
        ck_assert_int_eq(run_sim(args, a, sizeof a), 0);
        ck_assert_ptr_nonnull(strstr(a, "\"converged\":true"));
        ck_assert_ptr_nonnull(strstr(a, "\"distinct_digests\":1,"));
        ck_assert_ptr_nonnull(strstr(a, "\"components\":1,"));
        ck_assert_ptr_null(strstr(a, "\"repair_connects\":0}"));
    }
    ck_assert_int_eq(run_sim("--nodes 16 --records 60 --seed 1 --partition --max-wait-ms 250000 "
                             "--no-internal",
                             a, sizeof a),
                     1);
    ck_assert_ptr_nonnull(strstr(a, "\"converged\":false"));
}
END_TEST

/* Nodes killed while records are published reopen their stored database every time with
 * everything they had saved, and the graph still converges (only records that died
 * unsaved with their publisher may be missing, and the tool accounts for each). */
START_TEST(graph_sim_crashes_reopen_stored_databases)
{
    char a[16384];
    PN_REQ("GRAPH-3.1.7.30-02");
    ck_assert_int_eq(
        run_sim("--nodes 24 --records 120 --seed 4 --crash 8 --loss 0.02", a, sizeof a), 0);
    ck_assert_ptr_nonnull(strstr(a, "\"crashes\":8,"));
    ck_assert_ptr_null(strstr(a, "\"reloads\":0,")); /* a victim that never saved has none */
    ck_assert_ptr_nonnull(strstr(a, "\"reload_failures\":0,"));
    ck_assert_ptr_nonnull(strstr(a, "\"reload_lost\":0,"));
    ck_assert_ptr_nonnull(strstr(a, "\"missing_records\":0,"));
    ck_assert_ptr_nonnull(strstr(a, "\"distinct_digests\":1,"));
}
END_TEST

START_TEST(graph_sim_usage_errors)
{
    char a[16384];
    ck_assert_int_eq(run_sim("--nodes 1", a, sizeof a), 2);
    ck_assert_int_eq(run_sim("--bogus", a, sizeof a), 2);
    ck_assert_int_eq(run_sim("--loss 2", a, sizeof a), 2);
}
END_TEST

PN_SUITE(graph_sim)
{
    Suite *s = suite_create("graph_sim");
    TCase *t = tcase_create("sim");
    tcase_set_timeout(t, 240);
    tcase_add_test(t, graph_sim_converges_identically_and_deterministically);
    tcase_add_test(t, graph_sim_heals_partition_under_loss);
    tcase_add_test(t, graph_sim_partition_repaired_by_detection_over_seeds);
    tcase_add_test(t, graph_sim_partition_heals_when_advertise_is_cut_short);
    tcase_add_test(t, graph_sim_crashes_reopen_stored_databases);
    tcase_add_test(t, graph_sim_usage_errors);
    suite_add_tcase(s, t);
    /* The long runs in cases of their own, so a parallel `make check` spreads them. */
    t = tcase_create("receipts");
    tcase_set_timeout(t, 240);
    tcase_add_test(t, graph_sim_receipts_bounded_by_neighbour_links);
    suite_add_tcase(s, t);
    t = tcase_create("neighbours");
    tcase_set_timeout(t, 240);
    tcase_add_loop_test(t, graph_sim_every_node_keeps_minimum_neighbours_over_seeds, 0,
                        (int)(sizeof neighbour_seeds / sizeof neighbour_seeds[0]));
    suite_add_tcase(s, t);
    t = tcase_create("heal");
    tcase_set_timeout(t, 240);
    tcase_add_loop_test(t, graph_sim_heal_sync_sends_at_most_twice_the_missing_bytes, 0,
                        (int)(sizeof heal_seeds / sizeof heal_seeds[0]));
    suite_add_tcase(s, t);
    return s;
}
