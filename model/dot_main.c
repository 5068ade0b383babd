/* SPDX-License-Identifier: MIT */
/*
 * dot_main.c — `model-dot DIR`: write every diagram as DIR/NAME.dot.
 */
#include <stdio.h>

#include "dot.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: model-dot OUTPUT-DIR\n");
        return 2;
    }
    for (const char *const *n = model_dot_diagrams; *n; n++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.dot", argv[1], *n);
        FILE *f = fopen(path, "w");
        if (!f) {
            perror(path);
            return 1;
        }
        int rc = model_dot_write(*n, f);
        if (fclose(f) || rc) {
            fprintf(stderr, "model-dot: cannot write %s\n", path);
            return 1;
        }
        printf("model-dot: wrote %s\n", path);
    }
    return 0;
}
