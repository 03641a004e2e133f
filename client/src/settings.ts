import * as vscode from 'vscode';

/** The `kubeplay` settings the client reads (the language server pulls its own part of the same section). */
export interface ClientSettings {
  nodes: number;
  nodeCapacity: { cpu?: string; memory?: string; pods?: string };
  speed: number;
  /** `playground` or the name of a kubeconfig context. */
  target: string;
  /** Add-ons the playground installs at start (`ingress-nginx`). */
  addons: string[];
}

export function readSettings(): ClientSettings {
  const c = vscode.workspace.getConfiguration('kubeplay');
  const nodes = Number(c.get('nodes', 3));
  const speed = Number(c.get('speed', 1));
  const cap = c.get<Record<string, unknown>>('nodeCapacity', {}) ?? {};
  return {
    nodes: Number.isInteger(nodes) && nodes > 0 ? nodes : 3,
    speed: speed > 0 ? speed : 1,
    nodeCapacity: {
      cpu: typeof cap.cpu === 'string' ? cap.cpu : undefined,
      memory: typeof cap.memory === 'string' ? cap.memory : undefined,
      pods: cap.pods !== undefined ? String(cap.pods) : undefined,
    },
    target: String(c.get('target', 'playground') || 'playground'),
    addons: (c.get<unknown[]>('addons', []) ?? []).filter((a): a is string => a === 'ingress-nginx'),
  };
}
