# stall:N: N seconds without a word on the console, as a hung guest would
# be; stall:s3: S3 with no wake alarm set, so the guest never wakes.
# tests/hang.sh checks what vm.py does with each.
name="stall:$1"
tp_begin "$name"
case $1 in
s3)
	echo deep >/sys/power/mem_sleep
	echo mem >/sys/power/state
	tp_end "$name" fail "the guest woke from S3 with no alarm set"
	exit 0
	;;
'' | *[!0-9]*) tp_end "$name" fail "bad number of seconds '$1'"; exit 0 ;;
esac
sleep "$1"
tp_end "$name" fail "vm.py did not stop the guest in $1 seconds"
