#!/usr/bin/env bash
# Usage: scripts/check-runtime-libs.sh [--dockerfile PATH] BINARY
#
# Checks that every shared library BINARY needs (per `ldd`) is provided in the runtime image:
# each library is mapped to its Debian package (`dpkg -S`), and that package must be
#   - in the Dockerfile's runtime package list (the line after the `# runtime-packages` marker),
#   - or in the base set every bookworm-slim image has (libc6, libgcc-s1, libstdc++6),
#   - or a recursive Depends/PreDepends of a listed package (`apt-cache depends --recurse`).
# Run it on a Debian bookworm machine with the same -dev packages as the builder stage, on the
# release binary. Exit 0 when everything is covered; 1 naming each missing library; 2 on usage
# or environment errors (unreadable binary, library not found by ldd, no apt lists).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DOCKERFILE="$ROOT/Dockerfile"
BASE_PACKAGES="libc6 libgcc-s1 libstdc++6"

while [ $# -gt 0 ]; do
  case "$1" in
    --dockerfile) DOCKERFILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--dockerfile PATH] BINARY" >&2; exit 2; }
BINARY="$1"
[ -f "$BINARY" ] && [ -r "$BINARY" ] || { echo "error: cannot read binary $BINARY" >&2; exit 2; }
[ -r "$DOCKERFILE" ] || { echo "error: cannot read $DOCKERFILE" >&2; exit 2; }
for tool in ldd dpkg apt-cache; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (run on Debian)" >&2; exit 2; }
done

# Runtime package list: the first non-comment line after the marker, continuation backslash dropped.
RUNTIME_PACKAGES="$(awk '
  found && $0 !~ /^[[:space:]]*#/ { sub(/\\[[:space:]]*$/, ""); print; exit }
  /#[[:space:]]*runtime-packages/ { found = 1 }
' "$DOCKERFILE" | tr -s ' \t' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | sort -u | tr '\n' ' ')"
[ -n "$RUNTIME_PACKAGES" ] || { echo "error: no '# runtime-packages' list found in $DOCKERFILE" >&2; exit 2; }
echo "runtime packages ($DOCKERFILE): $RUNTIME_PACKAGES"

# apt-cache needs package lists; without them it silently knows nothing.
if ! apt-cache show libc6 >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2; else echo "error: no apt lists; run apt-get update" >&2; exit 2; fi
fi
for p in $RUNTIME_PACKAGES; do
  apt-cache show "$p" >/dev/null 2>&1 || { echo "error: runtime package $p unknown to apt" >&2; exit 2; }
done

# Closure: the listed packages and everything they (pre-)depend on, recursively.
# shellcheck disable=SC2086
CLOSURE="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances $RUNTIME_PACKAGES 2>/dev/null \
  | awk '/^[^ ]/ { gsub(/[<>]/, ""); sub(/:.*/, ""); print }' | sort -u)"
LISTED="$(printf '%s\n' $RUNTIME_PACKAGES)"
BASE="$(printf '%s\n' $BASE_PACKAGES)"

# Package owning a library path; tries the path as given, its real path, and the merged-/usr twin.
owner() {
  local p cand out
  for cand in "$1" "$(readlink -f "$1")"; do
    for p in "$cand" "${cand#/usr}" "/usr$cand"; do
      out="$(dpkg -S "$p" 2>/dev/null | grep -v '^diversion by' | head -n1 | cut -d: -f1)" || true
      [ -n "$out" ] && { echo "$out"; return 0; }
    done
  done
  return 1
}

LDD_OUT="$(ldd "$BINARY" 2>&1)" || true
if grep -qE 'not a dynamic executable|statically linked' <<<"$LDD_OUT"; then
  echo "$BINARY is statically linked: no shared library to provide"
  echo "1 passed, 0 failed"; exit 0
fi

missing=0; ok=0
while read -r line; do
  name=""; path=""
  case "$line" in
    *"=> not found"*) name="${line%% *}"
      echo "MISSING $name: not found by ldd on this machine"; missing=$((missing + 1)); continue ;;
    *"=>"*) name="${line%% *}"; path="$(awk '{print $3}' <<<"$line")" ;;
    /*) path="${line%% *}"; name="$(basename "$path")" ;;
    *) continue ;;
  esac
  case "$name" in linux-vdso.so*|linux-gate.so*) continue ;; esac
  [ -n "$path" ] || continue
  if ! pkg="$(owner "$path")"; then
    case "$name" in
      libswift*|libFoundation*|lib_Foundation*|libdispatch*|libBlocksRuntime*|libXCTest*)
        hint="Swift runtime library: build with --static-swift-stdlib" ;;
      *) hint="built or installed by hand? it will not be in the image" ;;
    esac
    echo "MISSING $name ($path): no Debian package owns it ($hint)"
    missing=$((missing + 1)); continue
  fi
  if grep -qxF "$pkg" <<<"$LISTED"; then how="listed"
  elif grep -qxF "$pkg" <<<"$BASE"; then how="base image"
  elif grep -qxF "$pkg" <<<"$CLOSURE"; then how="dependency of the listed packages"
  else
    echo "MISSING $name ($path): package $pkg is not in the Dockerfile's runtime-packages list nor pulled in by it"
    missing=$((missing + 1)); continue
  fi
  printf 'ok      %-28s %-22s %s\n' "$name" "$pkg" "$how"
  ok=$((ok + 1))
done <<<"$LDD_OUT"

echo "$ok passed, $missing failed"
[ "$missing" -eq 0 ]
