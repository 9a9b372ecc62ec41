#!/usr/bin/env bash
# Makes TorchSharp's libLibTorchSharp.so load on a libstdc++ older than GCC 13's (Debian 12 ships GCC 12's).
# Usage: patch-libtorchsharp.sh OUTPUT_DIR [INTERMEDIATE_DIR]
# Patches every copy of libLibTorchSharp.so under OUTPUT_DIR (build or publish output, including the cpu/ folder
# TorchSharp fills when a first load fails). It never touches the NuGet cache or system libraries: each copy is
# patched in a temporary file that is then renamed over it, so a hard link into the cache is broken, not written.
# Does nothing when the system libstdc++ already has GLIBCXX_3.4.32; running it twice changes nothing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:?usage: patch-libtorchsharp.sh OUTPUT_DIR [INTERMEDIATE_DIR]}"
WORK="${2:-$HERE/obj}"
SHIM=libactortrain_ios_base_init.so
SYMBOL=_ZSt21ios_base_library_initv
VERSION=GLIBCXX_3.4.32

system_libstdcxx() {
  local p
  p=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
  [[ -n "$p" ]] || p=$(g++ -print-file-name=libstdc++.so.6 2>/dev/null || true)
  echo "$p"
}
lib=$(system_libstdcxx)
if [[ -n "$lib" && -f "$lib" ]] && grep -qa "$VERSION" "$lib"; then exit 0; fi

mapfile -t targets < <(find "$OUT" -name libLibTorchSharp.so -type f 2>/dev/null)
((${#targets[@]})) || exit 0
for tool in patchelf g++ python3; do
  command -v "$tool" >/dev/null || { echo "patch-libtorchsharp: '$tool' is needed to patch libLibTorchSharp.so for this libstdc++ (see scripts/setup.sh)" >&2; exit 1; }
done

mkdir -p "$WORK"
if [[ ! -f "$WORK/$SHIM" || "$HERE/ios_base_library_init.cpp" -nt "$WORK/$SHIM" ]]; then
  g++ -shared -fPIC -O2 -o "$WORK/$SHIM.tmp" "$HERE/ios_base_library_init.cpp"
  mv -f "$WORK/$SHIM.tmp" "$WORK/$SHIM"
fi

for target in "${targets[@]}"; do
  dir=$(dirname "$target")
  # The shim sits next to the library: libLibTorchSharp.so's RUNPATH starts with $ORIGIN/.
  cmp -s "$WORK/$SHIM" "$dir/$SHIM" || { cp -f "$WORK/$SHIM" "$dir/$SHIM.tmp" && mv -f "$dir/$SHIM.tmp" "$dir/$SHIM"; }
  if patchelf --print-needed "$target" | grep -qx "$SHIM"; then continue; fi
  tmp="$target.patching"
  cp -f "$target" "$tmp"
  patchelf --add-needed "$SHIM" "$tmp"
  patchelf --clear-symbol-version "$SYMBOL" "$tmp"
  python3 "$HERE/weaken_verneed.py" "$tmp" "$VERSION"
  mv -f "$tmp" "$target"
done
