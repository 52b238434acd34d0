# Stafett — build, run and test. See README.md.
#
#   make run     install what is missing, build, start the local stack, print the URL
#   make stop    stop what `make run` started
#   make test    install what is missing, build, run every test over real components
#   make bench   load-test the local stack with wrk
#
# BUILD names the output folder; SAN=1 builds with AddressSanitizer and UBSan.

BUILD ?= build
SAN ?= 0

CC := gcc
PKGS := libmariadb openssl inih jansson libcurl zlib libical pangocairo libxml-2.0
# Read when make starts: on a fresh machine `run`, `test` and `bench` install
# the packages first and then build in a second make that sees them.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS := -std=c17 -g -Wall -Wextra -Werror -Wformat=2 -Werror=format-security \
	-Wshadow -Wstrict-prototypes -Wno-missing-field-initializers \
	-fstack-protector-strong -fPIE -D_GNU_SOURCE -Ilib $(PKG_CFLAGS)
LDFLAGS := -pie -Wl,-z,relro,-z,now
LDLIBS := -lfcgi $(PKG_LIBS)

ifeq ($(SAN),1)
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
CFLAGS += -O2 -D_FORTIFY_SOURCE=2
endif

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
LIB_A := $(BUILD)/libstafett.a
PROGS := $(patsubst cgi-bin/%.c,$(BUILD)/cgi-bin/%,$(wildcard cgi-bin/*.c))
TOOLS := $(patsubst tools/%.c,$(BUILD)/tools/%,$(wildcard tools/*.c))
UNITS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))
FUZZ := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
BENCH_BIN := $(BUILD)/tests/bench/bare
# Digdir's Designsystemet (npm), copied where nginx and Apache serve /static/.
DS_PKG := tools/designsystemet/node_modules/@digdir/designsystemet-css
DS_CSS := templates/static/ds/designsystemet.css templates/static/ds/theme.css templates/static/ds/LICENSE
LANGS := nb nn en
MO := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/stafett.mo)

.PHONY: all deps run stop test test-unit test-http test-browser test-san bench check clean po fuzz

all: $(LIB_A) $(PROGS) $(TOOLS) $(UNITS) $(FUZZ) $(BENCH_BIN) $(MO) $(DS_CSS)

deps:
	@tools/install-deps

$(BUILD)/lib/%.o: lib/%.c lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/cgi-bin/%: cgi-bin/%.c $(LIB_A) lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LDLIBS)

$(BUILD)/tools/%: tools/%.c $(LIB_A) lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/*.h $(LIB_A) lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_A) $(LDLIBS) -lcmocka

# Fuzz harnesses, linked with a driver that replays the committed corpora
# (libFuzzer's entry point, no libFuzzer needed).
$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c $(LIB_A) lib/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/driver.c $(LIB_A) $(LDLIBS)

$(BUILD)/tests/bench/bare: tests/bench/bare.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lfcgi

$(BUILD)/locale/%/LC_MESSAGES/stafett.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

$(DS_PKG)/package.json: tools/designsystemet/package-lock.json
	cd tools/designsystemet && npm ci --no-audit --no-fund --silent
	@touch $@

templates/static/ds/designsystemet.css: $(DS_PKG)/package.json
	@mkdir -p $(@D)
	cp $(DS_PKG)/dist/src/index.css $@

templates/static/ds/theme.css: $(DS_PKG)/package.json
	@mkdir -p $(@D)
	cp $(DS_PKG)/dist/theme/designsystemet.css $@

templates/static/ds/LICENSE: $(DS_PKG)/package.json
	@mkdir -p $(@D)
	cp $(DS_PKG)/LICENSE $@

# Rebuild the message catalogue from the sources and merge it into each language.
po:
	tools/update-po

run: deps
	@$(MAKE) --no-print-directory all
	@tools/stack start

stop:
	@tools/stack stop

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run

test-unit: all
	@tests/run unit

test-http: all
	@tests/run http

test-browser: all
	@tests/run browser

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/run

# Coverage-guided fuzzing with libFuzzer (clang), FUZZ_SECONDS per harness,
# starting from the committed corpora; crashes land in build-fuzz/. CI only
# replays the corpora (tests/run fuzz).
FUZZ_SECONDS ?= 60
FUZZ_LIB := lib/arena.c lib/http.c lib/tmpl.c lib/form.c lib/nin.c lib/i18n.c
fuzz: deps
	@mkdir -p build-fuzz
	@for h in tests/fuzz/fuzz_*.c; do \
		n=$$(basename $$h .c); \
		clang -std=c17 -g -O1 -D_GNU_SOURCE -Ilib -fsanitize=fuzzer,address,undefined \
			-o build-fuzz/$$n $$h $(FUZZ_LIB) || exit 1; \
		mkdir -p build-fuzz/corpus-$$n; \
		echo "== $$n"; \
		(cd build-fuzz && ./$$n -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			corpus-$$n ../tests/fuzz/corpus/$${n#fuzz_} 2>&1 | tail -n 3) || exit 1; \
	done

# The source rules a compiler does not check (SQL and HTML only through lib/).
check:
	@tools/codecheck

clean:
	rm -rf build build-san build-fuzz build-san.log templates/static/ds
