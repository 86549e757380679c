#!/usr/bin/env bash
# Installs the Debian packages the gateway and its tests need, when missing. Sourced by scripts/serve and scripts/test.
# Usage: ensure_packages pkg...   (runs apt-get only when something is missing; uses sudo when not root)
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing packages: ${missing[*]}" >&2
    local SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
}

ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "The Swift toolchain (6.1 or later) is required: https://www.swift.org/install/linux/" >&2
        exit 1
    fi
}
