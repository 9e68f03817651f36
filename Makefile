# receiptd: plain GNU make. `make` builds into build/, `make test` runs every
# test, `make deps` installs the Debian packages everything here needs.

BUILD   ?= build
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla
PKGS    := tesseract lept libjpeg jansson sqlite3 libcrypto libmicrohttpd libcurl
TESTPKGS := cmocka

# pkg-config runs once, lazily, after `deps` has had a chance to install.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS) $(TESTPKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)) -lm)$(PKG_LIBS)
TEST_LIBS  = $(eval TEST_LIBS := $$(shell pkg-config --libs $(TESTPKGS)))$(TEST_LIBS)

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
	     -Icommon -Iparsers -Iocr -Idaemon -Ifraud -Iledger $(PKG_CFLAGS) $(CFLAGS) $(SANFLAGS) -MMD -MP

# Debian packages: build, tests, fixture generator and benchmarks.
DEB_PKGS := build-essential pkg-config libtesseract-dev tesseract-ocr \
	tesseract-ocr-deu tesseract-ocr-eng tesseract-ocr-script-latn \
	libleptonica-dev libjpeg-dev libmicrohttpd-dev libcurl4-openssl-dev \
	libsqlite3-dev libjansson-dev libcmocka-dev libssl-dev \
	python3 python3-pil fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf

# Every module is library code; only the files named here hold a main().
MAIN_SRC := daemon/main.c cli/receipt-scan.c cli/receiptctl.c
LIB_SRC := $(filter-out $(MAIN_SRC),$(wildcard common/*.c ocr/*.c parsers/*.c \
	   fraud/*.c ledger/*.c daemon/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libreceipt.a

PROGS   := $(BUILD)/receipt-scan $(BUILD)/receiptd $(BUILD)/receiptctl
UNIT_TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))

.PHONY: all deps run test unit-test asan-test e2e-test daemon-test bench bench-accuracy bench-dev \
	lint fixtures clean
.DEFAULT_GOAL := all
.SECONDARY:

all: deps $(PROGS)

deps:
	@missing=; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	      || exit 1; \
	  else \
	    echo "deps: missing packages; run as root:"; \
	    echo "  apt-get update && apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

LDFLAGS += -Wl,--as-needed
# Tesseract's OpenMP calls run inline on one thread, and its line images
# are not PNG-compressed: see ocr/ocr.c.
LDFLAGS += $(foreach s,GOMP_parallel GOMP_parallel_sections \
	GOMP_sections_next GOMP_sections_end_nowait pixWriteMem,-Wl,--export-dynamic-symbol=$(s))

$(BUILD)/receipt-scan: $(BUILD)/cli/receipt-scan.o $(LIB)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/receiptd: $(BUILD)/daemon/main.o $(LIB)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/receiptctl: $(BUILD)/cli/receiptctl.o
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The integration test drives the real daemon over HTTP; it needs no library.
$(BUILD)/tests/daemon_test: $(BUILD)/tests/daemon_test.o $(BUILD)/tests/harness.o
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# The daemon on the embedded default: SQLite under ./var, the example config.
run: all
	OMP_THREAD_LIMIT=1 $(BUILD)/receiptd --config etc/receiptd.conf

# Unit tests run twice: plain, and under ASan + UBSan (a separate build tree).
test: all unit-test asan-test e2e-test daemon-test
	@echo "make test: all suites passed"

unit-test: deps $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do $$t; done

asan-test: deps
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="-O1 -g" \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  unit-test

# Accuracy floors sit a little under the measured figures (see README).
# Synthetic scans (24 images): one receipt under 24 of 24.
E2E_MIN_TOTAL ?= 0.95
E2E_MIN_DATE  ?= 0.95
# Phone photos (fixtures/photo, 15 images): one receipt under what reads
# today (15 of 15 totals and dates).
PHOTO_MIN_TOTAL ?= 0.93
PHOTO_MIN_DATE  ?= 0.93
# Chain layouts (fixtures/chains, 51 images, every other one a photo):
# a little under what reads today (see README; items 99.1 %).
CHAIN_MIN_TOTAL ?= 0.96
CHAIN_MIN_DATE  ?= 0.96
CHAIN_MIN_STORE ?= 0.98
CHAIN_MIN_ITEMS ?= 0.97
# Phone photos that once read wrong (a fault since fixed), made on the fly
# by the generator as SEED:INDEX:LEVELS: each must read its total and date.
REGRESS := 305:78:all 313:52:all 305:23:all 305:72:all 313:26:all \
	331:17:flat,tilted,blurred,rotated,shadow,dark \
	331:19:flat,tilted,blurred,rotated,shadow,dark \
	332:58:flat,tilted,blurred,rotated,shadow,dark \
	301:11:faded,harsh 301:48:faded,harsh 311:18:faded,harsh \
	305:51:all 305:79:all \
	332:6:flat,tilted,blurred,rotated,shadow,dark \
	301:26:faded,harsh 311:8:faded,harsh
REGRESS_DIR := $(BUILD)/regress
e2e-test: all $(REGRESS_DIR)/.done
	@tests/cli_test.sh
	@/usr/bin/python3 tests/score.py --min-total $(E2E_MIN_TOTAL) \
	  --min-date $(E2E_MIN_DATE) fixtures/synth
	@/usr/bin/python3 tests/score.py --min-total $(PHOTO_MIN_TOTAL) \
	  --min-date $(PHOTO_MIN_DATE) fixtures/photo
	@/usr/bin/python3 tests/score.py --min-total $(CHAIN_MIN_TOTAL) \
	  --min-date $(CHAIN_MIN_DATE) --min-store $(CHAIN_MIN_STORE) \
	  --min-items $(CHAIN_MIN_ITEMS) fixtures/chains
	@/usr/bin/python3 tests/score.py --min-total 1 --min-date 1 $(REGRESS_DIR)

$(REGRESS_DIR)/.done: fixtures/gen/make_receipts.py fixtures/gen/photo.py Makefile
	@rm -rf $(REGRESS_DIR)
	@set -e; for r in $(REGRESS); do set -- $$(echo $$r | tr : ' '); \
	  $(GEN) --out $(REGRESS_DIR)/$$1 --photo $$3 --size phone --seed $$1 \
	    --first $$2 --count $$2; done
	@touch $@

daemon-test: all $(BUILD)/tests/daemon_test
	@OMP_THREAD_LIMIT=1 $(BUILD)/tests/daemon_test

bench: all $(BUILD)/tests/bench_ledger
	@$(BUILD)/tests/bench_ledger
	@/usr/bin/python3 tests/bench.py
	@/usr/bin/python3 tests/bench_daemon.py
	@$(MAKE) --no-print-directory bench-accuracy

# Without DIR: the committed fixtures, 40 full-size phone photos made on
# the fly (every level; remade when the generator changes) and the shared
# real receipts. Results go to build/accuracy/ (latest.json, previous.json,
# report.html); BASELINE=FILE compares with another run than the last one.
SHARED_RECEIPTS := ../shared/receipts
PHOTO_BENCH := $(BUILD)/photo-bench
GEN := /usr/bin/python3 fixtures/gen/make_receipts.py
bench-accuracy: all $(if $(DIR),,$(PHOTO_BENCH)/.done)
	@/usr/bin/python3 tests/score.py --report $(BUILD)/accuracy \
	  $(if $(BASELINE),--baseline $(BASELINE)) $(or $(DIR),fixtures/synth \
	  fixtures/photo fixtures/chains $(PHOTO_BENCH) $(wildcard $(SHARED_RECEIPTS)))

$(PHOTO_BENCH)/.done: fixtures/gen/make_receipts.py fixtures/gen/photo.py
	@rm -rf $(PHOTO_BENCH)
	@echo "bench-accuracy: generating 40 phone photos into $(PHOTO_BENCH)"
	@$(GEN) --out $(PHOTO_BENCH) --photo all --size phone --seed 11 --count 20 & \
	  $(GEN) --out $(PHOTO_BENCH) --photo all --size phone --seed 11 --count 40 \
	    --first 21; s=$$?; wait $$! && [ $$s = 0 ]
	@touch $@

# Photos for tuning OCR and parser rules (issue 5), made once into
# build/dev/ by seed so that every session measures on the same images:
# choose a rule on tune-*, then check it on held-* (never looked at while
# choosing). NAME:SEED:LEVELS:COUNT. `make bench-dev` scores both parts
# and lists every miss; reports go to build/dev-accuracy/{tune,held}/.
DEV_PHOTOS := $(BUILD)/dev
DEV_SETS := tune-301:301:faded,harsh:60 tune-302:302:faded,harsh:60 \
	tune-303:303:faded,harsh:60 tune-304:304:faded,harsh:60 \
	tune-305:305:all:80 held-311:311:faded,harsh:60 \
	held-312:312:faded,harsh:60 held-313:313:all:60
DEV_DIRS := $(foreach s,$(DEV_SETS),$(DEV_PHOTOS)/$(word 1,$(subst :, ,$(s))))

bench-dev: all $(DEV_DIRS:%=%/.done)
	@for part in tune held; do echo "bench-dev: $$part-*"; \
	  /usr/bin/python3 tests/score.py --misses --jobs 2 \
	    --report $(BUILD)/dev-accuracy/$$part $(DEV_PHOTOS)/$$part-* || exit 1; \
	done

$(DEV_PHOTOS)/%/.done: fixtures/gen/make_receipts.py fixtures/gen/photo.py
	@set -- $(subst :, ,$(filter $*:%,$(DEV_SETS))); rm -rf $(@D); \
	  echo "bench-dev: generating $$4 photos of seed $$2 ($$3) into $(@D)"; \
	  $(GEN) --out $(@D) --photo $$3 --size phone --seed $$2 --count $$4
	@touch $@

# Both sets regenerate byte for byte (same Debian python3-pil and fonts).
fixtures:
	$(GEN) --out fixtures/synth
	rm -rf fixtures/photo/[0-9]*.jpg fixtures/photo/[0-9]*.json
	$(GEN) --out fixtures/photo --size small --count 15 --seed 7 --quality 60-68 \
	  --photo flat,tilted,blurred,faded,rotated,shadow,dark,harsh,rotated
	rm -rf fixtures/chains
	/usr/bin/python3 fixtures/gen/make_chains.py

lint:
	@! grep -nE '\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|sscanf|atoi|atol|gets)\s*\(' \
	  $$(git ls-files '*.c' '*.h' | grep -v common/banned.h) || \
	  { echo "lint: banned function used"; exit 1; }
	@for f in $$(git ls-files '*.c'); do \
	  grep -q '#include "banned.h"' $$f || { echo "lint: $$f does not include banned.h"; exit 1; }; done
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
