#!/usr/bin/env bash
# The workshop path on this machine: workspace -> dataset -> profile -> AutoML -> registered model
# -> live endpoint with a key -> a scored request. Run through `make demo`, which sets up the virtualenv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
workspace=${DEMO_WORKSPACE:-$PWD/demo-workspace}
csv=$(python "$here/sample_data.py")

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
field() { python -c "import json,sys; print(json.load(sys.stdin)$1)"; }

if [ -d "$workspace/.modelyard" ]; then (cd "$workspace" && modelyard down >/dev/null) || true; fi
rm -rf "$workspace"
step modelyard workspace create "$workspace" --name attrition-demo
cd "$workspace"
step modelyard up --detach --port 0
step modelyard data create --name employeeattrition --type mltable --path "$csv" \
     --description "IBM HR employee attrition" -o table
step modelyard data list
step modelyard data preview employeeattrition --rows 5
step modelyard data show employeeattrition --consume
step modelyard data profile employeeattrition
step modelyard compute create --name cpucluster --type cluster --min-instances 0 --max-instances 2 \
     --idle-time-before-scale-down 120 -o table
step modelyard job create -f "$here/automl.yml" --stream      # about a minute: progress, then the leaderboard
job=$(modelyard job list --experiment-name automl-attrition --limit 1 -o json | field "[0]['name']")
model_uri=$(modelyard job show "$job" -o json | field "['properties']['best_model_uri']")
step modelyard model create --name attrition-model --path "$model_uri" -o json >/dev/null
step modelyard model update attrition-model:1 --set-alias champion -o json >/dev/null
step modelyard model list
step modelyard online-endpoint create --name ibm-attrition-aks -o json >/dev/null
step modelyard online-deployment create --name blue --endpoint-name ibm-attrition-aks \
     --model attrition-model@champion -o json >/dev/null
step modelyard online-endpoint show ibm-attrition-aks
key=$(modelyard online-endpoint get-credentials ibm-attrition-aks -o json | field "['primary_key']")
path=$(modelyard online-endpoint show ibm-attrition-aks -o json | field "['scoring_uri']")
server=$(modelyard status -o json | field "['url']")
printf '\n\033[1m$ curl -X POST %s%s -H "Authorization: Bearer <key>" -d @%s\033[0m\n' "$server" "$path" \
       "$here/request.json"
curl -sS --fail-with-body -X POST "$server$path" -H "Authorization: Bearer $key" \
     -H "Content-Type: application/json" -d @"$here/request.json"
printf '\n\nThe endpoint keeps running in the workspace server. Score again with:\n'
printf '  curl -X POST %s%s -H "Authorization: Bearer %s" -H "Content-Type: application/json" -d @%s\n' \
       "$server" "$path" "$key" "$here/request.json"
printf 'Stop it with: (cd %s && modelyard down)\n' "$workspace"
