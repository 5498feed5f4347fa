#!/usr/bin/env bash
# Runs before `npm test` (npm's pretest): installs the system packages Temper's tests use when they are
# missing, so that the README's test command works on a fresh machine. Quick when everything is present.
set -euo pipefail

need=()
# Dawn (npm `webgpu`) runs the WebGPU tests on SwiftShader's Vulkan driver, which Debian's chromium ships;
# the browser tests drive that chromium headless. Dawn loads the driver through the Vulkan loader.
[ -e /usr/lib/chromium/libvk_swiftshader.so ] || need+=(chromium)
grep -q 'libvulkan\.so\.1' <<<"$(ldconfig -p 2>/dev/null)" || need+=(libvulkan1)
# test/distributed.test.ts runs a real redis-server and PostgreSQL.
command -v redis-server >/dev/null || need+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null || need+=(postgresql)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "temper: the tests need these system packages, and installing them needs root: ${need[*]}" >&2
  echo "temper: install them (apt-get install ${need[*]}) and run npm test again" >&2
  exit 1
fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "temper: installing system packages the tests use: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "temper: installed ${need[*]}"
