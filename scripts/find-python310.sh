#!/bin/sh
# Print a Python 3.10 interpreter for Rasa 3.6 (which needs >=3.8,<3.11): $RASA_PYTHON,
# python3.10 on PATH, or a pyenv-installed 3.10.x. Exit 1 with a French hint if none.
for candidate in "${RASA_PYTHON:-}" python3.10 \
    $(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.10.*/bin/python 2>/dev/null) \
    /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    command -v "$candidate"
    exit 0
  fi
done
echo "Python 3.10 introuvable (Rasa 3.6 en a besoin) : installez-le (pyenv install 3.10.13) ou indiquez-le avec RASA_PYTHON=/chemin/python3.10" >&2
exit 1
