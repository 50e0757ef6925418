# memmap templates: build, boot, test and measure Linux 7.2.13 + the series.
# `make check` is the test command; `make bench` the benchmark; a bare `make`
# lists the targets and settings (make help). Each target's line in that
# list is its '## ' comment; each setting's is a '#= ' line below.
.PHONY: help all setup tree export kernel initramfs check check-full stress bench numbers mail mail-check clean
.DEFAULT_GOAL := help

#= ARCH        x86_64 [default] or arm64 (QEMU -M virt, cross gcc; in build/arm64): the guests' architecture
#= ACCEL       tcg [default] or kvm (needs a usable /dev/kvm): how QEMU runs guests
#= OVERCOMMIT  1: boot guests larger than this host backs (MemTotal less 2 GiB)
#= KSRC        a Linux 7.2.13 tree to start from (else SHARED's .deb, else apt)
#= SHARED      [../shared] base/linux-source-7.2_7.2.13-1_all.deb and its SHA256SUMS
#= BUILD       [build] where the tree, objects, logs and results go
#= JOBS        [nproc + 1] parallel compile jobs
#= FORCE       1: make tree drops commits and edits in build/linux not exported
#= TIMEOUT     seconds before a guest counts as hung: boot.sh, bench [600]; check's main boot [1800]
#= SIZES       bench: guest sizes in GiB [16] (full run: "4 16 48", OVERCOMMIT=1 here)
#= NODESET     bench: NUMA node counts [2] (full run: "1 2")
#= BOOTS       bench: boots per mode and guest [10]; MODES [off cached nt auto]
#= REBINDS     bench: pmem rebinds [30]; LOADS test_hmm loads [30]; more: bench-deferred/bench.sh
#= CONFIGS     check-full: which configurations [all: sparse cross kunit-arm64 arm64 distro debug kasan no-deferred no-tracepoints no-hotplug numa-fake memmap-on-memory page-ref bisect]
#= MEM         one guest by hand, scripts/boot.sh NAME: MEM NODES CPUS PMEM ... (its header)

help: ## this list (the default target)
	@echo 'make TARGET (settings in the environment: VAR=value make TARGET)'
	@sed -n 's/^\([a-z-]*\):.*## \(.*\)/  \1\t\2/p' Makefile | expand -t 13
	@echo 'Settings:'
	@sed -n 's/^#= /  /p' Makefile
all: check ## the same as check
setup: ## install the Debian packages the harness needs (apt-get, as root)
	scripts/setup.sh
tree: ## build/linux: tag base (7.2.13) + one commit per patch in series
	scripts/tree.sh
export: ## write build/linux's commits back to the patch files in series
	scripts/export.sh
kernel: tree ## build the guest kernel in build/obj (ARCH=arm64: build/arm64/obj; ccache)
	scripts/build.sh
initramfs: kernel ## build/initramfs.cpio (or build/arm64/): tools, modules and guest scripts
	scripts/initramfs.sh
check: ## the test command: build, boot, KUnit + guest tests; ends 'N passed, N failed'
	scripts/check.sh
check-full: ## the config matrix (distro, debug, KASAN, ...; CONFIGS= to pick, ~3 h): ends 'N passed, N failed'
	scripts/check-full.sh
stress: ## stress and fault tests in one guest (~6 min): rebinds, hotplug under pressure, failures
	scripts/stress.sh
bench: ## the benchmark: build/bench/results.json and a table
	bench-deferred/bench.sh
numbers: ## every measured figure of the prose against the results folder it names (also a host test of make check)
	python3 scripts/check-numbers.py
mail: ## the series as numbered mails + cover letter in build/mail: [V=n] [RFC=1] (docs/mail.md)
	V=$(or $(V),1) RFC=$(or $(RFC),0) scripts/mail.sh
mail-check: ## checkpatch, git am and b4 on build/mail
	scripts/mail-check.sh build/mail
clean: ## remove objects, initramfs, logs and bench results (build/linux stays)
	rm -rf build/obj build/initramfs build/initramfs.cpio build/logs build/bench build/full build/arm64
