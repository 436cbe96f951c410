# Shared by scripts/demo and scripts/test: a local virtual environment with Idara installed.
# Usage: source scripts/_venv.sh EXTRAS   (EXTRAS is "" or "[test]")
set -euo pipefail
PYTHON_BIN="${PYTHON:-python3}"
if ! "$PYTHON_BIN" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Idara needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv"
  "$PYTHON_BIN" -m venv .venv
fi
VENV=.venv/bin
"$VENV/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
echo "Installing Idara${1:-} into .venv"
"$VENV/python" -m pip install --quiet --disable-pip-version-check -e ".${1:-}"
