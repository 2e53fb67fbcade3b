/* `openssl speed` runner for benchmark reference figures (see bench_openssl.h).
 *
 * The machine-readable mode (-mr) prints "+F:index:name:v1:v2..." for throughput
 * algorithms (bytes per second per block size) and "+F2:index:bits:sign:verify" (and
 * +F3, +F4... for other public-key families) with operations per second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_openssl.h"

static int safe_arg(const char *s, int allow_space)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++) {
        char ch = *s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || (allow_space && ch == ' '))
            continue;
        return 0;
    }
    return 1;
}

/* "NAME=VALUE" with a shell-safe NAME and a VALUE without single quotes. */
static int safe_env(const char *env)
{
    const char *eq = strchr(env, '=');
    const char *p;
    if (eq == NULL || eq == env)
        return 0;
    for (p = env; p < eq; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
              (p > env && *p >= '0' && *p <= '9')))
            return 0;
    return strchr(eq, '\'') == NULL;
}

/* The col-th numeric field after the prefix "+F:i:name:" (throughput) or
 * "+Fn:i:bits:" (public key).  Returns -1 when the line does not have it. */
static double field_after(const char *line, int skip, int col)
{
    const char *p = line;
    int i;
    char *end;
    double v;
    for (i = 0; i < skip + col; i++) {
        p = strchr(p, ':');
        if (p == NULL)
            return -1;
        p++;
    }
    v = strtod(p, &end);
    if (end == p)
        return -1;
    return v;
}

double pn_bench_openssl_speed_col(const char *alg, int bytes, const char *env, int col)
{
    char cmd[512], line[1024];
    FILE *f;
    double result = -1;
    int n;
    if (!safe_arg(alg, 1) || (env != NULL && !safe_env(env)) || col < 0)
        return -1;
    if (system("command -v openssl >/dev/null 2>&1") != 0)
        return -1;
    if (bytes > 0)
        n = snprintf(cmd, sizeof cmd,
                     "%s%s%s openssl speed -mr -seconds 1 -bytes %d %s 2>/dev/null",
                     env ? "env '" : "", env ? env : "", env ? "'" : "", bytes, alg);
    else
        n = snprintf(cmd, sizeof cmd, "%s%s%s openssl speed -mr -seconds 1 %s 2>/dev/null",
                     env ? "env '" : "", env ? env : "", env ? "'" : "", alg);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return -1;
    f = popen(cmd, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (result >= 0)
            continue; /* drain the pipe */
        if (bytes > 0 && strncmp(line, "+F:", 3) == 0) {
            /* +F:index:name:bytes-per-second (one figure: the one -bytes size) */
            double v = field_after(line, 3, col);
            if (v >= 0)
                result = v / 1e6;
        } else if (bytes <= 0 && line[0] == '+' && line[1] == 'F' && line[2] >= '2' &&
                   line[2] <= '9' && line[3] == ':') {
            result = field_after(line, 3, col);
        }
    }
    if (pclose(f) != 0)
        return -1;
    return result;
}

double pn_bench_openssl_speed(const char *alg, int bytes, const char *env)
{
    return pn_bench_openssl_speed_col(alg, bytes, env, 0);
}

double pn_bench_cpu_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return (double)clock() / CLOCKS_PER_SEC;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
