# peernet — one GNU Makefile, no generator.  `make help` lists the targets.
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

VERSION := 0.1.0
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
AR      ?= ar
OPT     ?= -O2 -g
SAN     ?=

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wvla -Wundef -Wcast-qual -Wwrite-strings -Werror
CPPFLAGS_ALL := -Iinclude -Isrc -DPN_VERSION_STRING='"$(VERSION)"' $(CPPFLAGS)
CFLAGS_ALL   := -std=c99 $(WARN) $(OPT) $(SAN) $(CFLAGS)
# Tools and tests may use POSIX (clock_gettime, getopt, poll...).
HOST_DEFS    := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64

# ---- sources --------------------------------------------------------------------------
CORE_SRC  := $(sort $(wildcard src/wire/*.c src/crypto/*.c src/pnrp/*.c src/grouping/*.c \
                               src/platform/*.c))
SIM_SRC   := $(sort $(wildcard src/platform/sim/*.c))
POSIX_SRC := $(sort $(wildcard src/platform/posix/*.c))
LIB_SRC   := $(CORE_SRC) $(SIM_SRC) $(POSIX_SRC)
TOOL_SRC  := $(sort $(wildcard tools/peernet/*.c))
TEST_SRC  := $(sort $(wildcard conformance/*.c))
FUZZ_SRC  := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_NAMES := $(patsubst fuzz/fuzz_%.c,%,$(FUZZ_SRC))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)

LIB   := $(BUILD)/libpeernet.a
TOOL  := $(BUILD)/peernet
TESTS := $(BUILD)/pn_check

# ---- Check (tests only) ---------------------------------------------------------------
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

# ---- main targets ---------------------------------------------------------------------
.PHONY: all lib tool check check-valgrind check-ct check-s390x check-armhf check-embedded test \
        run bench sanitize cross size size-node profiles fuzz fuzz-smoke fuzz-replay fuzz-coverage fuzz-afl install \
        uninstall clean deps spec-coverage format format-check help

all: $(LIB) $(TOOL)
lib: $(LIB)
tool: $(TOOL)

$(BUILD)/obj/src/platform/posix/%.o: CPPFLAGS_EXTRA := $(HOST_DEFS)
$(BUILD)/obj/tools/%.o: CPPFLAGS_EXTRA := $(HOST_DEFS)
$(BUILD)/obj/conformance/%.o: CPPFLAGS_EXTRA := $(HOST_DEFS) -I$(BUILD)/gen
$(BUILD)/obj/conformance/%.o: CFLAGS_EXTRA = $(CHECK_CFLAGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CPPFLAGS_EXTRA) $(CFLAGS_ALL) $(CFLAGS_EXTRA) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(TOOL): $(TOOL_OBJ) $(LIB)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(LIB) -lm

# The suite list is found in the test sources: every `PN_SUITE(name)` is one suite.
$(BUILD)/gen/pn_suites.h: $(TEST_SRC)
	@mkdir -p $(@D)
	grep -ho '^PN_SUITE([a-z0-9_]*)' $(TEST_SRC) | sort -u > $@.tmp
	mv $@.tmp $@
$(BUILD)/gen/pn_cases.h: $(TEST_SRC) conformance/cases.awk
	@mkdir -p $(@D)
	awk -f conformance/cases.awk $(TEST_SRC) > $@.tmp
	mv $@.tmp $@
$(BUILD)/obj/conformance/main.o: $(BUILD)/gen/pn_suites.h $(BUILD)/gen/pn_cases.h

$(TESTS): $(TEST_OBJ) $(LIB)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIB) $(CHECK_LIBS) -lm

# `make check` installs Check and pkg-config when they are missing, then runs the suite.
# SUITE=name runs one suite, CASE=name one test case (Check's CK_RUN_SUITE/CK_RUN_CASE).
# The whole suite runs CHECK_JOBS suites at a time (one per CPU by default), each in its
# own process with its output printed whole; CHECK_JOBS=1 runs them one after another.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
deps:
	@.ci/deps

check: deps
	@$(MAKE) --no-print-directory $(TESTS) $(TOOL)
	PN_TOOL=$(TOOL) PN_CHECK_JOBS=$(CHECK_JOBS) $(if $(SUITE),CK_RUN_SUITE=$(SUITE)) $(if $(CASE),CK_RUN_CASE=$(CASE)) $(TESTS)
test: check

# The whole stack on the simulator, no network set-up: the network itself, a PNRP cloud
# that registers and resolves names, and a Peer Graphing group that converges.
run: $(TOOL)
	$(TOOL) sim
	$(TOOL) sim pnrp --nodes 200 --resolves 200
	$(TOOL) sim graph --nodes 30 --records 300
	$(TOOL) sim graph --newsletter --nodes 8 --records 200

bench: $(TOOL)
	$(TOOL) bench

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" check

# The suite under valgrind memcheck, in one process (CK_FORK=no) so every test is seen.
check-valgrind: deps
	@$(MAKE) --no-print-directory $(TESTS) $(TOOL)
	PN_TOOL=$(TOOL) CK_FORK=no $(if $(SUITE),CK_RUN_SUITE=$(SUITE)) \
	  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	  $(TESTS)

# Constant-time check: the programs in conformance/ct mark secrets undefined for
# valgrind memcheck, which then reports any branch or memory index computed from them;
# any report fails the target.  The library is built with PN_CT_VALGRIND=1 so that the
# few key-derived values that are public by nature are declassified where they are
# used (src/crypto/ct_check.h).  The negative control, a leaky compare built only with
# PN_CT_NEGATIVE_CONTROL=1, must be flagged, or the check itself is broken.  The RSA
# program runs a second time on 32-bit limbs, the big-number code small targets use.
# Run it with each compiler (CI: gcc and clang): optimisers differ in which masked
# selects they turn back into branches.
CT_BUILD := $(BUILD)/ct
CT_NAMES := $(patsubst conformance/ct/ct_%.c,%,$(sort $(wildcard conformance/ct/ct_*.c)))
CT_VG    := valgrind -q --error-exitcode=1 --track-origins=yes
# Valgrind 3.19 cannot read clang 14's default DWARF 5: ask both compilers for DWARF 4.
CT_OPT   := $(OPT) -gdwarf-4
$(CT_BUILD)/ct_%: conformance/ct/ct_%.c conformance/ct/ct_common.h $(CT_BUILD)/libpeernet.a
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(CT_BUILD)/libpeernet.a
$(CT_BUILD)/ct_%-negative: conformance/ct/ct_%.c conformance/ct/ct_common.h $(CT_BUILD)/libpeernet.a
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -DPN_CT_NEGATIVE_CONTROL=1 -o $@ $< $(CT_BUILD)/libpeernet.a
$(CT_BUILD)32/ct_rsa: conformance/ct/ct_rsa.c conformance/ct/ct_common.h $(CT_BUILD)32/libpeernet.a
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -DPN_BIGINT_LIMB64=0 -o $@ $< $(CT_BUILD)32/libpeernet.a
check-ct:
	@.ci/deps-valgrind
	@$(MAKE) --no-print-directory BUILD=$(CT_BUILD) CPPFLAGS="$(CPPFLAGS) -DPN_CT_VALGRIND=1" \
	  OPT="$(CT_OPT)" $(CT_BUILD)/libpeernet.a
	@$(MAKE) --no-print-directory BUILD=$(CT_BUILD)32 OPT="$(CT_OPT)" \
	  CPPFLAGS="$(CPPFLAGS) -DPN_CT_VALGRIND=1 -DPN_BIGINT_LIMB64=0" $(CT_BUILD)32/libpeernet.a
	@$(MAKE) --no-print-directory OPT="$(CT_OPT)" $(CT_NAMES:%=$(CT_BUILD)/ct_%) \
	  $(CT_BUILD)/ct_compare-negative $(CT_BUILD)32/ct_rsa
	@for p in $(CT_NAMES:%=$(CT_BUILD)/ct_%) $(CT_BUILD)32/ct_rsa; do $(CT_VG) $$p || exit 1; done
	@if $(CT_VG) $(CT_BUILD)/ct_compare-negative >$(CT_BUILD)/negative.log 2>&1; then \
	  cat $(CT_BUILD)/negative.log; echo "check-ct: the negative control was NOT flagged"; exit 1; fi
	@grep -q 'depends on uninitialised value' $(CT_BUILD)/negative.log || { \
	  cat $(CT_BUILD)/negative.log; echo "check-ct: the negative control failed otherwise"; exit 1; }
	@echo "check-ct: negative control flagged by valgrind, as it must be"

# The whole suite built for a foreign Linux target and run under qemu-user: s390x is
# big-endian 64-bit, armhf little-endian 32-bit.  Linked statically so qemu needs no
# target sysroot.
FOREIGN_s390x := s390x-linux-gnu
FOREIGN_armhf := arm-linux-gnueabihf
QEMU_s390x    := qemu-s390x
QEMU_armhf    := qemu-arm
check-s390x check-armhf: check-%:
	@.ci/deps-foreign $* $(FOREIGN_$*)
	@mkdir -p $(BUILD)/$*
	@PKG_CONFIG_LIBDIR=/usr/lib/$(FOREIGN_$*)/pkgconfig $(MAKE) --no-print-directory \
	  BUILD=$(BUILD)/$* CC=$(FOREIGN_$*)-gcc AR=$(FOREIGN_$*)-ar LDFLAGS=-static \
	  $(BUILD)/$*/pn_check >$(BUILD)/$*/build.log 2>&1; st=$$?; \
	  if [ $$st != 0 ]; then grep -v 'statically linked applications requires' \
	  $(BUILD)/$*/build.log; fi; exit $$st
	PN_CHECK_JOBS=$(CHECK_JOBS) $(if $(SUITE),CK_RUN_SUITE=$(SUITE)) $(QEMU_$*) $(BUILD)/$*/pn_check

# A bare-metal image for the Cortex-M3 board QEMU emulates (mps2-an385): the core library
# and the known-answer tests in conformance/embedded, with the four libc functions the
# image supplies itself, run with semihosting; QEMU's exit status is the verdict.
EMB_CC    := arm-none-eabi-gcc
EMB_FLAGS := -mthumb -std=c99 -Os -g -ffreestanding -fno-builtin \
             -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
             -DPN_HAVE_STRING_H=0 -Iinclude -Isrc -Iconformance/embedded $(WARN)
EMB_SRC   := $(CORE_SRC) $(sort $(wildcard conformance/embedded/*.c))
EMB_IMAGE := $(BUILD)/embedded/peernet-tests.elf
# The same tests compiled for ARMv6-M (Cortex-M0+: no hardware divide, no long multiply,
# Thumb-1 only).  ARMv6-M code is a subset of ARMv7-M, so it runs on the M3 board.
EMB_IMAGE_V6M := $(BUILD)/embedded/peernet-tests-m0plus.elf
$(EMB_IMAGE): EMB_CPU := -mcpu=cortex-m3
$(EMB_IMAGE_V6M): EMB_CPU := -mcpu=cortex-m0plus
$(EMB_IMAGE) $(EMB_IMAGE_V6M): $(EMB_SRC) \
              $(wildcard conformance/embedded/*.h conformance/embedded/*.def) \
              conformance/embedded/link.ld
	@mkdir -p $(@D)
	$(EMB_CC) $(EMB_CPU) $(EMB_FLAGS) -nostdlib -Wl,--gc-sections \
	  -T conformance/embedded/link.ld -o $@ $(EMB_SRC) -lgcc
# A third image: the library built for the resolve-only profile (PN_PROFILE=1), whose
# client resolves a name a full node publishes.  The full node is the whole library
# built again for PN_PROFILE 2 with conformance/embedded/client/srv_node.c, partially
# linked into one object whose every global symbol but the pn_emb_srv_* calls is then
# renamed srv_*: so each profile's code only ever calls its own build (the two lay out
# pn_pnrp_node differently), whatever public functions the library grows.  The build
# fails if that object still needs a library symbol (.ci/emb-srv-check).
EMB_CLIENT_IMAGE := $(BUILD)/embedded/peernet-client.elf
EMB_SRV_SRC := $(CORE_SRC) conformance/embedded/client/srv_node.c
EMB_SRV_OBJ := $(BUILD)/embedded/srv-p2.o
EMB_CLIENT_SRC := $(CORE_SRC) $(addprefix conformance/embedded/,libc.c main.c semihost.c \
                    startup.c util.c vec_x509.c) \
                  $(filter-out $(EMB_SRV_SRC),$(sort $(wildcard conformance/embedded/client/*.c)))
$(EMB_SRV_OBJ): $(EMB_SRV_SRC) $(wildcard conformance/embedded/*.h \
                conformance/embedded/client/*.h) .ci/emb-srv-check
	@mkdir -p $(@D)
	$(EMB_CC) -mcpu=cortex-m3 $(EMB_FLAGS) -DPN_PROFILE=2 -nostdlib -r -o $(@:.o=-raw.o) $(EMB_SRV_SRC)
	.ci/emb-srv-check $(@:.o=-raw.o) $@
$(EMB_CLIENT_IMAGE): $(EMB_CLIENT_SRC) $(EMB_SRV_OBJ) $(wildcard conformance/embedded/*.h \
                     conformance/embedded/client/*.h conformance/embedded/client/*.def) \
                     conformance/embedded/link.ld
	@mkdir -p $(@D)
	$(EMB_CC) -mcpu=cortex-m3 $(EMB_FLAGS) -DPN_PROFILE=1 -DPN_EMB_TESTS_DEF='"client/tests.def"' \
	  -nostdlib -Wl,--gc-sections -T conformance/embedded/link.ld -o $@ $(EMB_CLIENT_SRC) \
	  $(EMB_SRV_OBJ) -lgcc
# Runs: the Cortex-M3 image on the M3 board (mps2-an385) and on the Cortex-M4 board
# (mps2-an386, same memory map), the ARMv6-M image on the M3 board, the resolve-only
# client image on the M4 board.
EMB_RUNS := mps2-an385:$(EMB_IMAGE) mps2-an386:$(EMB_IMAGE) mps2-an385:$(EMB_IMAGE_V6M) \
            mps2-an386:$(EMB_CLIENT_IMAGE)
check-embedded: $(EMB_IMAGE) $(EMB_IMAGE_V6M) $(EMB_CLIENT_IMAGE)
	@command -v qemu-system-arm >/dev/null 2>&1 || .ci/deps-qemu-system
	@for r in $(EMB_RUNS); do m=$${r%%:*} k=$${r#*:}; \
	  echo "== qemu-system-arm -M $$m -kernel $$k"; \
	  timeout 300 qemu-system-arm -M $$m -nographic -monitor none -serial none \
	    -semihosting-config enable=on,target=native -kernel $$k || exit 1; done

# ---- cross builds: the core library only (wire, crypto, engines, addr helpers) --------
CROSS_WARN := $(WARN)
CROSS_COMMON := -std=c99 -Os -fno-inline-functions-called-once -ffreestanding -ffunction-sections -fdata-sections -fcallgraph-info=su \
                -fstack-usage -DPN_HAVE_STRING_H=0 -Iinclude -Isrc $(CROSS_WARN)
CROSS_TARGETS := cortex-m0plus cortex-m4 rv32imac
cross-cortex-m0plus_CC    := arm-none-eabi-gcc
cross-cortex-m0plus_FLAGS := -mcpu=cortex-m0plus -mthumb
cross-cortex-m4_CC        := arm-none-eabi-gcc
cross-cortex-m4_FLAGS     := -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
cross-rv32imac_CC         := riscv64-unknown-elf-gcc
cross-rv32imac_FLAGS      := -march=rv32imac -mabi=ilp32
cross-rv32imac_LDFLAGS    := -Wl,--no-warn-rwx-segments

cross: $(CROSS_TARGETS:%=$(BUILD)/cross/%/libpeernet.a)
	@for t in $(CROSS_TARGETS); do \
	  tool=arm-none-eabi-nm; case $$t in rv*) tool=riscv64-unknown-elf-nm;; esac; \
	  .ci/linkcheck $$tool $(BUILD)/cross/$$t/libpeernet.a || exit 1; done

# The bare-metal port template (src/platform/baremetal/port.c) is in no library: compile
# it for Cortex-M4 into a throwaway object so that it keeps building.
cross: $(BUILD)/cross/cortex-m4/obj/src/platform/baremetal/port.o

define CROSS_RULES
# Keep the footprint programs' objects (intermediate files) between runs.
.PRECIOUS: $(BUILD)/cross/$(1)/obj/%.o
$(BUILD)/cross/$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	$$(cross-$(1)_CC) $$(cross-$(1)_FLAGS) $$(CROSS_COMMON) -MMD -MP -c $$< -o $$@
$(BUILD)/cross/$(1)/libpeernet.a: $(CORE_SRC:%.c=$(BUILD)/cross/$(1)/obj/%.o)
	rm -f $$@
	$$(patsubst %gcc,%ar,$$(cross-$(1)_CC)) rcs $$@ $$^
$(BUILD)/cross/$(1)/fp/%.elf: $(BUILD)/cross/$(1)/obj/tools/footprint/%.o \
                             $(BUILD)/cross/$(1)/obj/conformance/embedded/libc.o \
                             $(BUILD)/cross/$(1)/libpeernet.a
	@mkdir -p $$(@D)
	$$(cross-$(1)_CC) $$(cross-$(1)_FLAGS) $$(cross-$(1)_LDFLAGS) -nostdlib -nostartfiles \
	  -Wl,--gc-sections -Wl,-e,main -o $$@ $$^ -lgcc
endef
$(foreach t,$(CROSS_TARGETS),$(eval $(call CROSS_RULES,$(t))))

# Configuration profiles (PN_PROFILE in peernet/opts.h): the Cortex-M4 library built with
# each, as pseudo-targets cortex-m4-p0..p3 under $(BUILD)/cross, with the footprint
# program of the profile's features.
PROFILES := 0 1 2 3
$(foreach p,$(PROFILES),$(eval cross-cortex-m4-p$(p)_CC := arm-none-eabi-gcc))
$(foreach p,$(PROFILES),$(eval cross-cortex-m4-p$(p)_FLAGS := $(cross-cortex-m4_FLAGS) -DPN_PROFILE=$(p)))
$(foreach p,$(PROFILES),$(eval $(call CROSS_RULES,cortex-m4-p$(p))))
profiles: $(foreach p,$(PROFILES),$(BUILD)/cross/cortex-m4-p$(p)/libpeernet.a \
                                  $(BUILD)/cross/cortex-m4-p$(p)/fp/fp_profile.elf)
	@.ci/profiles $(BUILD)/cross $(PROFILES)

# Footprint programs (tools/footprint): each links one slice of the library on its own.
# NODE_ELFS: the PNRP node images of `make size-node` (below).
NODE_ELFS := $(BUILD)/cross/cortex-m4-p1/fp/node.elf $(BUILD)/cross/cortex-m4-p2/fp/node.elf
FP_NAMES := $(patsubst tools/footprint/%.c,%,$(sort $(wildcard tools/footprint/fp_*.c)))
size: cross $(foreach t,$(CROSS_TARGETS),$(FP_NAMES:%=$(BUILD)/cross/$(t)/fp/%.elf) \
                                         $(BUILD)/cross/$(t)/obj/tools/footprint/sizes.o) \
      $(NODE_ELFS)
	@.ci/size $(BUILD)/cross $(CROSS_TARGETS)
	@echo; echo "== 7. PNRP nodes as an application links them (make size-node)"
	@.ci/size-node $(BUILD)/cross

# The PNRP node engine linked as an application links it (tools/footprint/node.c): a
# resolve-only node (PN_PROFILE 1) and a full node (PN_PROFILE 2) for Cortex-M4, checked
# against the issue 8 targets; fails when one is missed.
size-node: $(NODE_ELFS)
	@.ci/size-node $(BUILD)/cross

# ---- fuzzing --------------------------------------------------------------------------
# Each fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput.  With gcc it links with
# fuzz/replay.c into a program that replays a corpus; with clang (FUZZ_CC) it links
# with libFuzzer.  `make fuzz FUZZ_SECONDS=N` runs every harness for N seconds.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 10
FUZZ_REPLAY  := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%-replay)
FUZZ_LIBFUZZ := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%-libfuzzer)
FUZZ_LIB_SRC := $(CORE_SRC) $(SIM_SRC)

$(BUILD)/fuzz/%-replay: fuzz/fuzz_%.c fuzz/replay.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(HOST_DEFS) $(CFLAGS_ALL) -o $@ fuzz/fuzz_$*.c fuzz/replay.c $(LIB)

# The library is compiled once for all libFuzzer targets (coverage instrumentation without
# libFuzzer's main, decision FZ-1) into one archive; each harness links against it.
FUZZ_DEFS    := -DPN_FUZZING_SKIP_SIGNATURES=1 -std=c99 -g -O1
FUZZ_OBJ     := $(FUZZ_LIB_SRC:%.c=$(BUILD)/fuzzobj/%.o)
FUZZ_ARCHIVE := $(BUILD)/fuzzobj/libpeernet-fuzz.a

$(BUILD)/fuzzobj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(FUZZ_DEFS) -fsanitize=fuzzer-no-link,address,undefined \
	  -MMD -MP -c $< -o $@

$(FUZZ_ARCHIVE): $(FUZZ_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/fuzz/%-libfuzzer: fuzz/fuzz_%.c $(FUZZ_ARCHIVE)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(FUZZ_DEFS) -fsanitize=fuzzer,address,undefined \
	  -o $@ fuzz/fuzz_$*.c $(FUZZ_ARCHIVE)

fuzz-replay: $(FUZZ_REPLAY)
	@for n in $(FUZZ_NAMES); do $(BUILD)/fuzz/$$n-replay fuzz/corpus/$$n || exit 1; done

fuzz: $(FUZZ_LIBFUZZ)
	@.ci/fuzz $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# CI's smoke: every libFuzzer harness for FUZZ_SMOKE_SECONDS on a temporary copy of its
# corpus (the committed corpus stays as it is); fails on any finding.  Prints SKIPPED and
# succeeds when clang's libFuzzer cannot be had (.ci/deps-fuzz installs it as root).
FUZZ_SMOKE_SECONDS ?= 10
fuzz-smoke:
	@if FUZZ_CC=$(FUZZ_CC) .ci/deps-fuzz; then \
	  $(MAKE) --no-print-directory $(FUZZ_LIBFUZZ) && \
	  .ci/fuzz-smoke $(BUILD)/fuzz $(FUZZ_SMOKE_SECONDS) $(FUZZ_NAMES); \
	else echo "==> SKIPPED make fuzz-smoke: clang's libFuzzer could not be installed here"; fi

# The same harnesses under AFL++: afl-clang-fast builds the library archive and links each
# harness with its libFuzzer-compatible driver (build dir BUILD/afl), then afl-fuzz runs
# each for FUZZ_SECONDS from its committed corpus (decision FZ-5).
AFL_CC ?= afl-clang-fast
fuzz-afl:
	@command -v $(AFL_CC) >/dev/null 2>&1 && command -v afl-fuzz >/dev/null 2>&1 || \
	  { echo "fuzz-afl needs AFL++ ($(AFL_CC), afl-fuzz); on Debian: apt-get install afl++"; exit 1; }
	@AFL_QUIET=1 $(MAKE) --no-print-directory BUILD=$(BUILD)/afl FUZZ_CC=$(AFL_CC) \
	  $(FUZZ_NAMES:%=$(BUILD)/afl/fuzz/%-libfuzzer)
	@.ci/fuzz-afl $(BUILD)/afl/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Line coverage per module that the corpora reach: the replay harnesses built with
# clang's source-based coverage, every corpus replayed, llvm-cov's report summed.
fuzz-coverage:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/cov CC=$(FUZZ_CC) OPT="-O1 -g" \
	  SAN="-fprofile-instr-generate -fcoverage-mapping" $(FUZZ_NAMES:%=$(BUILD)/cov/fuzz/%-replay)
	@.ci/fuzz-coverage $(BUILD)/cov $(FUZZ_NAMES)

# ---- install --------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/peernet \
	  $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libpeernet.a
	install -m 644 include/peernet/*.h $(DESTDIR)$(PREFIX)/include/peernet/
	install -m 755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/peernet
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' peernet.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/peernet.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/lib/libpeernet.a $(DESTDIR)$(PREFIX)/bin/peernet \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/peernet.pc
	rm -rf $(DESTDIR)$(PREFIX)/include/peernet

# ---- housekeeping ---------------------------------------------------------------------
spec-coverage:
	@spec/coverage conformance

FORMAT_FILES = $(shell find include src tools conformance fuzz -name '*.[ch]')
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run -Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD)

help:
	@echo "all         libpeernet.a and the peernet tool (default)"
	@echo "run         the simulator's default scenario (needs only a C compiler)"
	@echo "check       install test deps if missing, run the Check suite (SUITE=, CASE=)"
	@echo "sanitize    the suite under ASan and UBSan"
	@echo "check-valgrind  the suite under valgrind memcheck"
	@echo "check-ct    constant-time check of the secret-key code under valgrind"
	@echo "check-s390x / check-armhf  the suite on big-endian / 32-bit under qemu-user"
	@echo "check-embedded  known-answer tests on Cortex-M3, M4 and as ARMv6-M code (qemu-system-arm)"
	@echo "bench       benchmarks: 'bench NAME VALUE UNIT [ref VALUE ratio R]'"
	@echo "cross       core library for Cortex-M0+, Cortex-M4, rv32imac + link check"
	@echo "size        flash/RAM/stack per module, primitive and entry point (cross targets)"
	@echo "size-node   resolve-only and full PNRP node images for Cortex-M4 against the targets"
	@echo "profiles    Cortex-M4 library and footprint for each PN_PROFILE"
	@echo "fuzz        every libFuzzer harness for FUZZ_SECONDS (clang)"
	@echo "fuzz-afl    every harness under AFL++ for FUZZ_SECONDS (afl-clang-fast)"
	@echo "fuzz-smoke  every libFuzzer harness briefly on a copy of its corpus (CI)"
	@echo "fuzz-replay replay every corpus with the plain (gcc) harness builds"
	@echo "fuzz-coverage  per-module line coverage the fuzz corpora reach (clang, llvm-cov)"
	@echo "spec-coverage  requirement catalogue coverage"
	@echo "install / uninstall (PREFIX, DESTDIR), format, format-check, clean"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
