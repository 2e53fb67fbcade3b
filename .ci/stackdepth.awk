# Worst-case stack depth of every function, from GCC's -fcallgraph-info=su files (.ci):
# the function's own frame plus the deepest chain of callees, following the call graph
# across all the files given.
#   Usage: awk [-v ind=FUNC] -f .ci/stackdepth.awk FILE.ci...
# Prints one line per defined function: NAME FILE DEPTH FLAGS PATH.  DEPTH is in bytes, or
# "unbounded".  FLAGS is "-" or a combination of
#   R  recursion (DEPTH unbounded),
#   D  a frame of unbounded dynamic size (DEPTH unbounded),
#   I  an indirect call (DEPTH excludes what the called function uses),
#   i  an indirect call counted as a call to FUNC (given with -v ind=FUNC),
#   X  a call to a function outside these files, counted as 0 bytes (memcpy, memset,
#      memmove, memcmp);
# PATH is the deepest chain, names joined by ">".  GCC titles static functions
# FILE:NAME, so names do not collide across files.  Calls GCC adds itself (libgcc
# helpers such as __aeabi_uidiv) are not in the graph; tail calls are counted as nested.
function field(name, s, i) {
    i = index($0, name ": \"")
    if (i == 0)
        return ""
    s = substr($0, i + length(name) + 3)
    return substr(s, 1, index(s, "\"") - 1)
}
/^node:/ {
    t = field("title")
    lab = field("label")
    if (match(lab, /\\n[0-9]+ bytes \([a-z,]+\)/)) {
        split(substr(lab, RSTART + 2, RLENGTH - 2), a, " ")
        frame[t] = a[1] + 0
        defined[t] = 1
        # "dynamic,bounded" frames report their bound; only plain "dynamic" is open.
        if (a[3] == "(dynamic)")
            dyn[t] = 1
        split(lab, b, "\\\\n")
        sub(/:[0-9]+:[0-9]+$/, "", b[2])
        file[t] = b[2]
    }
    next
}
/^edge:/ {
    s = field("sourcename")
    d = field("targetname")
    if (!((s, d) in seen)) {
        seen[s, d] = 1
        ncallee[s]++
        callee[s, ncallee[s]] = d
    }
}
# Sets F to the flags of f's subtree and returns its depth.
function depth(f, i, best, bestf, bc, d, flags, c) {
    if (f in memo) {
        F = memof[f]
        return memo[f]
    }
    if (f in onstack) {
        F = "R"
        return 0
    }
    if (f == "__indirect_call") {
        if (ind != "" && ind in defined) {
            d = depth(ind)
            F = merge(F, "i")
            deepest[f] = ind
            return d
        }
        F = "I"
        return 0
    }
    if (!(f in defined)) {
        F = "X"
        return 0
    }
    onstack[f] = 1
    best = 0
    flags = (f in dyn) ? "D" : ""
    bc = ""
    for (i = 1; i <= ncallee[f]; i++) {
        c = callee[f, i]
        d = depth(c)
        flags = merge(flags, F)
        if (d > best || (bc == "" && !(c in onstack))) {
            best = d
            bc = c
        }
    }
    delete onstack[f]
    memo[f] = frame[f] + best
    memof[f] = flags
    deepest[f] = bc
    F = flags
    return memo[f]
}
function merge(a, b, k, ch) {
    for (k = 1; k <= length(b); k++) {
        ch = substr(b, k, 1)
        if (index(a, ch) == 0)
            a = a ch
    }
    return a
}
END {
    for (f in defined) {
        d = depth(f)
        fl = memof[f]
        # Keep the flags in a fixed order: R D I X.
        out = ""
        if (index(fl, "R")) out = out "R"
        if (index(fl, "D")) out = out "D"
        if (index(fl, "I")) out = out "I"
        if (index(fl, "i")) out = out "i"
        if (index(fl, "X")) out = out "X"
        if (out ~ /[RD]/)
            d = "unbounded"
        print f, file[f], d, (out == "" ? "-" : out), pathof(f)
    }
}
function pathof(f, p, n, g, seen) {
    p = ""
    g = f
    for (n = 0; g != "" && !(g in seen) && n < 64; n++) {
        seen[g] = 1
        name = g
        sub(/^.*:/, "", name)
        p = p (p == "" ? "" : ">") name
        g = (g in deepest) ? deepest[g] : ""
    }
    return p
}
