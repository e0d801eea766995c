# selftest: tools/testing/selftests/suspend, its TAP lines prefixed "@@TAP ".
tp_begin selftest
if [ ! -x /tp/bin/suspend_test ]; then
	tp_end selftest fail "the suspend selftest is not in the initramfs"
	exit
fi
( /tp/bin/suspend_test; echo $? >/tmp/selftest.rc ) 2>&1 | sed 's/^/@@TAP /'
rc=$(cat /tmp/selftest.rc)
if [ "$rc" != 0 ]; then
	tp_end selftest fail "suspend_test exited with $rc"
	exit
fi
tp_devices_ok selftest && tp_end selftest ok
