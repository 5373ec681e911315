#!/usr/bin/env bash
# syndic for any CI system: `syndic-ci.sh pr` validates and plans and writes the Markdown
# comment(s) to plan-comments/ for your CI to post; `syndic-ci.sh apply` plans, saves the
# plan and applies exactly that plan. Channel deletes are confirmed with
# SYNDIC_CONFIRM_DELETE="name1 name2".
#
# Exit codes: 0 success (pr: no changes), 2 (pr) changes to review, 1 error.
set -euo pipefail
dir=${SYNDIC_DIR:-channels}
syndic=${SYNDIC:-syndic}

case "${1:-}" in
  pr)
    "$syndic" validate --dir "$dir"
    set +e
    "$syndic" plan --dir "$dir" --format markdown --detailed-exitcode \
      --max-comment-bytes "${SYNDIC_MAX_COMMENT_BYTES:-60000}" --comment-dir plan-comments
    code=$?
    set -e
    exit "$code"
    ;;
  apply)
    "$syndic" plan --dir "$dir" --out plan.json
    confirms=()
    for name in ${SYNDIC_CONFIRM_DELETE:-}; do confirms+=(--confirm-delete "$name"); done
    "$syndic" apply --dir "$dir" plan.json "${confirms[@]}" --lock-timeout "${SYNDIC_LOCK_TIMEOUT:-300}"
    ;;
  *)
    echo "usage: $0 pr|apply" >&2
    exit 64
    ;;
esac
