# Shared by run.sh and test.sh: make .venv with the project installed. Sourced, not run.
PY=${PYTHON:-python3}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  # Debian/Ubuntu: install system packages once, non-interactively.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null \
    || { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Vänmatch needs Python 3.11 or newer; $PY is $("$PY" --version 2>&1)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    echo "Installing python3-venv with apt-get ..."
    apt_install python3-venv
    "$PY" -m venv .venv
  fi
fi
mkdir -p data
install_locked() {
  # The versions CI tested: uv (pinned in requirements/installer.lock, installed by pip) installs
  # requirements/dev.lock, every package pinned with its hashes, then Vänmatch itself, editable.
  # Regenerate the locks with scripts/lock.sh after changing the dependencies in pyproject.toml.
  local uv_pinned
  uv_pinned=$(sed -n 's/^uv==\([^ ;]*\).*/\1/p' requirements/installer.lock)
  if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$uv_pinned" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements/installer.lock
  fi
  # uv trusts the machine's certificate store, as pip does (without it, only uv's own roots: a
  # machine that reaches PyPI through a proxy with a CA of its own would be refused).
  local uv="env UV_SYSTEM_CERTS=1 .venv/bin/uv"
  $uv pip install -q --python .venv/bin/python --require-hashes -r requirements/dev.lock
  $uv pip install -q --python .venv/bin/python --no-deps -e .
}
if ! install_locked >data/install.log 2>&1; then
  cat data/install.log >&2
  echo "Installing Vänmatch's Python packages failed (log above, also in data/install.log)." >&2
  exit 1
fi
