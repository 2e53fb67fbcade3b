/* peernet: one command with subcommands.  `peernet help` lists them. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "peernet/opts.h"

#ifndef PN_VERSION_STRING
#define PN_VERSION_STRING "unknown"
#endif

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
#define PN_CMD(name, summary) {#name, pn_cmd_##name, summary},
#include "commands.def"
#undef PN_CMD
};

static void usage(FILE *out)
{
    size_t i;
    fprintf(out, "usage: peernet COMMAND [ARGS...]\n\ncommands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`peernet COMMAND --help` describes one command.\n");
}

int pn_cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: peernet version\n");
        return PN_EXIT_USAGE;
    }
    printf("peernet %s\n", PN_VERSION_STRING);
    printf("profile %d  pnrp %d  register %d  graphing %d  grouping-security %d\n", PN_PROFILE,
           PN_FEATURE_PNRP, PN_FEATURE_PNRP_REGISTER, PN_FEATURE_GRAPHING,
           PN_FEATURE_GROUPING_SECURITY);
    printf("limits: rsa-bits %d  udp %d  pnrp-cache %d\n", PN_RSA_MAX_BITS, PN_UDP_MAX,
           PN_PNRP_CACHE_MAX);
    return PN_EXIT_OK;
}

int main(int argc, char **argv)
{
    size_t i;
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? PN_EXIT_USAGE : PN_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return pn_cmd_version(1, argv + 1);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "peernet: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return PN_EXIT_USAGE;
}
