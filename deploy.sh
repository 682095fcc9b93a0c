#!/usr/bin/env bash
# Deploy CodeLearn to AWS (README, "Operators"): build the Lambda zip, validate the template, upload
# the zip, deploy the stack (function, URL, table, role, budget, alarms), make sure the function
# runs this zip, publish a version for the `live` alias, smoke-test the live URL, and run the
# grader's self-test on the live alias (a correct and two hostile submissions graded inside Lambda:
# the deploy fails when the grader is unavailable there or does not contain a submission).
#
#   ./deploy.sh                 deploy the current checkout
#   ./deploy.sh --dry-run       print every step and command; calls no AWS API, needs no credentials
#   ./deploy.sh --rollback N    point the `live` alias (and so the URL) back at version N
#                               (--dry-run works with it too)
#
# Idempotent: the zip is reproducible and stored under its SHA-256, the stack is deployed with
# --no-fail-on-empty-changeset, the code is updated only when its SHA-256 differs, and Lambda
# publishes no new version when code and configuration are unchanged. A second run changes nothing.
#
# Settings (environment variables). The first four are always passed; the others only when set,
# so a stack keeps what it was given before (its template default on the first deploy):
#   STACK_NAME (codelearn; also the function's name), AWS_REGION (us-east-1), TABLE_NAME (codelearn),
#   LAMBDA_RUNTIME (python3.11: the Python that compiles the package must be this version),
#   ALERT_EMAIL and MAIL_FROM_ADDRESS (required on the first deploy), MAIL_FROM_NAME, SES_IDENTITY,
#   AI_PROVIDER (bedrock | offline), LOG_LEVEL, MONTHLY_BUDGET_USD, RESERVED_CONCURRENCY,
#   ERRORS_PER_FIVE_MINUTES, ARTIFACT_BUCKET (codelearn-artifacts-<account>-<region>).
set -euo pipefail
cd "$(dirname "$0")"

STACK_NAME="${STACK_NAME:-codelearn}"
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
TABLE_NAME="${TABLE_NAME:-codelearn}"
LAMBDA_RUNTIME="${LAMBDA_RUNTIME:-python3.11}"
TEMPLATE="infra/template.yaml"
PACKAGE="dist/codelearn-lambda.zip"
ALIAS="live"
STEPS=11

DRY_RUN=false
ROLLBACK_VERSION=""
usage() {
  echo "usage: $0 [--dry-run] [--rollback VERSION_NUMBER]" >&2
  exit 2
}
while (($#)); do
  case "$1" in
    --dry-run) DRY_RUN=true; shift ;;
    --rollback)
      ROLLBACK_VERSION="${2:-}"
      [[ "$ROLLBACK_VERSION" =~ ^[0-9]+$ ]] || usage
      shift 2
      ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[[ -n "$ROLLBACK_VERSION" ]] && STEPS=3

step=0
section() {
  step=$((step + 1))
  printf '\n==> [%d/%d] %s\n' "$step" "$STEPS" "$1" >&2
}

# Progress goes to stderr; stdout carries only the answers of read_aws and the final URL.
note() { printf '    %s\n' "$*" >&2; }

die() {
  printf 'deploy.sh: %s\n' "$*" >&2
  exit 1
}

show() {
  local quoted
  quoted="$(printf '%q ' "$@")"
  printf '    $ %s\n' "${quoted% }" >&2
}

# A command that changes something: printed, and run unless this is a dry run.
run() {
  show "$@"
  if [[ "$DRY_RUN" == false ]]; then
    "$@"
  fi
}

# An AWS call that only reads: printed, run unless this is a dry run, its output captured.
# In a dry run it prints the placeholder given as the first argument instead.
read_aws() {
  local placeholder="$1"
  shift
  show aws --region "$REGION" "$@"
  if [[ "$DRY_RUN" == true ]]; then
    printf '%s' "$placeholder"
  else
    aws --region "$REGION" "$@"
  fi
}

# The same for a look-up whose failure means "not there": its error is hidden, its output empty.
probe_aws() {
  local placeholder="$1"
  shift
  show aws --region "$REGION" "$@"
  if [[ "$DRY_RUN" == true ]]; then
    printf '%s' "$placeholder"
  else
    aws --region "$REGION" "$@" 2>/dev/null || true
  fi
}

aws_run() { run aws --region "$REGION" "$@"; }

stack_parameters() {
  local -a parameters=(
    "CodeS3Bucket=$BUCKET" "CodeS3Key=$KEY" "LiveVersion=$1" "Runtime=$LAMBDA_RUNTIME"
    "TableName=$TABLE_NAME" "CreateTable=$CREATE_TABLE"
  )
  [[ -n "${ALERT_EMAIL:-}" ]] && parameters+=("AlertEmail=$ALERT_EMAIL")
  [[ -n "${MAIL_FROM_ADDRESS:-}" ]] && parameters+=("MailFromAddress=$MAIL_FROM_ADDRESS")
  [[ -n "${MAIL_FROM_NAME:-}" ]] && parameters+=("MailFromName=$MAIL_FROM_NAME")
  [[ -n "${SES_IDENTITY:-}" ]] && parameters+=("SesIdentity=$SES_IDENTITY")
  [[ -n "${AI_PROVIDER:-}" ]] && parameters+=("AiProvider=$AI_PROVIDER")
  [[ -n "${LOG_LEVEL:-}" ]] && parameters+=("LogLevel=$LOG_LEVEL")
  [[ -n "${MONTHLY_BUDGET_USD:-}" ]] && parameters+=("MonthlyBudgetUsd=$MONTHLY_BUDGET_USD")
  [[ -n "${RESERVED_CONCURRENCY:-}" ]] && parameters+=("ReservedConcurrency=$RESERVED_CONCURRENCY")
  [[ -n "${ERRORS_PER_FIVE_MINUTES:-}" ]] && parameters+=("ErrorsPerFiveMinutes=$ERRORS_PER_FIVE_MINUTES")
  printf '%s\n' "${parameters[@]}"
}

deploy_stack() {
  local -a parameters
  mapfile -t parameters < <(stack_parameters "$1")
  aws_run cloudformation deploy --stack-name "$STACK_NAME" --template-file "$TEMPLATE" \
    --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset --tags project=codelearn \
    --parameter-overrides "${parameters[@]}"
}

stack_output() {
  read_aws "$2" cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

smoke_test() {
  local url="$1" status="" attempt
  show curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$url"
  if [[ "$DRY_RUN" == true ]]; then
    note "(expects 200 from the landing page; retries a few times while the alias settles)"
    return
  fi
  for attempt in 1 2 3 4 5; do
    status="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$url" || true)"
    [[ "$status" == 200 ]] && break
    note "attempt $attempt: HTTP $status; retrying"
    sleep 3
  done
  [[ "$status" == 200 ]] || die "smoke test failed: $url answered HTTP $status (logs: aws logs tail /aws/lambda/$STACK_NAME)"
  note "landing page: HTTP 200"
}

# The grader's self-test, run by the live alias itself (lambda_handler.JOBS): only a caller allowed
# to invoke the function can send it; the URL never can.
SELFTEST_EVENT='{"codelearn":"selftest"}'
self_test() {
  local answer metadata reason
  local -a invoke=(lambda invoke --function-name "$STACK_NAME" --qualifier "$ALIAS"
    --cli-binary-format raw-in-base64-out --cli-read-timeout 60 --payload "$SELFTEST_EVENT" --output json)
  if [[ "$DRY_RUN" == true ]]; then
    show aws --region "$REGION" "${invoke[@]}" "<answer.json>"
    note "(expects ok: a correct submission passes, and a secret read and a fork are contained)"
    return
  fi
  answer="$(mktemp)"
  show aws --region "$REGION" "${invoke[@]}" "$answer"
  if ! metadata="$(aws --region "$REGION" "${invoke[@]}" "$answer")"; then
    rm -f "$answer"
    die "self-test: could not invoke $STACK_NAME:$ALIAS (needs lambda:InvokeFunction on it)"
  fi
  if ! reason="$(python3 scripts/selftest_verdict.py "$answer" "$metadata")"; then
    rm -f "$answer"
    local back="there is no earlier version: RESERVED_CONCURRENCY=0 ./deploy.sh takes the site off"
    [[ "$LIVE_VERSION" =~ ^[0-9]+$ ]] && back="go back with ./deploy.sh --rollback $LIVE_VERSION"
    [[ "$NEW_VERSION" == "$LIVE_VERSION" ]] && back="this deploy changed nothing: it was live before"
    die "self-test failed: ${reason:-no verdict}. Version $NEW_VERSION is live; $back (logs: aws logs tail /aws/lambda/$STACK_NAME --region $REGION)"
  fi
  rm -f "$answer"
  note "grader self-test: ok (available, and the hostile submissions were contained)"
}

if [[ "$DRY_RUN" == true ]]; then
  note "DRY RUN: nothing is built, uploaded or changed, and no AWS API is called."
fi
note "stack $STACK_NAME in $REGION, runtime $LAMBDA_RUNTIME, table $TABLE_NAME"

# -- 1. tools and identity ---------------------------------------------------------------------
section "check tools and AWS identity"
missing=()
for tool in aws curl make python3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  if [[ "$DRY_RUN" == true ]]; then
    note "not found here (a real deploy needs them): ${missing[*]}"
  else
    die "missing tools: ${missing[*]} (README, Operators: prerequisites)"
  fi
fi
ACCOUNT="$(read_aws "<account-id>" sts get-caller-identity --query Account --output text)"
note "account $ACCOUNT, region $REGION"
BUCKET="${ARTIFACT_BUCKET:-codelearn-artifacts-$ACCOUNT-$REGION}"

if [[ -z "$ROLLBACK_VERSION" ]]; then
  status="$(probe_aws "" cloudformation describe-stacks --stack-name "$STACK_NAME" \
    --query 'Stacks[0].StackStatus' --output text)"
  case "$status" in
    "")
      if [[ -z "${ALERT_EMAIL:-}" || -z "${MAIL_FROM_ADDRESS:-}" ]]; then
        [[ "$DRY_RUN" == true ]] || die "first deploy of $STACK_NAME: set ALERT_EMAIL and MAIL_FROM_ADDRESS (README, Operators)"
        note "a first deploy needs ALERT_EMAIL and MAIL_FROM_ADDRESS"
      fi
      ;;
    ROLLBACK_COMPLETE)
      # A stack whose creation failed can only be deleted (the table, if made, is retained).
      die "stack $STACK_NAME failed to create; see why with: aws cloudformation describe-stack-events --stack-name $STACK_NAME --region $REGION; then delete it (aws cloudformation delete-stack --stack-name $STACK_NAME --region $REGION) and run again"
      ;;
    *_IN_PROGRESS) die "stack $STACK_NAME is busy ($status); run again when it is done" ;;
    *) note "stack status: $status" ;;
  esac
fi

if [[ -n "$ROLLBACK_VERSION" ]]; then
  section "point the $ALIAS alias at version $ROLLBACK_VERSION"
  read_aws "" lambda get-function --function-name "$STACK_NAME" --qualifier "$ROLLBACK_VERSION" \
    --query Configuration.Version --output text >/dev/null || die "no version $ROLLBACK_VERSION of $STACK_NAME"
  current="$(read_aws "<current>" lambda get-alias --function-name "$STACK_NAME" --name "$ALIAS" \
    --query FunctionVersion --output text)"
  if [[ "$current" == "$ROLLBACK_VERSION" ]]; then
    note "the $ALIAS alias already serves version $ROLLBACK_VERSION"
  else
    # The deployed template and every other parameter stay as they are; only the alias moves.
    keys="$(read_aws "CodeS3Bucket CodeS3Key LiveVersion Runtime TableName" cloudformation describe-stacks \
      --stack-name "$STACK_NAME" --query 'Stacks[0].Parameters[].ParameterKey' --output text)"
    parameters=()
    for key in $keys; do
      if [[ "$key" == LiveVersion ]]; then
        parameters+=("ParameterKey=LiveVersion,ParameterValue=$ROLLBACK_VERSION")
      else
        parameters+=("ParameterKey=$key,UsePreviousValue=true")
      fi
    done
    aws_run cloudformation update-stack --stack-name "$STACK_NAME" --use-previous-template \
      --capabilities CAPABILITY_IAM --parameters "${parameters[@]}"
    aws_run cloudformation wait stack-update-complete --stack-name "$STACK_NAME"
  fi
  section "smoke test"
  URL="$(stack_output Url "https://<url-id>.lambda-url.$REGION.on.aws/")"
  smoke_test "$URL"
  printf '\nCodeLearn at %s now serves version %s.\n' "$URL" "$ROLLBACK_VERSION"
  exit 0
fi

# -- 2. build ----------------------------------------------------------------------------------
section "build the package ($PACKAGE for $LAMBDA_RUNTIME)"
run make package "LAMBDA_RUNTIME=$LAMBDA_RUNTIME"
if [[ -f "$PACKAGE" ]]; then
  read -r SHA_HEX SHA_B64 < <(python3 -c '
import base64, hashlib, sys
digest = hashlib.sha256(open(sys.argv[1], "rb").read()).digest()
print(digest.hex(), base64.b64encode(digest).decode())' "$PACKAGE")
else
  SHA_HEX="<sha256-of-the-zip>"
  SHA_B64="<base64-sha256-of-the-zip>"
fi
KEY="codelearn/$SHA_HEX.zip"
note "sha256 $SHA_HEX"

# -- 3. validate -------------------------------------------------------------------------------
section "validate the template"
if [[ -x .venv/bin/cfn-lint ]]; then
  run .venv/bin/cfn-lint "$TEMPLATE"
else
  note "cfn-lint not installed here (make dev-deps installs it); AWS validates below"
fi
read_aws "" cloudformation validate-template --template-body "file://$TEMPLATE" >/dev/null

# -- 4. artifact bucket ------------------------------------------------------------------------
section "ensure the artifact bucket s3://$BUCKET"
if [[ "$DRY_RUN" == false ]] && aws --region "$REGION" s3api head-bucket --bucket "$BUCKET" 2>/dev/null; then
  note "exists"
else
  [[ "$DRY_RUN" == true ]] && note "when missing (aws s3api head-bucket --bucket $BUCKET fails):"
  if [[ "$REGION" == us-east-1 ]]; then
    aws_run s3api create-bucket --bucket "$BUCKET"
  else
    aws_run s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=$REGION"
  fi
  aws_run s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
fi

# -- 5. upload ---------------------------------------------------------------------------------
section "upload the zip to s3://$BUCKET/$KEY"
if [[ "$DRY_RUN" == false ]] && aws --region "$REGION" s3api head-object --bucket "$BUCKET" --key "$KEY" >/dev/null 2>&1; then
  note "already there (same SHA-256): nothing to upload"
else
  [[ "$DRY_RUN" == true ]] && note "unless an object with this SHA-256 is already there:"
  aws_run s3 cp "$PACKAGE" "s3://$BUCKET/$KEY" --only-show-errors
fi

# -- 6. table ----------------------------------------------------------------------------------
section "table $TABLE_NAME: created by the stack when missing"
owner="$(probe_aws "None" cloudformation describe-stack-resources --stack-name "$STACK_NAME" \
  --logical-resource-id Table --query 'StackResources[0].PhysicalResourceId' --output text)"
if [[ "$owner" == "$TABLE_NAME" ]]; then
  CREATE_TABLE=true
  note "owned by stack $STACK_NAME"
elif [[ "$DRY_RUN" == false ]] && aws --region "$REGION" dynamodb describe-table --table-name "$TABLE_NAME" >/dev/null 2>&1; then
  CREATE_TABLE=false
  note "exists outside the stack (e.g. made by flask init-db): used as it is"
else
  CREATE_TABLE=true
  note "missing: the stack creates it (PK/SK, GSI1, TTL on expiresAt, on-demand, point-in-time recovery)"
fi

# -- 7. stack ----------------------------------------------------------------------------------
section "deploy the stack $STACK_NAME"
LIVE_VERSION="$(probe_aws "None" lambda get-alias --function-name "$STACK_NAME" --name "$ALIAS" \
  --query FunctionVersion --output text)"
# shellcheck disable=SC2016  # the literal version name, before any version is published
[[ "$LIVE_VERSION" =~ ^[0-9]+$ ]] || LIVE_VERSION='$LATEST'
note "the $ALIAS alias serves version $LIVE_VERSION while the stack updates"
deploy_stack "$LIVE_VERSION"

# -- 8. function code --------------------------------------------------------------------------
section "update function code (only when its SHA-256 differs from the zip's)"
aws_run lambda wait function-updated --function-name "$STACK_NAME"
deployed="$(read_aws "<deployed-CodeSha256>" lambda get-function --function-name "$STACK_NAME" \
  --query Configuration.CodeSha256 --output text)"
if [[ "$deployed" == "$SHA_B64" ]]; then
  note "\$LATEST runs this zip (CodeSha256 $SHA_B64): nothing to update"
else
  [[ "$DRY_RUN" == true ]] && note "when it differs from $SHA_B64 (CloudFormation normally updated it already):"
  aws_run lambda update-function-code --function-name "$STACK_NAME" --s3-bucket "$BUCKET" --s3-key "$KEY" \
    --query CodeSha256 --output text
  aws_run lambda wait function-updated --function-name "$STACK_NAME"
fi

# -- 9. version and alias ----------------------------------------------------------------------
section "publish version and point the $ALIAS alias at it"
# Lambda publishes nothing new when code and configuration are unchanged since the last version:
# it returns that version, and the alias stays where it is.
NEW_VERSION="$(read_aws "<new-version>" lambda publish-version --function-name "$STACK_NAME" \
  --code-sha256 "$SHA_B64" --description "codelearn $(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --query Version --output text)"
if [[ "$NEW_VERSION" == "$LIVE_VERSION" ]]; then
  note "version $LIVE_VERSION already serves this code and configuration"
else
  note "version $NEW_VERSION (was $LIVE_VERSION)"
  [[ "$LIVE_VERSION" =~ ^[0-9]+$ ]] && note "to go back: ./deploy.sh --rollback $LIVE_VERSION"
  deploy_stack "$NEW_VERSION"
fi

# -- 10. smoke test ----------------------------------------------------------------------------
section "smoke test the live URL and the grader"
URL="$(stack_output Url "https://<url-id>.lambda-url.$REGION.on.aws/")"
smoke_test "$URL"
self_test

# -- 11. done ----------------------------------------------------------------------------------
section "done"
note "logs:    aws logs tail /aws/lambda/$STACK_NAME --follow --region $REGION"
note "alerts:  ${ALERT_EMAIL:-AlertEmail of the stack} (confirm the SNS subscription email once)"
if [[ "$DRY_RUN" == true ]]; then
  note "DRY RUN complete: the URL would be printed here ($URL)"
else
  printf '\nCodeLearn is live at %s\n' "$URL"
fi
