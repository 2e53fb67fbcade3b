/* Plain replay driver for the fuzz harnesses (any C compiler, no libFuzzer): runs
 * LLVMFuzzerTestOneInput on every file named on the command line or found in the
 * directories named, so CI replays each corpus as regression tests. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char buf[1 << 20];

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* Hand the harness an exact-size heap copy so sanitizers see any over-read. */
    {
        uint8_t *copy = malloc(n ? n : 1);
        if (copy == NULL)
            return 1;
        memcpy(copy, buf, n);
        LLVMFuzzerTestOneInput(copy, n);
        free(copy);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int i, files = 0, bad = 0;
    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *e;
            char path[4096];
            while (d != NULL && (e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.')
                    continue;
                snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
                bad |= run_file(path);
                files++;
            }
            if (d != NULL)
                closedir(d);
        } else {
            bad |= run_file(argv[i]);
            files++;
        }
    }
    printf("replay %s: %d inputs, %s\n", argc > 1 ? argv[1] : "(none)", files,
           bad ? "errors" : "ok");
    return bad;
}
