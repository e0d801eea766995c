# s2idle: suspend to idle (see tp_enter in tests/lib.sh for the wake source).
tp_begin s2idle
tp_enter s2idle s2idle && tp_devices_ok s2idle && tp_end s2idle ok
