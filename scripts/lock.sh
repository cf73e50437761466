#!/usr/bin/env bash
# Write requirements/*.lock from pyproject.toml: every package pinned, with the hashes of its
# files, for Python 3.11 and newer on any platform (one version of each package for all of them).
#   dev.lock        the dependencies and the dev extra: run.sh, test.sh and so CI install it
#   base.lock       the dependencies alone, at the same versions: the Dockerfile installs it
#   installer.lock  uv, which installs the other two
# Versions already pinned are kept unless asked: ./scripts/lock.sh --upgrade, or
# ./scripts/lock.sh --upgrade-package django. With --check, writes nothing and fails when the
# locks do not say what pyproject.toml asks for (test.sh runs that).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi

# uv itself, at the version installer.lock pins, in the project's .venv (made here if need be).
[ -x .venv/bin/python ] || "$PY" -m venv .venv
uv_pinned=$(sed -n 's/^uv==\([^ ;]*\).*/\1/p' requirements/installer.lock)
if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$uv_pinned" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements/installer.lock
fi

out=requirements
if $check; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  cp requirements/*.lock "$out"/  # the current pins, which uv keeps
fi

compile() {
  # The machine's certificate store, as pip and _venv.sh use.
  UV_SYSTEM_CERTS=1 UV_CUSTOM_COMPILE_COMMAND="./scripts/lock.sh" .venv/bin/uv pip compile -q \
    --universal --python-version 3.11 --fork-strategy fewest --generate-hashes "$@"
}
compile pyproject.toml --extra dev -o "$out/dev.lock" "$@"
# The production set is taken from the dev set's versions, so the image runs what CI tested.
compile pyproject.toml -c "$out/dev.lock" -o "$out/base.lock" "$@"
echo uv | compile - -o "$out/installer.lock" "$@"

if $check; then
  for f in dev base installer; do
    sed -i "s|$out/|requirements/|" "$out/$f.lock"  # the path base.lock names dev.lock by
    if ! diff -q "requirements/$f.lock" "$out/$f.lock" >/dev/null; then
      diff -u "requirements/$f.lock" "$out/$f.lock" >&2 || true
      echo "requirements/$f.lock does not match pyproject.toml: run ./scripts/lock.sh and commit it." >&2
      exit 1
    fi
  done
fi
