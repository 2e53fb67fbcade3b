# Lists every test case as PN_CASE(suite, "tcase") for the parallel runner in main.c.
# Each test file declares one PN_SUITE and names its cases with string literals; a case
# created any other way stops the build, so the parallel run can never skip one.
FNR == 1 { suite = "" }
/^PN_SUITE\(/ {
    match($0, /\([a-z0-9_]+\)/)
    suite = substr($0, RSTART + 1, RLENGTH - 2)
}
/tcase_create\(/ {
    if (match($0, /tcase_create\("[^"]+"\)/) == 0 || suite == "") {
        print FILENAME ": test case not named by a literal after PN_SUITE: " $0 > "/dev/stderr"
        bad = 1
        exit 1
    }
    name = substr($0, RSTART + 14, RLENGTH - 16)
    if ((suite, name) in seen) {
        print FILENAME ": test case " name " twice in suite " suite > "/dev/stderr"
        bad = 1
        exit 1
    }
    seen[suite, name] = 1
    print "PN_CASE(" suite ", \"" name "\")"
}
END { if (bad) exit 1 }
