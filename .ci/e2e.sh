#!/usr/bin/env bash
# End-to-end tests in a real VS Code workbench (code-server + headless Chromium).
# Installs what is missing (apt packages, Node 24, code-server, kubectl) into a cache outside the
# repo (~/.cache/kubeplay-e2e, override with KUBEPLAY_E2E_CACHE), packages and installs the VSIX,
# runs the extension-host suite and the UI scenarios, and leaves screenshots and logs in
# test-results/e2e/. Exits non-zero if any suite or scenario fails.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent test:e2e
