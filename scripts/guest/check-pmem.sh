# Guest test: fsdax and devdax namespaces, map=dev and map=mem, survive 30
# rounds of rebinds in every mode with their data intact (checked every 10
# rounds), and every bind initialises the memmap once.
. "${MMT:-/mmt}"/lib.sh
. "${MMT:-/mmt}"/pmem.sh
modprobe dax_pmem || t_fail pmem.modprobe "modprobe dax_pmem failed"
for cfg in "fsdax dev 4K" "fsdax mem 4K" "devdax dev 2M" "devdax mem 2M"; do
	set -- $cfg
	t_check "pmem.$1.map=$2.align=$3.30-rebind-rounds-data-intact" pmem_series "$1" "$2" "$3" 30 32
done
