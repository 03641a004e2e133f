/**
 * Publishing diagnostics: the rules are the validation engineer's
 * `computeDiagnostics(model, context)`; this side only decides when to run
 * them, drops results for outdated versions, and falls back to the model's
 * own YAML problems if the rules ever throw.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { computeDiagnostics } from '../service/diagnostics';
import type { Model } from '../service/model';
import type { Session } from './session';

export function yamlDiagnostics(model: Model): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of model.documents) {
    for (const p of doc.problems) {
      out.push({ range: p.range, message: p.message, severity: p.severity === 'error' ? 1 : 2, source: 'kubeplay', code: `yaml-${p.code.toLowerCase().replace(/_/g, '-')}` });
    }
  }
  return out;
}

export async function diagnose(session: Session, uri: string): Promise<void> {
  const model = session.model(uri);
  if (!model) return;
  const version = model.version;
  const diagnostics = await session.guard('diagnostics', yamlDiagnostics(model), async () => {
    const ctx = await session.context(uri);
    return computeDiagnostics(model, ctx) as Diagnostic[];
  });
  const current = session.documents.get(uri);
  if (!current || current.version !== version) return; // a newer edit will publish
  await session.connection.sendDiagnostics({ uri, version, diagnostics });
}

/** Debounced re-diagnosis: the edited document soon, the other open ones a little later (cross-object checks). */
export class DiagnosticScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  constructor(private readonly session: Session, private readonly delay = 30, private readonly othersDelay = 400) {}

  edited(uri: string): void {
    this.schedule(uri, this.delay);
    for (const other of this.session.documents.keys()) if (other !== uri) this.schedule(other, this.othersDelay);
  }

  all(): void {
    for (const uri of this.session.documents.keys()) this.schedule(uri, this.delay);
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  private schedule(uri: string, ms: number): void {
    const prev = this.timers.get(uri);
    if (prev && ms > this.delay) return; // one is already pending; a later re-check adds nothing
    if (prev) clearTimeout(prev);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void diagnose(this.session, uri);
      }, ms),
    );
  }
}
