# SPDX-License-Identifier: GPL-2.0
#
# offloadsim - top-level Makefile.
#
#   make                 build kernel/offloadsim.ko against KDIR, and tools/
#   make KDIR=<dir>      ... against any other kernel build directory
#   make matrix          build against every installed Debian header set,
#                        with W=1 and sparse (C=2); results in .build/<ver>/
#   make check           install what is missing, build the matrix, boot each
#                        kernel in QEMU and run the selftests there
#                        (KERNELS="6.12 6.1" and TESTS="pair_basic ..." narrow it)
#   make check-debug     the same suite on a debug kernel built from Debian's
#                        linux-source-6.12 (KASAN, lockdep, kmemleak, UBSAN,
#                        DEBUG_NET, KUnit; cached in /var/tmp/osim-debug)
#   make demo            the main demo, in a QEMU VM: healthy / LSO-MTU bug /
#                        TSO-off workaround, iperf3 (DEMO_SECONDS=10 per phase)
#   make bench           offloadsim next to veth and loopback, iperf3 in a VM
#                        (BENCH_SECONDS=5 BENCH_RUNS=3 BENCH_ROWS=regex)
#   make lint            checkpatch --strict and the matrix build
#   make install         modules_install + the ip(8) plugin (on a real test VM)
#
# The Kbuild file next to this Makefile is what kbuild reads for the module.

KDIR_RUNNING := /lib/modules/$(shell uname -r)/build
KDIR_NEWEST := $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
			grep -v -e -cloud- -e -rt- | sort -V))
ifeq ($(origin KDIR),undefined)
  ifneq ($(wildcard $(KDIR_RUNNING)/Makefile),)
    KDIR := $(KDIR_RUNNING)
    KDIR_WHY := the running kernel
  else
    KDIR := $(KDIR_NEWEST)
    KDIR_WHY := newest installed Debian headers; the running kernel has none
  endif
else
  KDIR_WHY := set by you
endif

# Where Debian's ip(8) looks for link_<kind>.so plugins.
IP_LIB_DIR ?= /usr/lib/$(shell gcc -print-multiarch)/ip

all: module tools

module:
	@test -n "$(KDIR)" || { echo "No kernel headers found: set KDIR, or run scripts/install-deps.sh" >&2; exit 1; }
	@echo "offloadsim: building against KDIR=$(KDIR) ($(KDIR_WHY))"
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

matrix: tools
	scripts/build-matrix.sh

check:
	scripts/check.sh

check-debug:
	scripts/check-debug.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

lint: matrix
	scripts/lint.sh

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	install -D -m 0644 tools/iproute2/link_offloadsim.so $(DESTDIR)$(IP_LIB_DIR)/link_offloadsim.so

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools clean
	rm -rf .build

.PHONY: all module tools matrix check check-debug demo bench lint install clean
