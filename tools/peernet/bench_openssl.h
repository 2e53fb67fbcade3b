/* Reference figures for `peernet bench`: the same operation timed by `openssl speed`
 * in the same run, so a ratio compares like with like on the machine at hand. */
#ifndef PN_BENCH_OPENSSL_H
#define PN_BENCH_OPENSSL_H

/* Run `openssl speed -mr -seconds 1 [-bytes BYTES] ALG` and return its figure.
 *   alg:   the arguments after the options, e.g. "sha256", "-evp aes-128-cbc",
 *          "rsa2048" (letters, digits, '-', '_' and spaces only).
 *   bytes: block size for throughput algorithms; the result is then MB/s (1e6 bytes
 *          per second).  With bytes <= 0 the result is operations per second from the
 *          first column of a public-key line (sign/s for RSA); see _col for others.
 *   env:   NULL, or one "NAME=VALUE" environment setting for the openssl process, e.g.
 *          "OPENSSL_ia32cap=:~0x20000000" to disable SHA-NI.
 * Returns a negative value when openssl is missing or its output cannot be read. */
double pn_bench_openssl_speed(const char *alg, int bytes, const char *env);

/* As above for public-key algorithms, picking a column of the ops/s line:
 * 0 = sign (or the first figure), 1 = verify (or the second). */
double pn_bench_openssl_speed_col(const char *alg, int bytes, const char *env, int col);

/* Seconds of CPU time used by this process.  `openssl speed` times its loops in user
 * CPU time (not wall-clock) unless given -elapsed, so a benchmark compared with it must
 * measure the same way or preemption by other processes skews the ratio. */
double pn_bench_cpu_now(void);

/* Ratio reference for a SHA benchmark: the environment string that disables SHA-NI in
 * OpenSSL (CPUID leaf 7 EBX bit 29), so a portable C implementation is compared with
 * OpenSSL's best non-SHA-extension code path. */
#define PN_BENCH_OPENSSL_NO_SHANI "OPENSSL_ia32cap=:~0x20000000"

#endif
