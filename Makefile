# twophase: the patch series and its harness.  See README.md.

SHELL := /bin/sh
TOP := $(CURDIR)
BUILD := $(TOP)/build
KTREE := $(BUILD)/linux
S := $(TOP)/scripts
export TOP BUILD KTREE

# In-VM scenarios (tests/scenarios/NAME.sh[:ARG]).
RUN_PLAN ?= pm_test:devices,pm_test:platform,pm_test:core,s2idle,net:s2idle,s3,net:s3,hibernate,net:hibernate,timeline:s3
CHECK_PLAN ?= pm_test:devices,pm_test:platform,pm_test:core,s2idle,net:s2idle,selftest,s3,net:s3,hibernate,net:hibernate,hibernate:xhci,hibernate:ehci,matrix:s3:8,matrix:hibernate:4,unplug:1
# The whole fault-injection matrix: every device x every phase x these
# kinds, each split over MATRIX_PARTS VMs run side by side (make matrix).
MATRIX_KINDS ?= s3 hibernate
MATRIX_PARTS ?= 2
ACCEL ?= auto

KERNEL := $(BUILD)/vm/arch/x86/boot/bzImage
INITRD := $(BUILD)/initramfs.cpio.gz

.PHONY: all deps tree export rebase check-series check-bisect docs build selftests initramfs run stock run-stock equiv bench matrix soak \
	vm-check kunit checkpatch check clean help

all: help

help:
	@echo "make run            base -> tree -> build -> boot; suspend, s2idle, hibernate in QEMU"
	@echo "make check          KUnit, VM scenarios, selftests, series checks; ends 'N passed, N failed'"
	@echo "make tree           build/linux: the 6.12 base, tagged, with patches/series applied"
	@echo "make export         write build/linux's commits back to patches/"
	@echo "make rebase         move build/linux onto the installed 6.12.y base, then export"
	@echo "make check-series   patches/ apply to a fresh tree and export byte for byte"
	@echo "make check-bisect   every patch alone: VM + PM_SLEEP=n builds, W=1, sparse, kernel-doc"
	@echo "make docs           kernel-doc on the touched sources, HTML of Documentation/power/"
	@echo "make run-stock      make run's plan on stock 6.12 (the base plus the test driver)"
	@echo "make equiv          stock and patched callback sequences of S3 and hibernation must match"
	@echo "make bench          stock vs patched: device phases with 10,000 synthetic devices; USB in hibernation"
	@echo "make matrix         fault injection: every device x every phase x {S3, hibernation}"
	@echo "make soak CYCLES=N  N transitions in a row: s2idle, pm_test=core, S3, hibernation"
	@echo "make deps           install the Debian packages the harness needs"

deps:
	@sh $(S)/deps.sh

# The tree is made once; 'make tree' again re-applies patches/ (keeping
# the old branch as refs/twophase-backup/*).
$(KTREE)/.git:
	@sh $(S)/deps.sh
	@sh $(S)/tree.sh

tree:
	@sh $(S)/deps.sh
	@sh $(S)/tree.sh

export: | $(KTREE)/.git
	@sh $(S)/export.sh

# The base moved (a new linux-source-6.12, or LINUX_SRC=/path): commit it,
# rebase the series onto it, export; patches/base records it.
rebase: | $(KTREE)/.git
	@sh $(S)/rebase.sh

check-series: | $(KTREE)/.git
	@sh $(S)/check-series.sh

build: | $(KTREE)/.git
	@sh $(S)/deps.sh
	@sh $(S)/build-vm.sh
	@$(MAKE) --no-print-directory selftests initramfs

selftests: | $(KTREE)/.git
	@mkdir -p $(BUILD)/selftests
	@$(MAKE) -s -C $(KTREE)/tools/testing/selftests TARGETS=suspend \
		O=$(BUILD)/selftests LDFLAGS=-static >$(BUILD)/selftests/build.log 2>&1 || \
		{ cat $(BUILD)/selftests/build.log; echo "twophase: error: selftest build failed"; exit 1; }

initramfs:
	@sh $(S)/initramfs.sh $(INITRD)

# run_plan NAME KERNEL OUTDIR: RUN_PLAN's scenarios, then the timeline
# picture of each timeline:KIND of the plan (make run, make run-stock).
define run_plan
	@rc=0; python3 $(S)/vm.py --name $(1) --kernel $(2) --initrd $(INITRD) \
		--plan $(RUN_PLAN) --out $(3) --accel $(ACCEL) || rc=$$?; \
	case ,$(RUN_PLAN), in *,timeline*) python3 $(S)/timeline.py $(3)/console.log $(3) || rc=1;; esac; \
	exit $$rc
endef

run: build
	$(call run_plan,run,$(KERNEL),$(BUILD)/run)

vm-check: build
	@python3 $(S)/vm.py --name vm-check --kernel $(KERNEL) --initrd $(INITRD) \
		--plan $(CHECK_PLAN) --out $(BUILD)/vm-check --accel $(ACCEL) --usb-swap

# Every device x every phase x {S3, hibernation}, a failure injected in
# each (tests/scenarios/matrix.sh).  Hours; make check runs a sample.
matrix: build
	@MATRIX_KINDS="$(MATRIX_KINDS)" MATRIX_PARTS="$(MATRIX_PARTS)" MATRIX_SAMPLE="$(MATRIX_SAMPLE)" \
		sh $(S)/matrix.sh $(KERNEL) $(INITRD) $(BUILD)/matrix $(ACCEL)

# CYCLES transitions in a row: s2idle, pm_test=core, S3, hibernation, ...
# Stops at the first failure.  Not part of make check.
CYCLES ?= 1000
soak: build
	@case "$(CYCLES)" in ''|*[!0-9]*) echo "twophase: error: CYCLES=$(CYCLES) is not a number"; exit 1;; esac
	@python3 $(S)/vm.py --name soak --kernel $(KERNEL) --initrd $(INITRD) \
		--plan soak:$(CYCLES) --out $(BUILD)/soak --accel $(ACCEL) \
		--timeout 172800 --idle 600

# Every patch on its own: VM and PM_SLEEP=n builds, W=1, sparse and
# kernel-doc on the files it touches.  About an hour; not part of make check.
check-bisect: | $(KTREE)/.git
	@sh $(S)/check-bisect.sh

# kernel-doc on the touched sources and the HTML of Documentation/power/.
docs: | $(KTREE)/.git
	@sh $(S)/docs.sh

# Stock 6.12 (the base plus only the synthetic-devices test driver) in
# build/stock, built into build/vm-stock,
# for side-by-side runs: make run-stock.
stock: | $(KTREE)/.git
	@sh $(S)/stock.sh

# Stock and patched on the same VM, S3 and hibernation traced with
# pm_async=0: the device PM callback sequences must be identical.
equiv: build stock
	@ACCEL=$(ACCEL) sh $(S)/equiv.sh

# A benchmark, not a test: not part of make check.  BENCH_SHAPES,
# BENCH_COUNT, BENCH_CYCLES, BENCH_DELAY (us) and BENCH_HIB (hibernations
# for the USB part) as in scripts/bench.sh.
# Both kernels are built without lock debugging (configs/bench.config),
# in build/vm-bench and build/vm-bench-stock.
bench: | $(KTREE)/.git
	@sh $(S)/deps.sh
	@VMOUT=$(BUILD)/vm-bench EXTRA_CONFIG=$(TOP)/configs/bench.config sh $(S)/build-vm.sh
	@STOCK_VMOUT=$(BUILD)/vm-bench-stock EXTRA_CONFIG=$(TOP)/configs/bench.config \
		sh $(S)/stock.sh
	@$(MAKE) --no-print-directory selftests initramfs
	@ACCEL=$(ACCEL) sh $(S)/bench.sh

run-stock: stock initramfs
	$(call run_plan,stock,$(BUILD)/vm-stock/arch/x86/boot/bzImage,$(BUILD)/run-stock)

kunit: | $(KTREE)/.git
	@sh $(S)/kunit.sh

checkpatch: | $(KTREE)/.git
	@sh $(S)/checkpatch.sh

check:
	@sh $(S)/check.sh

clean:
	rm -rf $(BUILD)/vm $(BUILD)/kunit $(BUILD)/run $(BUILD)/vm-check \
		$(BUILD)/selftests $(BUILD)/initramfs*
