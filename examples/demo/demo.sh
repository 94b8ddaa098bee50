#!/usr/bin/env bash
# The workshop path on this machine: workspace -> dataset -> profile -> AutoML -> registered model.
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
step modelyard compute create --name cpucluster --type cluster --min-instances 0 --max-instances 2 \
     --idle-time-before-scale-down 120 -o table
step modelyard job create -f "$here/automl.yml" --stream      # about a minute: progress, then the leaderboard
job=$(modelyard job list --experiment-name automl-attrition --limit 1 -o json \
      | python -c "import json,sys; print(json.load(sys.stdin)[0]['name'])")
model_uri=$(modelyard job show "$job" -o json | python -c "import json,sys; print(json.load(sys.stdin)['properties']['best_model_uri'])")
step modelyard model create --name attrition-model --path "$model_uri" -o json >/dev/null
step modelyard model update attrition-model:1 --set-alias champion -o json >/dev/null
step modelyard model list
