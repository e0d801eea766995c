# hibernate: hibernation to the virtio swap disk, restored by a second boot.
tp_begin hibernate
tp_enter hibernate hibernate && tp_devices_ok hibernate && tp_end hibernate ok
