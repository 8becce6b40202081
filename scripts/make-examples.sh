#!/usr/bin/env bash
# Regenerates the example Amplify Gen 1 projects under examples/ with the real Amplify CLI,
# offline, from scratch.
#
#   scripts/make-examples.sh [EXAMPLE...]     (default: all: lpdemo lpfull lphosting lpconsole lpimport lpcdk)
#
# Each example is made in a temp folder: ../shared/real-cli/mkproj.sh writes an already
# "initialized" project (amplify init needs AWS), then resources are added with the real CLI:
# headless JSON payloads where the CLI has a headless mode (auth, api AppSync, storage S3, geo
# map), and pexpect drivers answering the interactive prompts otherwise
# (scripts/make-examples/steps.py, addfunction.py). Then `amplify api gql-compile` and
# `amplify build` write the CloudFormation templates, and the project's amplify/ folder is
# copied to examples/<name>/amplify/ (see scripts/make-examples/copy_project.py for what is
# left out and rewritten).
#
# Needs: the real CLI installed at test/e2e/cli/node_modules (npm install there), python3 with
# pexpect, and ../shared/real-cli beside the repo. Nothing leaves the machine: the CLI runs with
# a throwaway HOME, fake credentials, and AWS_ENDPOINT_URL pointing at
# scripts/make-examples/fake-aws.py on 127.0.0.1, which answers the few read-only AWS calls some
# walkthroughs make (Lambda layer versions, Polly voices, Amplify branches) as an empty account,
# and accepts the SSM writes of function secrets.
# The steps that need real resources (`amplify import`) run against a local moto server instead, after test/e2e/trace/preload.py has
# created the resources with fixed ids: the trace tests create the same ones (TRACE_PRELOAD).
# A custom AWS CDK resource (lpcdk) is built by the CLI with `npm install` in its folder: that one
# step uses the npm registry, through the user's npm cache (npm_config_cache, prefer-offline), so
# a second run downloads nothing.
#
# Env: KEEP_WORK=1 keeps the temp folder (its path is printed); DRIVE_DEBUG=1 traces the drivers.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
DRV="$HERE/make-examples"
CLI_BIN="$REPO/test/e2e/cli/node_modules/.bin"
CLI_MODULES="$REPO/test/e2e/cli/node_modules"
EXAMPLES="$REPO/examples"

die() { echo "make-examples: $*" >&2; exit 1; }
[ -d "$REPO/../shared/real-cli" ] || die "missing ../shared/real-cli beside the repo"
REAL="$(cd "$REPO/../shared/real-cli" && pwd)"
[ -x "$CLI_BIN/amplify" ] || die "real CLI not installed: run npm install in test/e2e/cli"
python3 -c 'import pexpect' 2>/dev/null || die "python3 pexpect is needed (pip install pexpect)"

ALL_EXAMPLES=(lpdemo lpfull lphosting lpconsole lpimport lpcdk)
if [ $# -gt 0 ]; then WANT=("$@"); else WANT=("${ALL_EXAMPLES[@]}"); fi
for e in "${WANT[@]}"; do
  case " ${ALL_EXAMPLES[*]} " in *" $e "*) ;; *) die "unknown example: $e" ;; esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/make-examples.XXXXXX")"
FAKE_PID=""
MOTO_PID=""
cleanup() {
  if [ -n "$FAKE_PID" ]; then kill "$FAKE_PID" 2>/dev/null || true; fi
  if [ -n "$MOTO_PID" ]; then kill "$MOTO_PID" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "make-examples: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- a quiet, throwaway CLI environment ------------------------------------------------------
# npm keeps the user's cache and registry (the throwaway HOME below would hide them): the custom
# CDK build's npm install of aws-cdk-lib then comes from the cache after the first run.
npm_config_cache="${npm_config_cache:-$(npm config get cache)}"
npm_config_registry="${npm_config_registry:-$(npm config get registry)}"
export npm_config_cache npm_config_registry npm_config_prefer_offline=true
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export AMPLIFY_TEST_HOME="$WORK/home"
mkdir -p "$AMPLIFY_TEST_HOME/.aws" "$WORK/logs"
# shellcheck source=/dev/null
source "$REAL/quiet-env.sh"
export PATH="$CLI_BIN:$PATH"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in scripts/make-examples
cat > "$HOME/.aws/credentials" <<'EOF'
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
EOF
printf '[default]\nregion = us-east-1\n' > "$HOME/.aws/config"

python3 "$DRV/fake-aws.py" "$WORK/fake-aws.port" 2> "$WORK/logs/fake-aws.log" &
FAKE_PID=$!
for _ in $(seq 50); do [ -s "$WORK/fake-aws.port" ] && break; sleep 0.1; done
[ -s "$WORK/fake-aws.port" ] || die "fake-aws.py did not start"
export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$WORK/fake-aws.port")"
FAKE_URL="$AWS_ENDPOINT_URL"

# With a local (not global) install the CLI only finds its category plugins (function, ...)
# once their node_modules folder is in pluginDirectories.
amplify plugin scan > "$WORK/logs/plugin-scan.log" 2>&1 || true
python3 - "$HOME/.amplify/plugins.json" "$CLI_MODULES" <<'EOF'
import json, sys
path, mods = sys.argv[1], sys.argv[2]
d = json.load(open(path))
if mods not in d['pluginDirectories']:
    d['pluginDirectories'].append(mods)
json.dump(d, open(path, 'w'), indent=2)
EOF
amplify plugin scan >> "$WORK/logs/plugin-scan.log" 2>&1

# --- helpers -----------------------------------------------------------------------------------
PROJ=""
STEP=0
run() { # run LABEL CMD... : run in $PROJ, log to $WORK/logs, show the log tail on failure
  local label="$1" log start
  shift
  STEP=$((STEP + 1))
  log="$WORK/logs/$(basename "$PROJ")-$(printf %02d "$STEP")-$label.log"
  start=$SECONDS
  if ! (cd "$PROJ" && "$@") > "$log" 2>&1 < /dev/null; then
    echo "  FAILED: $label (log: $log)" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  printf '  %-28s %3ss\n' "$label" $((SECONDS - start))
}
headless() { # headless CATEGORY PAYLOAD_FILE
  tr -d '\n' < "$2" | amplify add "$1" --headless
}
step() { python3 "$DRV/steps.py" "$PROJ" "$1"; }
MOTO_URL=""
fresh_moto() { # fresh_moto PRELOAD_SPEC: a new moto (account 123456789012) holding the spec's resources
  if [ -n "$MOTO_PID" ]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  MOTO_ACCOUNT_ID=123456789012 python3 -m moto.server -H 127.0.0.1 -p "$port" > "$WORK/logs/moto.log" 2>&1 &
  MOTO_PID=$!
  MOTO_URL="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$MOTO_URL/moto-api/" > /dev/null 2>&1 && break; sleep 0.2; done
  AWS_ENDPOINT_URL="$MOTO_URL" AWS_REGION=us-east-1 TRACE_ACCOUNT=123456789012 \
    python3 "$REPO/test/e2e/trace/preload.py" "$1" > "$WORK/preload.json"
}
# on_moto STEP CMD...: one command against moto instead of fake-aws, traced (step label STEP) into
# $WORK/on-moto-trace.jsonl; the trace hook answers what moto lacks (test/e2e/trace/moto-gaps.js)
on_moto() {
  local label="$1"
  shift
  AWS_ENDPOINT_URL="$MOTO_URL" NODE_OPTIONS="--require $REPO/test/e2e/trace/hook.js" \
    TRACE_OVERRIDES="$REPO/test/e2e/trace/moto-gaps.js" TRACE_PRELOAD_OUT="$WORK/preload.json" \
    TRACE_STEP="$label" TRACE_FILE="$WORK/on-moto-trace.jsonl" TRACE_LOG="$WORK/logs/on-moto-hook.log" "$@"
}
record_trace() { # record_trace NAME: the traced on_moto calls as test/e2e/trace/recorded/NAME.jsonl
  python3 - "$WORK/on-moto-trace.jsonl" "$REPO/test/e2e/trace/recorded/$1.jsonl" <<'EOF2'
import json, re, sys
calls = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if not r.get('operation'):
        continue
    c = {k: r[k] for k in ('step', 'service', 'operation', 'region', 'account', 'action', 'resource') if k in r}
    if r.get('iam'):
        c['iam'] = r['iam']
    c['ok'] = r.get('ok', False)
    if r.get('err'):
        c['err'] = re.sub(r'/(tmp|work|root|home)/[^\s\'"]*', '<path>', r['err'])
    key = json.dumps(c, sort_keys=True)
    if r.get('from'):
        c['from'] = r['from'][0]
    c['count'] = calls[key]['count'] + 1 if key in calls else 1
    calls[key] = c
open(sys.argv[2], 'w').write(''.join(json.dumps(c) + '\n' for c in calls.values()))
EOF2
}
fn() { python3 "$DRV/addfunction.py" "$PROJ" "$1"; }
new_project() { # new_project NAME
  PROJ="$WORK/$1"
  STEP=0
  "$REAL/mkproj.sh" "$PROJ" "$1" dev > /dev/null
  echo "$1: making in $PROJ"
}
frontend() { # frontend: the web app `amplify publish` builds (BuildCommand) and uploads (DistributionDir)
  cat > "$PROJ/package.json" <<'EOF2'
{
  "name": "site",
  "private": true,
  "scripts": { "build": "node -e \"require('fs').mkdirSync('dist',{recursive:true});require('fs').copyFileSync('src/index.html','dist/index.html')\"" }
}
EOF2
  mkdir -p "$PROJ/src"
  printf '<!doctype html><title>%s</title><p>Published by amplify publish.</p>\n' "$(basename "$PROJ")" > "$PROJ/src/index.html"
}
publish() { # publish NAME: copy the project to examples/NAME
  rm -rf "${EXAMPLES:?}/$1"
  mkdir -p "$EXAMPLES/$1"
  python3 "$DRV/copy_project.py" "$PROJ" "$EXAMPLES/$1"
  if [ -f "$PROJ/package.json" ]; then # the frontend of the hosting examples
    cp "$PROJ/package.json" "$EXAMPLES/$1/"
    mkdir -p "$EXAMPLES/$1/src" && cp "$PROJ/src/index.html" "$EXAMPLES/$1/src/"
  fi
  echo "$1: wrote examples/$1 ($(find "$EXAMPLES/$1" -type f | wc -l) files)"
}

# --- lpdemo: the basic project of ../shared/real-cli ----------------------------------------------
make_lpdemo() {
  new_project lpdemo
  run auth headless auth "$REAL/payloads/auth.json"
  run api headless api "$REAL/payloads/api.json"
  run storage headless storage "$REAL/payloads/storage.json"
  run geo headless geo "$REAL/payloads/geo.json"
  run function-lpfn python3 "$REAL/addfn.py" "$PROJ" lpfn
  run gql-compile amplify api gql-compile
  run build amplify build
  publish lpdemo
}

# --- lpfull: as many other services as the CLI adds offline ------------------------------------
make_lpfull() {
  local P="$DRV/payloads"
  new_project lpfull
  # Cognito with user pool groups (admins, editors), hosted UI (OAuth), MFA, guest access and
  # the Admin Queries REST API (adds api/AdminQueries and its function).
  run auth headless auth "$P/lpfull-auth.json"
  run storage-dynamodb step dynamodb
  run analytics-kinesis step kinesis
  run analytics-pinpoint step pinpoint
  run function-layer fn '{"layer": "lplayer", "runtime": "NodeJS", "accounts": "210987654321"}'
  # scheduled (cron) function using the layer, with access to the table, the user pool and the
  # Admin Queries API, and two environment variables
  run function-lpworker fn '{"name": "lpworker",
    "access": {"storage": {"lptable": ["read", "update"]}, "auth": {"lpfullauth": ["read"]},
               "api": {"AdminQueries": ["read"]}},
    "schedule": "0 3 * * ? *", "layers": ["lpfulllplayer"],
    "env": {"STAGE_LABEL": "example", "MAX_ITEMS": "25"}}'
  # REST API: /items -> new function lpitems (CRUD on lptable), /reports/{id} -> lpworker
  run api-rest step rest
  # S3 with group permissions and a new trigger function lpfilestrigger
  run storage-s3 headless storage "$P/lpfull-storage.json"
  run function-lpstream fn '{"name": "lpstream", "template": "Lambda trigger",
    "template_answers": [["pick", "What event source", "Amazon DynamoDB Stream"],
                         ["pick", "Choose a DynamoDB event source option", "Use storage category"],
                         ["pick", "Choose from one of the already configured DynamoDB tables", "lptable"]]}'
  run function-lpkinesisreader fn '{"name": "lpkinesisreader", "template": "Lambda trigger",
    "template_answers": [["pick", "What event source", "Amazon Kinesis Stream"],
                         ["pick", "Choose a Kinesis event source option", "Use Analytics category"]]}'
    # (the only Kinesis stream, lpkinesis, is picked without a prompt)
  # AppSync: user pools + IAM + Lambda authorizer; @searchable, @function, @http, @hasMany
  run function-lpresolver fn '{"name": "lpresolver"}'
  run function-lpauthorizer fn '{"name": "lpauthorizer", "template": "GraphQL Lambda Authorizer"}'
  python3 - "$P/lpfull-schema.graphql" "$WORK/lpfull-api.json" <<'EOF'
import json, sys
req = {"version": 1, "serviceConfiguration": {
    "serviceName": "AppSync", "apiName": "lpgraphql", "transformSchema": open(sys.argv[1]).read(),
    "defaultAuthType": {"mode": "AMAZON_COGNITO_USER_POOLS"},
    "additionalAuthTypes": [{"mode": "AWS_IAM"},
                            {"mode": "AWS_LAMBDA", "lambdaFunction": "lpauthorizer", "ttlSeconds": "300"}]}}
json.dump(req, open(sys.argv[2], 'w'))
EOF
  run api-graphql headless api "$WORK/lpfull-api.json"
  # Location: place index (auth, guest and group access) and geofence collection (groups)
  run geo-place step geo-place
  run geo-fence step geo-fence
  run function-lpgqlclient fn '{"name": "lpgqlclient", "template": "AppSync - GraphQL API request (with IAM)",
    "access": {"api": {"lpgraphql": ["Query", "Mutation"]}, "storage": {"lpfiles": ["create", "read"]},
               "analytics": {"lpkinesis": ["create"]}, "geo": {"lpplaces": ["read"]}}}'
  run hosting step hosting
  run predictions-labels step predictions-labels
  run predictions-translate step predictions-translate
  run predictions-speech step predictions-speech
  run predictions-interpret step predictions-interpret
  run custom-cfn step custom-cfn
  # The two files the CLI creates for the user to edit, edited as a user would:
  # the custom stack's resources, and lpworker's custom IAM policy statements.
  python3 - "$PROJ/amplify/backend/custom/lpcustomcfn/lpcustomcfn-cloudformation-template.json" \
    "$P/lpfull-custom-cfn-resources.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
t.update(json.load(open(sys.argv[2])))
json.dump(t, open(sys.argv[1], 'w'), indent=2)
EOF
  cp "$P/lpfull-lpworker-custom-policies.json" "$PROJ/amplify/backend/function/lpworker/custom-policies.json"
  run gql-compile amplify api gql-compile
  run build amplify build
  publish lpfull
}

# --- lphosting: S3 and CloudFront hosting, a Lambda layer and a function with a secret --------------
make_lphosting() {
  new_project lphosting
  run function-layer fn '{"layer": "lplayer", "runtime": "NodeJS"}'
  # the secret goes to SSM at once (fake-aws.py accepts it; the traces preload it: lphosting-preload.json)
  run function-lpsite fn '{"name": "lpsite", "layers": ["lphostinglplayer"], "secrets": {"SITE_TOKEN": "example-token"}}'
  run hosting step hosting-site
  frontend
  run build amplify build
  publish lphosting
}

# --- lpconsole: Amplify Hosting (Amplify Console, manual deploys) ----------------------------------
make_lpconsole() {
  new_project lpconsole
  run hosting step amplifyhosting
  frontend
  run build amplify build
  publish lpconsole
}

# --- lpimport: imported Cognito user pool and identity pool, S3 bucket and DynamoDB table ----------
make_lpimport() {
  local P="$DRV/payloads"
  new_project lpimport
  fresh_moto "$P/lpimport-preload.json"
  python3 - "$WORK/preload.json" "$WORK/lpimport-auth.json" "$WORK/lpimport-s3.json" <<'EOF2'
import json, sys
ids = json.load(open(sys.argv[1]))
json.dump({'version': 1, **{k: ids[k] for k in ('userPoolId', 'webClientId', 'nativeClientId', 'identityPoolId')}},
          open(sys.argv[2], 'w'))
json.dump({'version': 1, 'serviceConfiguration': {'serviceName': 'S3', 'bucketName': ids['bucketName']}},
          open(sys.argv[3], 'w'))
EOF2
  run import-auth on_moto "import auth" sh -c "tr -d '\n' < '$WORK/lpimport-auth.json' | amplify import auth --headless"
  run import-s3 on_moto "import storage" sh -c "tr -d '\n' < '$WORK/lpimport-s3.json' | amplify import storage --headless"
  run import-dynamodb on_moto "import storage" python3 "$DRV/steps.py" "$PROJ" import-dynamodb
  run build amplify build
  publish lpimport
  record_trace lpimport-import # the calls of amplify import, for test/unit/cli-calls.test.ts
}

# --- lpcdk: a custom AWS CDK stack with resource types Amplify's categories never make ------------
make_lpcdk() {
  local custom
  new_project lpcdk
  run function-lpcdkfn fn '{"name": "lpcdkfn"}'
  # the CLI writes the skeleton (package.json with aws-cdk-lib ~2.189.1, tsconfig, cdk-stack.ts)
  # and builds it at once: npm install, tsc, synth
  run custom-cdk step custom-cdk
  custom="$PROJ/amplify/backend/custom/lpcdkstack"
  # the user's stack (the file the CLI makes for the user to edit): SQS, SNS, CloudFront Function
  # and KeyValueStore, Step Functions invoking lpcdkfn (addResourceDependency), EventBridge
  cp "$DRV/payloads/lpcdk-cdk-stack.ts.sample" "$custom/cdk-stack.ts"
  run build amplify build
  [ -s "$custom/build/lpcdkstack-cloudformation-template.json" ] || die "lpcdk: amplify build wrote no template"
  publish lpcdk
}

T0=$SECONDS
for e in "${WANT[@]}"; do
  t=$SECONDS
  "make_$e"
  echo "$e: done in $((SECONDS - t))s"
done
echo "make-examples: all done in $((SECONDS - T0))s"
