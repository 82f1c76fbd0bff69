#!/usr/bin/env bash
# Train a model through the Prediction One training API with curl.
#
# Environment: P1_HOST (default http://127.0.0.1:8080), P1_SECRET_KEY, P1_TRAIN_CSV, P1_TARGET,
# P1_TASK (default binary_classification), P1_POSITIVE (binary only), P1_POLL_SECONDS (default 30),
# P1_RESULT_ZIP (default result.zip). JSON fields are read with node (always present with Yosoku),
# so jq is not needed.
set -euo pipefail

HOST="${P1_HOST:-http://127.0.0.1:8080}"
TASK="${P1_TASK:-binary_classification}"
POLL="${P1_POLL_SECONDS:-30}"
OUT="${P1_RESULT_ZIP:-result.zip}"

# json FIELD < body: prints one top-level field ('' when absent).
json() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v===undefined||v===null?"":String(v))})' "$1"
}

# call CURL-ARGS...: runs curl, fails with the server's error body on a non-200 answer.
call() {
  local body status
  body=$(curl -sS -w '\n%{http_code}' "$@")
  status="${body##*$'\n'}"
  body="${body%$'\n'*}"
  if [ "$status" != 200 ]; then echo "HTTP $status: $body" >&2; exit 1; fi
  printf '%s' "$body"
}

KEY=$(call -H "x-api-key: $P1_SECRET_KEY" "$HOST/v1/external/api-key?credential_type=train" | json api_key)

R=$(call -H "x-api-key: $KEY" "$HOST/v1/external/data-sets/upload-url?extension=csv")
PID=$(printf '%s' "$R" | json external_process_id)
NAME=$(basename "$P1_TRAIN_CSV")
# Content-Disposition (ours, optional) names the data set after the file.
DISPOSITION="Content-Disposition: attachment; filename*=UTF-8''$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$NAME")"
call -X PUT -H "$DISPOSITION" --upload-file "$P1_TRAIN_CSV" "$(printf '%s' "$R" | json learn_data_set_upload_url)" >/dev/null

BODY=$(node -e 'const [pid,name,tc,tt,tv]=process.argv.slice(1);const config={tc,tt};if(tv)config.tv=tv;process.stdout.write(JSON.stringify({external_process_id:pid,name,config}))' \
  "$PID" "$NAME" "$P1_TARGET" "$TASK" "${P1_POSITIVE:-}")
call -X POST -H "x-api-key: $KEY" -H 'content-type: application/json' -d "$BODY" "$HOST/v1/external/models" >/dev/null

while :; do
  S=$(call -H "x-api-key: $KEY" "$HOST/v1/external/models/results?external_process_id=$PID")
  STATUS=$(printf '%s' "$S" | json status)
  [ "$STATUS" = finished ] && break
  if [ "$STATUS" = failed ]; then echo "training failed: $(printf '%s' "$S" | json message)" >&2; exit 1; fi
  echo "status: $STATUS $(printf '%s' "$S" | json progress)"
  sleep "$POLL"
done

curl -sS -f -o "$OUT" "$(printf '%s' "$S" | json result_url)"
echo "model_id: $(printf '%s' "$S" | json model_id)"
python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$OUT" 2>/dev/null \
  || unzip -Z1 "$OUT"
