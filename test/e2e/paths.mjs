/**
 * Where the end-to-end harness keeps things. The heavy tools (Node 24, code-server, kubectl)
 * live in a cache outside the repo, keyed by version, so a warm run reuses them and a fresh
 * clone in CI does not re-download 600 MB.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = process.env.KUBEPLAY_E2E_CACHE || path.join(os.homedir(), '.cache', 'kubeplay-e2e');
export const NODE24_PREFIX = path.join(CACHE, `node${NODE_MAJOR}`);
export const CODE_SERVER_PREFIX = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
export const KUBECTL_DIR = path.join(CACHE, 'kubectl');
export const CHROMIUM = process.env.KUBEPLAY_E2E_CHROMIUM || '/usr/bin/chromium';
export const RESULTS = path.join(REPO, 'test-results', 'e2e');
