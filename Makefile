# docket: build, test, demo, bench.
#
#   make            build ./docket
#   make test       checks, unit tests (cmocka), shell tests on the real binary
#                   (on SQLite and, beside it, on PostgreSQL) and fuzz seed
#                   replays; ends on "N passed, M failed"
#   make demo       open the review screen on a store made from sample-data/
#   make asan       build with ASan+UBSan (clang) into build-asan/ and run the tests
#   make fuzz       libFuzzer targets, FUZZ_TIME seconds each (README: Fuzzing)
#   make bench      benchmarks (ratios against baselines run alongside) -> bench/RESULTS.md
#   make torture    crash tests, long form: kill -9 at random moments during
#                   import, a storm of reviewers and export, 100 rounds each
#                   (DOCKET_TORTURE_ROUNDS=N for more or fewer)
#   make install    PREFIX=/usr/local by default; as root the binary is
#                   installed setgid to group DOCKET_GROUP (docket, made
#                   if missing) for shared stores; SETGID=no to skip
#
# src/*.c is the core: it never includes curses, and is built into
# $(BUILD)/libdocket.a, which both the binary and the tests link, with the
# store engines in src/engine/*.c.
# src/cli/*.c is the command line and the terminal layer: the binary only.

VERSION := 0.1.0
PREFIX ?= /usr/local
SETGID ?= yes
DOCKET_GROUP ?= docket
BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Wpointer-arith -Wvla
# CI sets WERROR=-Werror.
WERROR ?=
PKGS := ncursesw sqlite3 libpq libsodium

# Recursive (=) so pkg-config runs after the deps step has installed it.
DK_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) $(WERROR) $(CFLAGS) \
	$(shell pkg-config --cflags $(PKGS)) -DDOCKET_VERSION='"$(VERSION)"'
DK_LIBS = $(shell pkg-config --libs $(PKGS)) -lcsv -lm
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

CORE_SRC := $(wildcard src/*.c src/engine/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
FUZZ_NAMES := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
LIB := $(BUILD)/libdocket.a
BIN := $(BUILD)/docket
# The test build: the same binary with src/testhook.c compiled with
# DOCKET_TEST_HOOKS, so it honours DOCKET_NOW and DOCKET_FAULT. Shell tests
# run it; `make install` installs $(BIN), which honours neither.
TEST_DOCKET := $(BUILD)/test/docket
HOOK_OBJ := $(BUILD)/hooks/testhook.o

.PHONY: all deps deps-test deps-ci deps-bench build-tests test unit-test sh-test demo asan fuzz \
	fuzz-build fuzz-replay bench torture clean install \
	check-layers check-tools
.DEFAULT_GOAL := all

all: deps docket $(TEST_DOCKET)

deps:
	@tools/ensure-deps.sh build
deps-test:
	@tools/ensure-deps.sh test
deps-ci:
	@tools/ensure-deps.sh ci
deps-bench:
	@tools/ensure-deps.sh bench

# ./docket is a copy of the build's binary, so the README's examples work.
docket: $(BIN)
	cp $(BIN) $@

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(DK_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(DK_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(DK_LIBS)

$(HOOK_OBJ): src/testhook.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(DK_CFLAGS) -DDOCKET_TEST_HOOKS -MMD -MP -c $< -o $@

# The hooked testhook.o comes before the library, so the library's own
# (hooks off) is never linked in.
$(TEST_DOCKET): $(CLI_OBJ) $(HOOK_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(DK_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(HOOK_OBJ) $(LIB) $(DK_LIBS)

$(BUILD)/tests/%: tests/%.c $(LIB) tests/fixture.h | deps-test
	@mkdir -p $(dir $@)
	$(CC) $(DK_CFLAGS) -Wno-missing-prototypes -MMD -MP $(LDFLAGS) -o $@ $< \
		$(LIB) $(TEST_LIBS) $(DK_LIBS)

# The shell tests' SQLite extension (tests/casejson_sql.c: the stored
# forms as objects, by casejson.c itself). Loaded into the sqlite3 CLI, so
# built without the build's sanitizers.
SQLEXT := $(BUILD)/sqlext/casejson_sql.so
$(SQLEXT): tests/casejson_sql.c src/casejson.c src/util.c include/docket/casejson.h \
		include/docket/util.h | deps-test
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -Iinclude -O1 -g -shared -fPIC -o $@ \
		tests/casejson_sql.c src/casejson.c src/util.c -lm

# The core must not know about the terminal.
check-layers:
	@if grep -l 'curses' src/*.c src/engine/*.[ch] include/docket/*.h; then \
		echo "core files above include curses: move that code to src/cli/" >&2; \
		exit 1; fi

# Every command the scripts run comes from a package tools/ensure-deps.sh
# installs for the target that runs them (tests/check-tools.py).
check-tools: deps-test
	@python3 tests/check-tools.py

# tests/run-tests.sh runs every part even after a failure, and ends on one
# verdict line, "N passed, M failed", for a person and for CI.
RUN_TESTS = BUILD=$(BUILD) DOCKET=$(abspath $(BIN)) tests/run-tests.sh

test: deps-test build-tests
	@$(RUN_TESTS) checks unit sh replay

build-tests: $(TEST_BIN) $(BIN) $(TEST_DOCKET) $(REPLAY_BIN) $(SQLEXT)

unit-test: $(TEST_BIN)
	@$(RUN_TESTS) unit

sh-test: $(BIN) $(TEST_DOCKET) $(SQLEXT) deps-test
	@$(RUN_TESTS) sh

demo: deps docket
	./docket demo

# Fuzzing (README, "Working on docket"). Each fuzz/fuzz_NAME.c is a libFuzzer target
# with seeds in fuzz/corpus/NAME/.
#   make fuzz                  build with clang (fuzzer, ASan, UBSan) into
#                              build-fuzz/ and run each target FUZZ_TIME s
#   make fuzz FUZZ_TIME=600 FUZZ_TARGETS="csv jsonl"   longer, fewer
#   make fuzz-replay           (part of `make test`) every seed through each
#                              target's checks, built with $(CC) against
#                              $(LIB), so `make asan` replays them sanitized
FUZZ_HDR := $(wildcard fuzz/*.h)
FUZZ_TIME ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz: fuzz-build
	@FUZZ_TIME=$(FUZZ_TIME) fuzz/run.sh $(FUZZ_TARGETS)
fuzz-build: deps-ci
	$(MAKE) -j2 BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" \
		$(FUZZ_NAMES:%=build-fuzz/fuzz_%)
# Only through fuzz-build (BUILD=build-fuzz: $(LIB) is the fuzz build's).
build-fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_HDR) $(LIB) | deps-ci
	clang $(DK_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB) $(DK_LIBS)

$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_HDR) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(DK_CFLAGS) $(LDFLAGS) -o $@ $< fuzz/replay.c $(LIB) $(DK_LIBS)

fuzz-replay: $(REPLAY_BIN)
	@$(RUN_TESTS) replay

ASAN_VARS = BUILD=build-asan CC=clang \
	CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined"
# --no-print-directory: the suite's verdict line stays the last line.
# The shell suite on PostgreSQL runs in `make test` only (DOCKET_TEST_PG).
asan: deps-ci
	$(MAKE) --no-print-directory -j2 $(ASAN_VARS) build-tests
	DOCKET_TEST_PG=no $(MAKE) --no-print-directory $(ASAN_VARS) test

bench: deps-bench $(BIN) $(BENCH_BIN)
	@DOCKET=$(abspath $(BIN)) CC="$(CC)" BENCH_CFLAGS="$(CFLAGS)" bench/run.sh

# The crash tests of tests/sh/t_crash_*.sh in their long form (tests/torture/).
torture: $(TEST_DOCKET) deps-test
	@DOCKET=$(abspath $(TEST_DOCKET)) tests/torture/run.sh

# Small timing programs for benchmarks (bench/*.c), linked like the tests.
$(BUILD)/bench/%: bench/%.c $(wildcard bench/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(DK_CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ $< $(LIB) $(DK_LIBS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/docket/themes
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/docket
	@tools/install-setgid.sh $(DESTDIR)$(PREFIX)/bin/docket $(SETGID) $(DOCKET_GROUP)
	if [ -f docs/docket.1 ]; then install -m 644 docs/docket.1 \
		$(DESTDIR)$(PREFIX)/share/man/man1/docket.1; fi
	for t in themes/*.theme; do [ -f "$$t" ] && install -m 644 "$$t" \
		$(DESTDIR)$(PREFIX)/share/docket/themes/; done; true
	install -d $(DESTDIR)$(PREFIX)/share/docket/sample-data
	install -m 644 sample-data/credit.csv sample-data/reviews.jsonl \
		sample-data/reviews.csv sample-data/README.md \
		$(DESTDIR)$(PREFIX)/share/docket/sample-data/

clean:
	rm -rf build build-asan build-fuzz docket

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d) $(HOOK_OBJ:.o=.d)
