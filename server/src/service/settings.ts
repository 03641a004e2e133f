/**
 * The `kubeplay` settings section, as the server pulls it per document
 * (workspace/configuration). `from()` turns whatever the client sent into a
 * clean value, so features never check types or defaults themselves.
 */

export type LintLevel = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface Settings {
  /** Minor version to judge removed APIs by, e.g. `1.34`. */
  kubernetesVersion: string;
  /** Severity overrides by diagnostic code. */
  lint: Record<string, LintLevel>;
}

const LEVELS: readonly LintLevel[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Cleans a raw settings object; `newest` is the schema's Kubernetes version (the default). */
export function from(raw: unknown, newest: string): Settings {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  let kubernetesVersion = newest;
  const kv = typeof r.kubernetesVersion === 'number' ? String(r.kubernetesVersion) : r.kubernetesVersion;
  if (typeof kv === 'string') {
    const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(kv.trim());
    if (m) kubernetesVersion = `${Number(m[1])}.${Number(m[2])}`;
  }
  const lint: Record<string, LintLevel> = {};
  if (r.lint && typeof r.lint === 'object' && !Array.isArray(r.lint)) {
    for (const [code, level] of Object.entries(r.lint as Record<string, unknown>)) {
      const l = typeof level === 'string' ? (level.toLowerCase() === 'info' ? 'information' : level.toLowerCase()) : '';
      if ((LEVELS as string[]).includes(l)) lint[code] = l as LintLevel;
    }
  }
  return { kubernetesVersion, lint };
}

export function sameSettings(a: Settings, b: Settings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
