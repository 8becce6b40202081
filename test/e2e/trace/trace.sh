#!/usr/bin/env bash
# Runs the real Amplify Gen 1 CLI on a copy of a project against a local moto server and records every AWS call the CLI
# process makes itself (see README.md).
#
# usage: trace.sh --cli AMPLIFY_BIN --project SRC_PROJECT --out OUT_DIR [--port N] -- <amplify args> [--- <amplify args> ...]
#   e.g. trace.sh --cli node_modules/.bin/amplify --project examples/demo --out "$(mktemp -d)" -- push --yes
#   A lone --- separates commands run one after the other on the same copy and emulated cloud (push --yes --- delete
#   --force); the run stops at the first command that fails.
# Writes OUT_DIR/trace.jsonl (one JSON record per AWS call), OUT_DIR/cli.out (the CLI's output), OUT_DIR/hook.log
# (the hook's notes) and, when the CLI fails, OUT_DIR/moto.log. Prints one summary line last.
# Exit status: the CLI's (the first failing command's; 124 when TRACE_TIMEOUT ran out); 2 on a usage error; 3 when the
# harness itself could not be set up.
#
# Environment (all optional):
#   TRACE_REGION, TRACE_ACCOUNT  region and account of the emulated cloud (default: the project's, from
#                                team-provider-info; else us-east-1 and 123456789012)
#   TRACE_CLI_NM        the CLI's node_modules (default: found from AMPLIFY_BIN)
#   TRACE_STEP          label in each record (default: the amplify command words, e.g. "push", "env add")
#   TRACE_CFN_DELAY_MS  how long fake stacks stay *_IN_PROGRESS (default 20000)
#   TRACE_TIMEOUT       seconds the CLI may run (default 900)
#   npm_config_cache    npm's cache for the builds the CLI runs (default: the user's, `npm config get cache`)
#   TRACE_PRELOAD       a preload.py spec: resources created in moto before the project is set up (imported ones)
#   TRACE_KEEP=1        keep the work folder (project copy, fake stack state, HOME) and print where it is
#   PYTHON              python with moto[server] 5.x and boto3 (default python3)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"

usage() { [ -n "${1:-}" ] && echo "trace.sh: $1" >&2; echo "usage: trace.sh --cli AMPLIFY_BIN --project SRC_PROJECT --out OUT_DIR [--port N] -- <amplify args> [--- <amplify args> ...]" >&2; exit 2; }
cli=""; project=""; out=""; port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cli) [ $# -ge 2 ] || usage "--cli needs a value"; cli="$2"; shift 2 ;;
    --project) [ $# -ge 2 ] || usage "--project needs a value"; project="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || usage "--out needs a value"; out="$2"; shift 2 ;;
    --port) [ $# -ge 2 ] || usage "--port needs a value"; port="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) usage "unknown argument $1" ;;
  esac
done
[ -n "$cli" ] && [ -n "$project" ] && [ -n "$out" ] || usage "--cli, --project and --out are required"
[ $# -gt 0 ] && [ "$1" != --- ] || usage "no amplify arguments after --"
fail() { echo "trace.sh: $*" >&2; exit 3; }
[ -x "$cli" ] || fail "not an executable: $cli"
[ -d "$project" ] || fail "not a folder: $project"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
project="$(cd "$project" && pwd)"
mkdir -p "$out" || fail "cannot create $out"
out="$(cd "$out" && pwd)"
"$PY" -c 'import moto.server, boto3' 2>/dev/null || fail "$PY lacks moto[server] or boto3 (pip install 'moto[server]>=5' boto3)"

# the CLI's node_modules: where its bin really lives (node_modules/@aws-amplify/cli-internal/bin/amplify)
nm="${TRACE_CLI_NM:-}"
if [ -z "$nm" ]; then
  real="$(node -e 'console.log(require("fs").realpathSync(process.argv[1]))' "$cli")"
  case "$real" in
    */node_modules/@aws-amplify/cli-internal/*) nm="${real%%/@aws-amplify/cli-internal/*}" ;;
    *) nm="$(cd "$(dirname "$cli")/.." && pwd)" ;;
  esac
fi
[ -d "$nm/@aws-amplify/amplify-provider-awscloudformation" ] || fail "no @aws-amplify/amplify-provider-awscloudformation under $nm (set TRACE_CLI_NM)"

work="$(mktemp -d "${TMPDIR:-/tmp}/amplify-trace.XXXXXX")" || fail "mktemp failed"
moto_pid=""; cli_pid=""
cleanup() {
  if [ -n "$cli_pid" ] && kill -0 "$cli_pid" 2>/dev/null; then kill "$cli_pid" 2>/dev/null; wait "$cli_pid" 2>/dev/null; fi
  if [ -n "$moto_pid" ] && kill -0 "$moto_pid" 2>/dev/null; then kill "$moto_pid" 2>/dev/null; wait "$moto_pid" 2>/dev/null; fi
  if [ "${TRACE_KEEP:-}" = 1 ]; then echo "trace.sh: work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r p_region p_account app_id _env < <("$PY" "$HERE/setup.py" --info "$project") || fail "cannot read the project's env"
region="${TRACE_REGION:-$p_region}"; account="${TRACE_ACCOUNT:-$p_account}"

# moto on a free port; on a port clash (without --port) try another
start=$(date +%s)
for try in 1 2 3; do
  p="${port:-$("$PY" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}"
  MOTO_ACCOUNT_ID="$account" "$PY" -m moto.server -H 127.0.0.1 -p "$p" >"$work/moto.log" 2>&1 &
  moto_pid=$!
  if "$PY" - "$p" "$moto_pid" <<'EOF'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
for _ in range(150):
    try:
        urllib.request.urlopen('http://127.0.0.1:%s/moto-api/' % port, timeout=1); sys.exit(0)
    except Exception:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    time.sleep(0.2)
sys.exit(1)
EOF
  then break; fi
  kill "$moto_pid" 2>/dev/null; wait "$moto_pid" 2>/dev/null; moto_pid=""
  [ -z "$port" ] || fail "moto did not start on port $port (see its log: $(tail -1 "$work/moto.log"))"
done
[ -n "$moto_pid" ] || fail "moto did not start: $(tail -1 "$work/moto.log")"
endpoint="http://127.0.0.1:$p"

# npm keeps the user's cache and registry, which the throwaway HOME below would hide: a custom AWS CDK resource's build
# (npm install of aws-cdk-lib in its folder at push) and function builds then install from the cache, not the network
if command -v npm >/dev/null; then
  npm_config_cache="${npm_config_cache:-$(npm config get cache 2>/dev/null)}"
  npm_config_registry="${npm_config_registry:-$(npm config get registry 2>/dev/null)}"
  export npm_config_cache npm_config_registry npm_config_prefer_offline=true
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
fi
# the environment of the CLI: quiet (as ../quiet-env.sh), a throwaway HOME with a fake default profile, moto
export CI=true NO_UPDATE_NOTIFIER=1 AMPLIFY_CLI_ENABLE_USAGE_DATA=false AWS_EC2_METADATA_DISABLED=true
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
export HOME="$work/home"
mkdir -p "$HOME/.aws" "$HOME/.amplify"
printf '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' >"$HOME/.aws/credentials"
printf '[default]\nregion = %s\n' "$region" >"$HOME/.aws/config"
export AWS_ENDPOINT_URL="$endpoint" AWS_REGION="$region" AWS_DEFAULT_REGION="$region"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
export TRACE_ACCOUNT="$account" TRACE_APP_ID="$app_id" TRACE_CFN_STATE="$work/cfnstate.json" TRACE_ENVS_FILE="$work/amplify-envs.json"

# a local install is not scanned for plugins: register its node_modules (codegen runs after a push with an API)
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({pluginDirectories: ["cli-local-node-modules", "cli-parent-directory",
  "global-node-modules", "dev-node-modules", process.argv[2]], pluginPrefixes: ["amplify-"], userAddedLocations: [],
  lastScanTime: new Date(0), maxScanIntervalInSeconds: 86400, plugins: {}, excluded: {}}, null, 2))' "$HOME/.amplify/plugins.json" "$nm"
"$cli" plugin scan </dev/null >"$work/scan.log" 2>&1 || fail "amplify plugin scan failed: $(tail -1 "$work/scan.log")"

# resources that exist before the project (what `amplify import` imported), with their recorded ids
if [ -n "${TRACE_PRELOAD:-}" ]; then
  "$PY" "$HERE/preload.py" "$TRACE_PRELOAD" >"$work/preload.json" 2>"$work/preload.log" || fail "preload.py failed: $(tail -1 "$work/preload.log")"
  export TRACE_PRELOAD_OUT="$work/preload.json"
fi

dest="$work/$(basename "$project")"
"$PY" "$HERE/setup.py" "$project" "$dest" >"$work/setup.log" 2>&1 || fail "setup.py failed: $(tail -1 "$work/setup.log")"
setup_s=$(( $(date +%s) - start ))

: >"$out/trace.jsonl"; : >"$out/hook.log"; : >"$out/cli.out"; rm -f "$out/moto.log"
export TRACE_FILE="$out/trace.jsonl" TRACE_LOG="$out/hook.log"
export TRACE_OVERRIDES="$HERE/cfnfake.js" TRACE_CLI_NM="$nm"
[ -d "$nm/amplify-codegen" ] && export TRACE_GRAPHQL_DIR="$nm/amplify-codegen"
to=(); command -v timeout >/dev/null && to=(timeout -k 10 "${TRACE_TIMEOUT:-900}")
hook_opt="--require \"$HERE/hook.js\"${NODE_OPTIONS:+ $NODE_OPTIONS}"
run_one() {
  local step="${TRACE_STEP:-}" a
  if [ -z "$step" ]; then for a in "$@"; do case "$a" in -*) break ;; *) step="${step:+$step }$a" ;; esac; done; fi
  [ "$ncmd" -gt 1 ] && echo "=== amplify $*" >>"$out/cli.out"
  # in the background, so that a signal to this script is handled at once (cleanup stops the CLI, then moto)
  (cd "$dest" && TRACE_STEP="$step" NODE_OPTIONS="$hook_opt" exec ${to[@]+"${to[@]}"} "$cli" "$@" </dev/null >>"$out/cli.out" 2>&1) &
  cli_pid=$!
  wait "$cli_pid"; local r=$?
  cli_pid=""
  return "$r"
}
ncmd=1; for a in "$@"; do [ "$a" = --- ] && ncmd=$((ncmd + 1)); done
t0=$(date +%s); rc=0; cur=()
for a in "$@" ---; do
  if [ "$a" != --- ]; then cur+=("$a"); continue; fi
  [ ${#cur[@]} -gt 0 ] || continue
  run_one "${cur[@]}"; rc=$?; cur=()
  [ "$rc" = 0 ] || break
done
secs=$(( $(date +%s) - t0 ))
[ "$rc" = 0 ] || cp "$work/moto.log" "$out/moto.log"
calls=$(grep -c '"operation"' "$out/trace.jsonl")
echo "trace: amplify $* on $(basename "$project") ($region/$account): exit $rc, $calls calls, ${secs}s (setup ${setup_s}s); $out/trace.jsonl"
exit "$rc"
