# stall:N: N seconds without a word on the console, as a hung guest would
# be: tests/hang.sh checks what vm.py does with one.
name="stall:$1"
tp_begin "$name"
case $1 in
'' | *[!0-9]*) tp_end "$name" fail "bad number of seconds '$1'"; exit 0 ;;
esac
sleep "$1"
tp_end "$name" fail "vm.py did not stop the guest in $1 seconds"
