# schemasync — see README.md.
#
#   make            build ./schemasync
#   make deps       install the Debian packages that are missing (once)
#   make run        deps, build, then watch schemas/ into sqlite:dev.db
#   make test       deps, build, every unit test and every CLI test
#   make bench      benchmarks (figures, not pass/fail)
#   make stress     kill -9 pushes at random moments (not in make test)
#   make fuzz       libFuzzer targets in fuzz/, FUZZ_SECONDS (60) each
#   make SANITIZE=address,undefined test
#   make install PREFIX=/usr/local DESTDIR=
#   make clean

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     := build
CC        ?= cc
PKG_CONFIG ?= pkg-config
PACKAGES  := sqlite3 vim libuv1-dev libpq-dev libsqlite3-dev libyaml-dev libcriterion-dev postgresql pkg-config make gcc
LIBS_PC   := libuv libpq sqlite3 yaml-0.1

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
OPT       ?= -O2 -g
CFLAGS    ?=
CPPFLAGS  += -Iinclude -DSS_VERSION='"$(VERSION)"' -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ALL_CFLAGS = -std=c11 $(OPT) $(WARN) -MMD -MP $(SAN_FLAGS) $(CFLAGS) \
             $(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null)
# libpq is not linked: its headers only, and the binary dlopen()s it
# with the first PostgreSQL connection (src/postgres/pq.h). The unit
# tests link it (their helpers call libpq directly); -ldl only where the
# libc does not have dlopen() (glibc before 2.34).
LDLIBS    = $(shell $(PKG_CONFIG) --libs $(filter-out libpq,$(LIBS_PC)) 2>/dev/null) $(LIBDL)
LIBPQ_LIBS = $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null)
LIBDL    := $(shell printf '\043include <dlfcn.h>\nint main(void){return !dlopen("x",RTLD_NOW);}\n' | \
              $(CC) -x c -o /dev/null - >/dev/null 2>&1 || echo -ldl)

# Quiet by default: "CC src/x.c"; V=1 shows the whole command.
ifeq ($(V),1)
Q :=
QCC = @:
else
Q := @
QCC = @echo "  CC      $<" ||:
endif

ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
BUILD     := build/san
endif
# ThreadSanitizer (push, diff and watch load the files on a second
# thread while the database is read): make SANITIZE=thread builds
# build/tsan/schemasync, apart from the address,undefined objects.
ifeq ($(SANITIZE),thread)
BUILD     := build/tsan
endif

# The dialects live in folders of their own (src/sqlite/, src/postgres/)
# with their private headers beside them: only their own files and the
# tests (-Isrc) can include those.
DIALECTS  := sqlite postgres
SRCS      := $(sort $(wildcard src/*.c)) $(foreach d,$(DIALECTS),$(sort $(wildcard src/$(d)/*.c)))
OBJS      := $(SRCS:src/%.c=$(BUILD)/%.o)
LIB_OBJS  := $(filter-out $(BUILD)/main.o,$(OBJS))
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_OBJS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%.o)
# Test helpers that are not test files of their own (tests/pg_helper.c).
TEST_OBJS += $(BUILD)/tests/pg_helper.o
UNIT      := $(BUILD)/unit-tests
BIN       := schemasync
ifneq ($(SANITIZE),)
BIN       := $(BUILD)/schemasync
endif

# Fuzzing (fuzz/README.md): clang's libFuzzer with ASan and UBSan, its
# own objects in build/fuzz. Not part of `make test`.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -g -O1 $(filter-out -Werror,$(WARN)) $(FUZZ_SAN) \
                $(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null)
FUZZ_OBJS    := $(patsubst src/%.c,$(FUZZ_BUILD)/%.o,$(filter-out src/main.c,$(SRCS)))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)

.PHONY: all deps run test unit cli bench install uninstall clean check-deps \
        fuzz fuzz-deps fuzz-build

all: $(BIN)

$(BIN): $(OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LDLIBS) $(LDFLAGS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(QCC)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c | $(BUILD)/tests
	$(QCC)
	$(Q)$(CC) $(CPPFLAGS) -Isrc $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(UNIT): $(LIB_OBJS) $(TEST_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(LIB_OBJS) $(TEST_OBJS) $(LDLIBS) $(LIBPQ_LIBS) -lcriterion $(LDFLAGS)

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

# Installs what is missing, and does nothing when everything is there.
deps:
	@sh tests/deps.sh $(PACKAGES)

run: deps
	@$(MAKE) --no-print-directory -s all
	./$(BIN) --db sqlite:dev.db watch

# The unit and CLI tests run with a throwaway PostgreSQL server
# (tests/pg/with-server.sh), which is stopped and removed afterwards.
test: deps
	@sh tests/pg/with-server.sh $(MAKE) --no-print-directory unit cli

# A test that runs over 120 s is killed and fails: a hang must fail the
# run, never stall it (tests/cli/run.sh does the same per script).
unit: $(UNIT)
	$(UNIT) --jobs 2 --timeout 120

# A sanitized binary runs several times slower: its scripts get three
# times the time before run.sh calls them hung (CLI_TIMEOUT, 600 s).
cli: $(BIN)
	@SCHEMASYNC=$(abspath $(BIN)) CLI_TIMEOUT=$${CLI_TIMEOUT:-$(if $(SANITIZE),1800,600)} \
	    sh tests/cli/run.sh

# Its own -O2 build in build/bench, so that objects left by another OPT
# or SANITIZE are never what is measured.
bench: deps
	@$(MAKE) --no-print-directory OPT=-O2 SANITIZE= BUILD=build/bench \
	    BIN=build/bench/schemasync build/bench/schemasync
	$(Q)$(CC) -std=c11 -O2 $(WARN) -o build/bench/watch-latency bench/watch-latency.c
	$(Q)$(CC) -std=c11 -O2 $(WARN) -o build/bench/alter-floor bench/alter-floor.c $(shell pkg-config --cflags --libs sqlite3)
	@SS_PG_OPTIONS="-c max_locks_per_transaction=1024" \
	    sh tests/pg/with-server.sh sh bench/run.sh build/bench/schemasync
	@sh tests/pg/with-server.sh sh bench/undo.sh build/bench/schemasync

# Crash safety, not part of make test (it takes minutes): pushes killed
# with SIGKILL at random moments, on SQLite (table rebuilds under
# cascading children) and PostgreSQL, each kill checked for all or
# nothing and no row lost (tests/stress/run.sh). STRESS_ROUNDS=N runs
# N SQLite rounds and N/2 PostgreSQL rounds (default 100 and 50).
.PHONY: stress
stress: deps
	@$(MAKE) --no-print-directory all
	@sh tests/pg/with-server.sh env SCHEMASYNC=$(abspath $(BIN)) sh tests/stress/run.sh

# clang, and the libFuzzer runtime of its version (Debian:
# libclang-rt-N-dev), installed the way `make deps` does.
fuzz-deps:
	@sh tests/deps.sh $(PACKAGES) clang
	@sh tests/deps.sh libclang-rt-$$($(FUZZ_CC) -dumpversion | cut -d. -f1)-dev

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-build
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS)

.SECONDARY: $(FUZZ_OBJS)

$(FUZZ_BUILD)/%.o: src/%.c | $(FUZZ_BUILD)
	@mkdir -p $(@D)
	$(QCC)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz-%: fuzz/fuzz_%.c $(FUZZ_OBJS)
	@echo "  LINK    $@"
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

$(FUZZ_BUILD):
	mkdir -p $@

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/schemasync
	install -m 644 contrib/schemasync.1 $(DESTDIR)$(PREFIX)/share/man/man1/schemasync.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/schemasync $(DESTDIR)$(PREFIX)/share/man/man1/schemasync.1

clean:
	rm -rf build schemasync dev.db

-include $(OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)
