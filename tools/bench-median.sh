#!/bin/sh
# Run "peernet bench GROUP" N times and print, per figure, the median over the runs of
# its value, its reference and its ratio (a single run on a shared machine swings by
# 20-30 %).  Usage: tools/bench-median.sh [GROUP [N]]  (default pnrp_wire 11;
# PEERNET=path picks the binary, default build/peernet).
set -e
bin=${PEERNET:-build/peernet}
group=${1:-pnrp_wire}
n=${2:-11}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
i=0
while [ "$i" -lt "$n" ]; do
    "$bin" bench "$group" | grep '^bench ' >>"$tmp"
    i=$((i + 1))
done
# Field 3 is the value, 6 the reference, 8 the ratio ("bench NAME V UNIT ref R ratio X").
med() {
    grep "^bench $1 " "$tmp" | awk -v f="$2" '{ print $f }' | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for name in $(awk '{ print $2 }' "$tmp" | awk '!seen[$0]++'); do
    unit=$(grep -m1 "^bench $name " "$tmp" | awk '{ print $4 }')
    if grep -m1 "^bench $name " "$tmp" | grep -q ' ratio '; then
        echo "median $name $(med "$name" 3) $unit ref $(med "$name" 6) ratio $(med "$name" 8) ($n runs)"
    else
        echo "median $name $(med "$name" 3) $unit ($n runs)"
    fi
done
