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
if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip \
       && .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"; } >data/pip-install.log 2>&1; then
  cat data/pip-install.log >&2
  echo "Installing Vänmatch's Python packages failed (log above, also in data/pip-install.log)." >&2
  exit 1
fi
