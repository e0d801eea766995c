# net:TRANSITION: raw Ethernet frames from eth0 to eth1 (two e1000 NICs on
# one QEMU hub, nothing leaves QEMU) flow before TRANSITION, stop cleanly
# during it and flow again after it.  No frame may be lost beyond those in
# flight when the sender was frozen (frames sent while a link is still down
# after resume are dropped by the stack by design and counted apart, as
# linkdown_lost); a TX timeout fails the scenario (scripts/vm.py watches the
# console).
name="net:$1"
tp_begin "$name"
if ! ip link set eth0 up || ! ip link set eth1 up; then
	tp_end "$name" fail "cannot bring eth0 and eth1 up"
	exit
fi
if ! tp_links_up 10; then
	tp_end "$name" fail "eth0/eth1 links not up after 10 s"
	exit
fi
stat() { cat "/sys/class/net/$1/statistics/$2"; }
drop0=$(stat eth0 tx_dropped)
rm -f /tmp/net.stop
pkttraffic eth0 eth1 /tmp/net.stop >/tmp/net.out 2>&1 &
pid=$!
rx0=$(stat eth1 rx_packets)
sleep 2
rx1=$(stat eth1 rx_packets)
entered=0
if tp_enter "$name" "$1"; then
	entered=1
	# e1000 renegotiates its link after resume; measure once it is up.
	tp_links_up 10 || entered=2
	rx2=$(stat eth1 rx_packets)
	sleep 2
	rx3=$(stat eth1 rx_packets)
fi
touch /tmp/net.stop
wait $pid
rc=$?
out="$(cat /tmp/net.out) tx_dropped=$(($(stat eth0 tx_dropped) - drop0)) rx_missed=$(stat eth1 rx_missed_errors)"
[ $entered = 0 ] && exit
# sent=N txerr=N received=N lost=N linkdown_lost=N sock_drops=N dup=N
# reordered=N pause_ms=N [lost_seq=A-B]: every field must be there.
for f in sent txerr received lost linkdown_lost sock_drops dup reordered pause_ms; do
	eval "$f="
done
for kv in $out; do
	case $kv in
	sent=*|txerr=*|received=*|lost=*|linkdown_lost=*|sock_drops=*|dup=*|reordered=*|pause_ms=*|tx_dropped=*)
		case ${kv#*=} in
		''|*[!0-9]*) ;;
		*) eval "$kv" ;;
		esac ;;
	esac
done
missing=
for f in sent txerr received lost linkdown_lost sock_drops dup reordered pause_ms; do
	eval "[ -n \"\$$f\" ]" || missing="$missing $f"
done
before=$((rx1 - rx0))
if [ $rc != 0 ] || [ -n "$missing" ]; then
	tp_end "$name" fail "pkttraffic exited $rc, missing:$missing: $out"
elif [ $entered = 2 ]; then
	tp_end "$name" fail "links not up 10 s after $1; $out"
elif [ $before -lt 100 ]; then
	tp_end "$name" fail "no traffic before $1: eth1 received $before frames in 2 s; $out"
elif [ $((rx3 - rx2)) -lt $((before / 4)) ]; then
	tp_end "$name" fail "traffic did not recover after $1: eth1 received $((rx3 - rx2)) frames in 2 s, $before before; $out"
elif [ "$lost" -gt 4 ] || [ "$dup" -ne 0 ] || [ "$reordered" -ne 0 ] || [ "$txerr" -ne 0 ]; then
	tp_end "$name" fail "$out"
elif [ "$linkdown_lost" -gt "$tx_dropped" ]; then
	tp_end "$name" fail "frames lost while a link was down ($linkdown_lost) exceed what eth0 dropped ($tx_dropped); $out"
else
	tp_devices_ok "$name" && tp_end "$name" ok "$out"
fi
