# The real peers the tests run on loopback, beside PostgreSQL: Python's aiosmtpd (an SMTP server
# with STARTTLS) in a virtual environment, openssl (the test certificate), and PostgreSQL's client
# programs (pg_dump, pg_restore: backups), and an OpenID provider (npm's oidc-provider, in
# scripts/oidc-provider). NANSEN_TEST_PYTHON names the environment's python.
ensure_test_peers() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/nansen"
  local venv="$cache/test-peers-venv"
  local missing=()
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing the tests' peers: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ! cmp -s scripts/lib/test-peers.txt "$venv/.nansen-installed" 2>/dev/null; then
    echo "Installing the tests' SMTP server (aiosmtpd)"
    rm -rf "$venv"
    mkdir -p "$cache"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/lib/test-peers.txt
    cp scripts/lib/test-peers.txt "$venv/.nansen-installed"
  fi
  export NANSEN_TEST_PYTHON="$venv/bin/python"
  # The OpenID provider the sign-in tests start (oidc-provider, pinned by its lock file).
  if ! cmp -s scripts/oidc-provider/package-lock.json scripts/oidc-provider/node_modules/.nansen-installed 2>/dev/null; then
    echo "Installing the tests' OpenID provider (oidc-provider)"
    (cd scripts/oidc-provider && npm ci --no-audit --no-fund --loglevel=error \
      && cp package-lock.json node_modules/.nansen-installed)
  fi
}
