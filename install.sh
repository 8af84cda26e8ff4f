#!/bin/sh
# Installs the waypoint binary for Linux or macOS, without sudo:
#
#   curl -fsSL https://raw.githubusercontent.com/waypoint-codex/waypoint/main/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- 1.2.0       # a specific version
#   curl -fsSL .../install.sh | sh -s -- --uninstall # remove the binary
#
# The binary comes from the npm package waypoint-codex-<os>-<arch> (the same
# one `npm install -g waypoint-codex` and `waypoint upgrade` use). Running
# the script again upgrades in place.
#
# Environment:
#   WAYPOINT_VERSION   version to install (default: latest); an argument wins
#   WAYPOINT_INSTALL   install root (default: ~/.waypoint); binary in bin/
#   WAYPOINT_REGISTRY  npm registry URL (default: https://registry.npmjs.org)
#   WAYPOINT_OS, WAYPOINT_ARCH  override platform detection
#   WAYPOINT_LIBC               override C library detection on Linux (glibc, musl)
#                      (linux|darwin, x64|arm64; used by the tests)
#   WAYPOINT_INSTALL_TIMEOUT  give up after this many seconds in all
#                      (default: 600)
#
# Needs: curl or wget; tar with gzip; awk; and one of sha512sum,
# shasum (macOS) or openssl to check the download's sha512 integrity.
#
# Written for POSIX sh (tested with dash); any failure prints one line
# starting with "waypoint-install:" and leaves the previous install as it was,
# with no temporary file behind (also on Ctrl-C, SIGTERM and SIGHUP).

set -eu

PACKAGE=waypoint-codex
DEFAULT_REGISTRY=https://registry.npmjs.org

# Size caps: a real release is about 40 MiB packed, 100 MiB unpacked.
MAX_METADATA_BYTES=67108864
MAX_TARBALL_BYTES=268435456
MAX_BINARY_BYTES=536870912

tmp_dir=""
staged=""
child=""
watchdog=""

# say TEXT: prints a line with any URL credentials shown as ***.
say() {
  if command -v sed >/dev/null 2>&1; then
    printf '%s\n' "$*" | sed 's#://[^/@[:space:]]*@#://***@#g'
  else
    printf '%s\n' "$*"
  fi
}

fail() {
  say "waypoint-install: $*" >&2
  exit 1
}

cleanup() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; fi
  if [ -n "$watchdog" ]; then kill "$watchdog" 2>/dev/null || true; fi
  if [ -n "$staged" ]; then rm -f "$staged"; fi
  if [ -n "$tmp_dir" ]; then rm -rf "$tmp_dir"; fi
}

# on_signal CODE: a signal ends the install; nothing is left behind.
on_signal() {
  trap - EXIT
  cleanup
  exit "$1"
}

on_timeout() {
  trap - EXIT
  cleanup
  say "waypoint-install: gave up after $time_limit s (set WAYPOINT_INSTALL_TIMEOUT to allow more time); nothing was installed" >&2
  exit 1
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP
trap 'on_timeout' ALRM

# start_watchdog: sends ALRM to this script once the time limit is up, and
# ends by itself within a second of the script ending.
start_watchdog() {
  main_pid=$$
  (
    waited=0
    while kill -0 "$main_pid" 2>/dev/null; do
      if [ "$waited" -ge "$time_limit" ]; then
        kill -ALRM "$main_pid" 2>/dev/null
        break
      fi
      sleep 1 || break
      waited=$((waited + 1))
    done
  ) </dev/null >/dev/null 2>&1 &
  watchdog=$!
}

# bounded OUT COMMAND...: runs COMMAND in the background (stdin from
# /dev/null, stdout to OUT, stderr discarded) and waits for it, so that a
# signal or the time limit can interrupt it (a foreground command would
# delay the trap until it ends). Redirections stay inside: one around the
# call would also swallow the trap's message. Returns its exit status.
bounded() {
  bounded_out=$1
  shift
  "$@" </dev/null >"$bounded_out" 2>/dev/null &
  child=$!
  bounded_status=0
  wait "$child" || bounded_status=$?
  child=""
  return "$bounded_status"
}

# file_size FILE: its size in bytes.
file_size() {
  # Arithmetic drops the padding BSD wc adds.
  echo "$(($(wc -c <"$1")))"
}

has() {
  command -v "$1" >/dev/null 2>&1
}

detect_os() {
  if [ -n "${WAYPOINT_OS:-}" ]; then
    os=$WAYPOINT_OS
  else
    os=$(uname -s)
  fi
  case $os in
    Linux | linux) os=linux ;;
    Darwin | darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT | windows)
      fail "this script is for Linux and macOS; on Windows run install.ps1 in PowerShell"
      ;;
    *) fail "unsupported operating system: $os (waypoint runs on Linux and macOS; on Windows use install.ps1)" ;;
  esac
}

detect_arch() {
  if [ -n "${WAYPOINT_ARCH:-}" ]; then
    arch=$WAYPOINT_ARCH
  else
    arch=$(uname -m)
    # A shell under Rosetta 2 reports x86_64 on Apple silicon; prefer the
    # native binary.
    if [ "$os" = darwin ] && [ "$arch" = x86_64 ] &&
      [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
      arch=arm64
    fi
  fi
  case $arch in
    x86_64 | amd64 | x64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "unsupported CPU architecture: $arch (waypoint runs on x64 and arm64)" ;;
  esac
}

# detect_libc: the Linux binaries are linked against glibc and do not start on
# a musl system such as Alpine, so say so before downloading anything.
detect_libc() {
  [ "$os" = linux ] || return 0
  if [ -n "${WAYPOINT_LIBC:-}" ]; then
    libc=$WAYPOINT_LIBC
  elif ls /lib/ld-musl-* >/dev/null 2>&1 ||
    { has ldd && ldd --version 2>&1 | grep -qi musl; }; then
    libc=musl
  else
    libc=glibc
  fi
  case $libc in
    glibc | gnu) ;;
    musl) fail "this Linux uses musl libc (Alpine?), and waypoint's Linux binaries need glibc: run waypoint from source with Deno instead (see the README, 'Run it from a checkout')" ;;
    *) fail "unknown C library: $libc (WAYPOINT_LIBC takes glibc or musl)" ;;
  esac
}

pick_downloader() {
  if has curl; then
    downloader=curl
  elif has wget; then
    downloader=wget
  else
    fail "neither curl nor wget is installed; install one of them and run this script again"
  fi
}

# capped BLOCKS COMMAND...: runs COMMAND in place of this (background)
# subshell with a file size limit of BLOCKS 512-byte blocks (1 KiB blocks in
# bash outside POSIX mode: twice the room, still a bound), so the kernel
# refuses a write past it. SIGXFSZ is ignored (and stays so across exec): the
# write fails, the downloader exits with its own error, and no shell prints
# "File size limit exceeded". Lowering the limit only fails when it is
# already lower, which caps the download as well.
capped() {
  trap '' XFSZ 2>/dev/null || true
  ulimit -f "$1" 2>/dev/null || true
  shift
  exec "$@"
}

# download URL FILE MAX_BYTES [HINT]: fails with one line naming the URL.
# Each request gives up after 20 s without data or when it goes slower than
# 1 KiB/s for 30 s; the watchdog bounds the whole run. curl's --max-filesize
# is sure only when the server sends a length and wget has no cap at all, so
# both run capped just above MAX_BYTES: an endless answer never fills the disk.
download() {
  status=0
  cap_blocks=$(($3 / 512 + 2))
  if [ "$downloader" = curl ]; then
    bounded /dev/null capped "$cap_blocks" curl -fsSL --retry 2 \
      --connect-timeout 20 --speed-limit 1024 --speed-time 30 \
      --max-time "$((time_limit + 5))" --max-filesize "$3" -o "$2" "$1" ||
      status=$?
    # curl exits 22 when the server answered with an HTTP error, 63 when
    # the file is larger than --max-filesize, 28 on a timeout.
    http_error=22
    too_big=63
    timed_out=28
  else
    bounded /dev/null capped "$cap_blocks" wget -q -T 20 -t 2 -O "$2" "$1" ||
      status=$?
    # wget exits 8 when the server answered with an HTTP error.
    http_error=8
    too_big=-1
    timed_out=-1
  fi
  # The size first: the cap ends the downloader with a signal, which would
  # otherwise read as a network error.
  if [ -f "$2" ] && [ "$(file_size "$2")" -gt "$3" ]; then
    fail "$1 is larger than $3 bytes; refusing to use it"
  elif [ "$status" -eq "$http_error" ]; then
    fail "the registry answered $1 with an error${4:+ ($4)}"
  elif [ "$status" -eq "$too_big" ]; then
    fail "$1 is larger than $3 bytes; refusing to download it"
  elif [ "$status" -eq "$timed_out" ]; then
    fail "the registry is too slow sending $1 (under 1 KiB/s); nothing was installed"
  elif [ "$status" -ne 0 ]; then
    fail "could not download $1 (network error; check your connection or WAYPOINT_REGISTRY)"
  fi
}

# json_string KEY FILE: the first string value of "KEY" in a small JSON
# document. Splitting at commas and braces puts each pair on its own line;
# the values read here (versions, URLs, base64) hold none of , { } or ".
json_string() {
  awk '{ gsub(/[,{}]/, "\n"); print }' "$2" |
    sed -n "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" |
    head -n 1
}

# sha512_hex FILE: lowercase hex digest, from whichever tool exists.
sha512_hex() {
  if has sha512sum; then
    sha512sum <"$1" | awk '{ print $1 }'
  elif has shasum; then
    shasum -a 512 <"$1" | awk '{ print $1 }'
  elif has openssl; then
    # Prints "SHA2-512(stdin)= <hex>" or "(stdin)= <hex>" by version.
    openssl dgst -sha512 <"$1" | awk '{ print $NF }'
  else
    fail "no sha512 tool found (need sha512sum, shasum or openssl) to verify the download"
  fi
}

# base64_to_hex: decodes standard base64 on stdin to lowercase hex, in awk
# so that no particular base64 tool (GNU, BSD, openssl) is needed.
base64_to_hex() {
  awk '
    BEGIN {
      alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      for (i = 0; i < 64; i++) value[substr(alphabet, i + 1, 1)] = i
    }
    {
      bits = 0; count = 0; out = ""
      for (i = 1; i <= length($0); i++) {
        c = substr($0, i, 1)
        if (c == "=") break
        if (!(c in value)) exit 1
        bits = bits * 64 + value[c]; count += 6
        if (count >= 8) {
          count -= 8
          byte = int(bits / 2 ^ count)
          bits -= byte * 2 ^ count
          out = out sprintf("%02x", byte)
        }
      }
      print out
    }'
}

# check_executable FILE: fails unless FILE starts with the header of a 64-bit
# native executable for $os-$arch (ELF on Linux, Mach-O on macOS; x86-64 or
# arm64), so a script or another platform's binary is never installed. The
# same rule as src/update/executable_format.ts, reduced to the header bytes.
check_executable() {
  # One word per byte (hex): $1..$4 magic, then class, machine, CPU type.
  # shellcheck disable=SC2046
  set -- $(od -An -v -tx1 -N 64 "$1" 2>/dev/null)
  want_machine=""
  problem=""
  if [ $# -lt 2 ]; then
    problem="it is empty or unreadable"
  elif [ "$1$2" = 2321 ]; then
    problem="it is a script (starts with #!), not a native executable"
  elif [ $# -lt 32 ]; then
    problem="it is truncated ($# bytes, too short for an executable header)"
  else
    case "$1$2$3$4:$os" in
      7f454c46:linux)
        if [ $# -lt 64 ]; then
          problem="it is truncated ($# bytes, too short for an ELF header)"
        elif [ "$5$6" != 0201 ]; then
          problem="it is a 32-bit or big-endian ELF file, not a 64-bit one"
        fi
        machine=${19}${20}
        case $arch in x64) want_machine=3e00 ;; arm64) want_machine=b700 ;; esac
        ;;
      cffaedfe:darwin)
        machine=$5$6$7$8
        case $arch in x64) want_machine=07000001 ;; arm64) want_machine=0c000001 ;; esac
        ;;
      7f454c46:*) problem="it is a Linux (ELF) executable, not one for $os" ;;
      cffaedfe:*) problem="it is a macOS (Mach-O) executable, not one for $os" ;;
      4d5a*) problem="it is a Windows (PE) executable, not one for $os" ;;
      *) problem="it is not a native executable (no ELF or Mach-O header)" ;;
    esac
    if [ -z "$problem" ] && [ "$machine" != "$want_machine" ]; then
      problem="it is built for another CPU (machine $machine), not $arch"
    fi
  fi
  if [ -n "$problem" ]; then
    fail "$platform_package@$version does not hold a waypoint binary for $os-$arch: $problem; nothing was installed"
  fi
}

# installed_version BINARY: sets $reported to the first line BINARY
# --version prints. The output goes to a file, so a child it leaves behind
# cannot hold us, and it runs in the background so signals and the time
# limit can interrupt it (not in $(...), where traps wait).
installed_version() {
  reported=""
  if [ -x "$1" ]; then
    # Stdin is /dev/null: under `curl ... | sh` it is the rest of this script.
    bounded "$tmp_dir/version" "$1" --version || true
    reported=$(head -n 1 "$tmp_dir/version")
  fi
}

# with_registry_credentials URL: URL with the user:password of
# WAYPOINT_REGISTRY when it is on the registry's host (as npm does for
# tarballs); other hosts never see them.
with_registry_credentials() {
  scheme=${registry%%://*}
  authority=${registry#*://}
  authority=${authority%%/*}
  case $authority in
    *@*) ;;
    *)
      printf '%s\n' "$1"
      return 0
      ;;
  esac
  userinfo=${authority%@*}
  host=${authority##*@}
  case $1 in
    "$scheme://$host/"*) printf '%s\n' "$scheme://$userinfo@${1#"$scheme://"}" ;;
    *) printf '%s\n' "$1" ;;
  esac
}

# remove_stale_staging DIR: staging files of installs that were killed
# (their process no longer runs).
remove_stale_staging() {
  for stale in "$1"/.waypoint.*.tmp; do
    [ -f "$stale" ] || continue
    stale_pid=${stale##*/.waypoint.}
    stale_pid=${stale_pid%.tmp}
    case $stale_pid in
      '' | *[!0-9]*) continue ;;
    esac
    if ! kill -0 "$stale_pid" 2>/dev/null; then rm -f "$stale"; fi
  done
}

# uninstall: deletes the binary this script installs ($WAYPOINT_INSTALL/bin/
# waypoint), any staging file a killed run left, then bin/ and the install
# root if that leaves them empty. Nothing is run; a symlink or anything but
# a regular file there is refused, since this script never puts one there.
uninstall() {
  if [ -z "${WAYPOINT_INSTALL:-}" ] && [ -z "${HOME:-}" ]; then
    fail "HOME is not set; set WAYPOINT_INSTALL to the install root"
  fi
  install_root=${WAYPOINT_INSTALL:-$HOME/.waypoint}
  bin_dir=$install_root/bin
  target=$bin_dir/waypoint
  if [ -L "$target" ] || { [ -e "$target" ] && [ ! -f "$target" ]; }; then
    fail "$target is not a regular file, so this script did not put it there; remove it yourself"
  fi
  if [ ! -e "$target" ]; then
    say "No waypoint binary at $target; nothing to remove"
  else
    rm -f "$target" 2>/dev/null || true
    if [ -e "$target" ]; then fail "cannot remove $target (permission denied?)"; fi
    say "Removed $target"
  fi
  for stale in "$bin_dir"/.waypoint.*.tmp; do
    if [ -f "$stale" ] && [ ! -L "$stale" ]; then rm -f "$stale"; fi
  done
  rmdir "$bin_dir" 2>/dev/null || true
  rmdir "$install_root" 2>/dev/null || true
  say "Delete the PATH line for $bin_dir from your shell profile if you added one. Repositories keep their waypoint files: run 'waypoint remove' in a repository before uninstalling to take them out."
}

main() {
  if [ $# -gt 1 ]; then
    fail "usage: install.sh [version | --uninstall]"
  fi
  case ${1:-} in
    -h | --help)
      printf '%s\n' \
        "usage: install.sh [version | --uninstall]" \
        "Installs waypoint to \$WAYPOINT_INSTALL/bin (default ~/.waypoint/bin)," \
        "or with --uninstall deletes it from there." \
        "Environment: WAYPOINT_VERSION, WAYPOINT_INSTALL, WAYPOINT_REGISTRY."
      exit 0
      ;;
    --uninstall)
      uninstall
      exit 0
      ;;
    -*) fail "unknown option: $1 (usage: install.sh [version | --uninstall])" ;;
  esac

  time_limit=${WAYPOINT_INSTALL_TIMEOUT:-600}
  case $time_limit in
    '' | *[!0-9]* | 0) fail "WAYPOINT_INSTALL_TIMEOUT must be a number of seconds, found '$time_limit'" ;;
  esac
  start_watchdog

  detect_os
  detect_arch
  detect_libc
  pick_downloader

  registry=${WAYPOINT_REGISTRY:-$DEFAULT_REGISTRY}
  registry=${registry%/}
  requested=${1:-${WAYPOINT_VERSION:-latest}}
  requested=${requested#v}
  if [ -z "${WAYPOINT_INSTALL:-}" ] && [ -z "${HOME:-}" ]; then
    fail "HOME is not set; set WAYPOINT_INSTALL to choose where to install"
  fi
  install_root=${WAYPOINT_INSTALL:-$HOME/.waypoint}
  bin_dir=$install_root/bin
  target=$bin_dir/waypoint
  platform_package=$PACKAGE-$os-$arch

  tmp_dir=$(mktemp -d 2>/dev/null || mktemp -d -t waypoint-install 2>/dev/null) ||
    fail "cannot create a temporary folder (is TMPDIR writable?)"

  # "latest" means the main package's latest tag: the platform packages are
  # published first, so theirs may run ahead of a release that failed.
  if [ "$requested" = latest ]; then
    download "$registry/$PACKAGE/latest" "$tmp_dir/main.json" "$MAX_METADATA_BYTES" \
      "is $PACKAGE published there?"
    version=$(json_string version "$tmp_dir/main.json")
    [ -n "$version" ] || fail "could not read the latest version from $registry/$PACKAGE/latest"
  else
    version=$requested
  fi

  installed_version "$target"
  current=$reported
  if [ "$current" = "$version" ]; then
    say "waypoint $version is already installed at $target"
    print_path_hint
    return 0
  fi

  say "Installing waypoint $version ($os-$arch) from $registry"
  download "$registry/$platform_package/$version" "$tmp_dir/meta.json" \
    "$MAX_METADATA_BYTES" "does version $version of $platform_package exist?"
  tarball=$(json_string tarball "$tmp_dir/meta.json")
  integrity=$(json_string integrity "$tmp_dir/meta.json")
  # SRI may list several hashes separated by spaces; npm puts sha512 first.
  integrity=${integrity%% *}
  [ -n "$tarball" ] || fail "no dist.tarball in the metadata of $platform_package@$version"
  case $integrity in
    sha512-*) ;;
    *) fail "no sha512 integrity in the metadata of $platform_package@$version" ;;
  esac

  tarball=$(with_registry_credentials "$tarball")
  download "$tarball" "$tmp_dir/package.tgz" "$MAX_TARBALL_BYTES"
  expected=$(printf '%s\n' "${integrity#sha512-}" | base64_to_hex) ||
    fail "malformed integrity value for $platform_package@$version: $integrity"
  actual=$(sha512_hex "$tmp_dir/package.tgz")
  if [ -z "$actual" ] || [ "$expected" != "$actual" ]; then
    fail "checksum mismatch for $tarball: the download is corrupt or was tampered with; nothing was installed"
  fi

  # Only after the integrity check: unpack the binary, at most
  # MAX_BINARY_BYTES of it (head stops a decompression bomb early).
  tar -xzOf "$tmp_dir/package.tgz" package/bin/waypoint 2>/dev/null |
    head -c "$((MAX_BINARY_BYTES + 1))" >"$tmp_dir/waypoint" || true
  unpacked=$(file_size "$tmp_dir/waypoint")
  if [ "$unpacked" -gt "$MAX_BINARY_BYTES" ]; then
    fail "$tarball holds a binary larger than $MAX_BINARY_BYTES bytes (a decompression bomb or a broken package); nothing was installed"
  elif [ "$unpacked" -eq 0 ]; then
    fail "$tarball does not contain package/bin/waypoint"
  fi
  check_executable "$tmp_dir/waypoint"

  mkdir -p "$bin_dir" 2>/dev/null || fail "cannot create $bin_dir (permission denied?)"
  remove_stale_staging "$bin_dir"
  # Stage next to the target so the final mv is a rename on one file
  # system: the old binary is replaced whole or not at all.
  staged=$bin_dir/.waypoint.$$.tmp
  cp "$tmp_dir/waypoint" "$staged" 2>/dev/null || fail "cannot write to $bin_dir (permission denied?)"
  chmod 755 "$staged" 2>/dev/null || fail "cannot make $staged executable"
  installed_version "$staged"
  if [ "$reported" != "$version" ]; then
    fail "the downloaded binary does not run here (it reported '${reported:-nothing}', expected $version)"
  fi
  mv -f "$staged" "$target" 2>/dev/null || fail "cannot replace $target (permission denied?)"
  staged=""

  if [ -n "$current" ]; then
    say "Updated waypoint $current -> $version at $target"
  else
    say "Installed waypoint $version at $target"
  fi
  print_path_hint
}

print_path_hint() {
  case ":${PATH:-}:" in
    *":$bin_dir:"*)
      printf 'Run: waypoint --help\n'
      return 0
      ;;
  esac
  case ${SHELL:-} in
    */zsh) profile=.zshrc ;;
    */bash) if [ "$os" = darwin ]; then profile=.bash_profile; else profile=.bashrc; fi ;;
    */fish) profile="" ;;
    *) profile=.profile ;;
  esac
  printf '\n%s is not on your PATH. To add it, run:\n' "$bin_dir"
  if [ -z "$profile" ]; then
    printf '  fish_add_path %s\n' "$bin_dir"
  else
    printf "  echo 'export PATH=\"%s:\$PATH\"' >> ~/%s\n" "$bin_dir" "$profile"
  fi
  printf 'then open a new terminal and run: waypoint --help\n'
}

main "$@"
