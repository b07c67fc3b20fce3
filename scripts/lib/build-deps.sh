# The system tools the build needs beyond Rust: HiGHS (the planning crate's solver, built from
# source by highs-sys) needs cmake and a C++ compiler, and its bindings libclang. Installed from
# Debian's packages when missing.
ensure_build_deps() {
  local missing=()
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  if ! ls /usr/lib/llvm-*/lib/libclang.so* >/dev/null 2>&1 && ! ldconfig -p 2>/dev/null | grep -q libclang; then
    missing+=(libclang-dev)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing the build's system tools: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
