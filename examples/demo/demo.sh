#!/usr/bin/env bash
# The workshop path on this machine: workspace -> dataset -> profile.
# Run through `make demo`, which sets up the virtualenv first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
workspace=${DEMO_WORKSPACE:-$PWD/demo-workspace}
csv=$(python "$here/sample_data.py")

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

rm -rf "$workspace"
step modelyard workspace create "$workspace" --name attrition-demo
cd "$workspace"
step modelyard up --detach --port 0
trap 'modelyard down >/dev/null' EXIT
step modelyard data create --name employeeattrition --type mltable --path "$csv" \
     --description "IBM HR employee attrition" -o table
step modelyard data list
step modelyard data preview employeeattrition --rows 5
step modelyard data show employeeattrition --consume
step modelyard data profile employeeattrition
