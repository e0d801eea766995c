#!/bin/sh
# Install everything the harness needs from Debian's packages.
set -eu
. "$(dirname "$0")/lib.sh"
mkdir -p "$BUILD"
apt_install linux-source-6.12 git make gcc libc6-dev flex bison bc libelf-dev \
	libssl-dev ccache cpio rsync perl python3 busybox-static qemu-system-x86 \
	qemu-utils sparse python3-ply python3-git
say "dependencies installed"
