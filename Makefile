# memmap templates: build, boot, test and measure Linux 7.2.13 + the series.
# `make check` is the test command; `make bench` the benchmark.
.PHONY: all setup tree export kernel initramfs check bench mail mail-check clean
all: check

setup:
	scripts/setup.sh
tree:
	scripts/tree.sh
export:
	scripts/export.sh
kernel: tree
	scripts/build.sh
initramfs: kernel
	scripts/initramfs.sh
check:
	scripts/check.sh
bench:
	bench-deferred/bench.sh
# The series as mails in build/mail/: make mail [V=n] [RFC=1] (docs/mail.md).
mail:
	V=$(or $(V),1) RFC=$(or $(RFC),0) scripts/mail.sh
mail-check:
	scripts/mail-check.sh build/mail
clean:
	rm -rf build/obj build/initramfs build/initramfs.cpio build/logs build/bench
