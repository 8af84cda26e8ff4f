#!/bin/sh
# Creates a new, empty frontend audit report under .waypoint/audit/ and prints
# its repo-relative path. Plain POSIX sh so it runs anywhere waypoint does,
# with no Node or Python.
set -eu

prog=create-frontend-audit

usage() {
  cat <<'EOF'
Usage: sh .agents/skills/frontend-ship-audit/scripts/create-frontend-audit.sh [--scope TEXT] [--root DIR]

Creates .waypoint/audit/<dd-mm-yyyy-hh-mm>-frontend-audit.md (local time) with
the report skeleton of references/report-template.md and prints its path
relative to the repository root. An existing report is never overwritten: when
the name is taken, -2, -3, ... is added before .md.

Options:
  --scope TEXT  fill the "Requested scope" line of the report
  --root DIR    repository root (default: the git top level, else the nearest
                folder above the current one that contains .waypoint/, else
                the current folder)
  -h, --help    show this help
EOF
}

# Usage mistakes exit 2, other failures exit 1; always exactly one stderr line.
fail() {
  printf '%s: %s\n' "$prog" "$1" >&2
  exit "${2:-1}"
}

scope=""
root=""
root_given=0

while [ "$#" -gt 0 ]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --scope)
      [ "$#" -ge 2 ] || fail "option --scope needs a value" 2
      scope=$2
      shift 2
      ;;
    --scope=*)
      scope=${1#--scope=}
      shift
      ;;
    --root)
      [ "$#" -ge 2 ] || fail "option --root needs a value" 2
      root=$2
      root_given=1
      shift 2
      ;;
    --root=*)
      root=${1#--root=}
      root_given=1
      shift
      ;;
    -*)
      fail "unknown option: $1 (see --help)" 2
      ;;
    *)
      fail "unexpected argument: $1 (see --help)" 2
      ;;
  esac
done

find_root() {
  if command -v git >/dev/null 2>&1; then
    if top=$(git rev-parse --show-toplevel 2>/dev/null) && [ -n "$top" ]; then
      printf '%s\n' "$top"
      return 0
    fi
  fi
  start=$(pwd -P)
  dir=$start
  while :; do
    if [ -d "$dir/.waypoint" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
    [ "$dir" = / ] && break
    dir=$(dirname "$dir")
  done
  printf '%s\n' "$start"
}

if [ "$root_given" -eq 1 ]; then
  [ -n "$root" ] || fail "option --root needs a value" 2
  [ -d "$root" ] || fail "--root $root: not a directory"
else
  root=$(find_root)
fi

audit_dir="$root/.waypoint/audit"
mkdir -p "$audit_dir" 2>/dev/null || fail "$audit_dir: cannot create directory"

# One clock reading for both the file name and the title, so they agree.
stamp=$(date +%d-%m-%Y-%H-%M) || fail "date failed"
case "$stamp" in
  [0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
  *) fail "date returned an unexpected timestamp: $stamp" ;;
esac
day=${stamp%-??-??}
clock=${stamp#??-??-????-}
title_time="$day ${clock%-*}:${clock#*-}"

# Newlines would break the one-line scope field.
if [ -n "$scope" ]; then
  scope_line=$(printf '%s' "$scope" | tr '\n\r' '  ')
else
  scope_line="_what the user asked to audit_"
fi

skeleton() {
  cat <<EOF
# Frontend Ship Audit: $title_time

- **Requested scope:** $scope_line
- **Audited scope:** _routes, screens, flows or components actually audited_
- **Revision:** _branch and commit_
- **Decision:** _Ready to ship | Ready to ship with explicit risk acceptance | Not ready to ship_

## Scope

- **In scope:**
- **Adjacent dependencies:**
- **Out of scope:**

## What Was Read

## Context, Questions and Assumptions

- **Product context used:**
- **Open questions:**
- **Assumptions:**

## How the Surface Works

## Ship Decision

## Findings

## Release Conditions

## Follow-ups

## Context Persisted
EOF
}

# Claim the name first: under noclobber the shell creates the file exclusively,
# so an existing report is never touched and two runs in the same minute cannot
# take the same name. Only then write the skeleton into the claimed file.
n=1
while :; do
  if [ "$n" -eq 1 ]; then
    name="$stamp-frontend-audit.md"
  else
    name="$stamp-frontend-audit-$n.md"
  fi
  path="$audit_dir/$name"
  if (set -C; : >"$path") 2>/dev/null; then
    break
  fi
  if [ ! -e "$path" ] && [ ! -L "$path" ]; then
    fail "$path: cannot create file"
  fi
  n=$((n + 1))
  [ "$n" -le 999 ] || fail "$audit_dir: too many reports named $stamp-frontend-audit"
done

if ! skeleton >"$path" 2>/dev/null; then
  rm -f "$path"
  fail "$path: cannot write file"
fi
printf '.waypoint/audit/%s\n' "$name"
