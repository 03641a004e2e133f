/**
 * Output formats of `kubeplay validate`: text (kubeconform-like lines and
 * summary), JSON, JUnit XML and SARIF 2.1.0 for code-scanning uploads.
 * Valid resources are kept only as counts unless `verbose`.
 */
import { formatPath, isFailing, type ResourceResult, type Status } from './validateCheck';
import type { FieldPath } from '../../kube/src/rules/types';

export type Format = 'text' | 'json' | 'junit' | 'sarif';

export interface Summary {
  resources: number;
  files: number;
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
}

/** Collects results; what it keeps depends on the format. */
export class Report {
  readonly summary: Summary = { resources: 0, files: 0, valid: 0, invalid: 0, errors: 0, skipped: 0 };
  readonly kept: ResourceResult[] = [];
  /** Every resource per file, for JUnit (which lists passing tests too). */
  private readonly perFile = new Map<string, { total: number; results: ResourceResult[] }>();

  constructor(readonly format: Format, readonly strict: boolean, readonly verbose: boolean, private readonly write: (s: string) => void) {}

  file(name: string): void {
    this.summary.files++;
    if (!this.perFile.has(name)) this.perFile.set(name, { total: 0, results: [] });
  }

  add(r: ResourceResult): void {
    this.summary.resources++;
    const key = ({ valid: 'valid', invalid: 'invalid', error: 'errors', skipped: 'skipped' } as const)[r.status];
    this.summary[key]++;
    const pf = this.perFile.get(r.file);
    if (pf) pf.total++;
    const interesting = r.status !== 'valid' || r.findings.length > 0;
    if (this.format === 'text') {
      if (interesting || this.verbose) this.write(textLines(r, this.strict));
      return;
    }
    if (interesting || this.verbose || this.format === 'junit') {
      this.kept.push(r);
      pf?.results.push(r);
    }
  }

  /**
   * Whether adding `r` only counts it (nothing to write or keep): such results need not wait for the checks
   * across files, whose findings come in order.
   */
  countsOnly(r: ResourceResult): boolean {
    return !this.verbose && this.format !== 'junit' && r.status === 'valid' && r.findings.length === 0;
  }

  /** A file that could not be read. */
  readError(file: string, message: string): void {
    this.summary.errors++;
    this.add0({ file, line: 0, status: 'error', error: message, findings: [] });
  }

  private add0(r: ResourceResult): void {
    if (this.format === 'text') this.write(textLines(r, this.strict));
    else this.kept.push(r);
  }

  finish(): void {
    switch (this.format) {
      case 'text': this.write(summaryLine(this.summary) + '\n'); break;
      case 'json': this.write(JSON.stringify(jsonReport(this.kept, this.summary), null, 2) + '\n'); break;
      case 'junit': this.write(junit(this.perFile, this.kept, this.summary)); break;
      case 'sarif': this.write(JSON.stringify(sarif(this.kept), null, 2) + '\n'); break;
    }
  }
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function summaryLine(s: Summary): string {
  return `Summary: ${plural(s.resources, 'resource')} found in ${plural(s.files, 'file')} - Valid: ${s.valid}, Invalid: ${s.invalid}, Errors: ${s.errors}, Skipped: ${s.skipped}`;
}

function label(r: ResourceResult): string {
  return r.kind && r.name ? `${r.kind} ${r.name}` : r.kind || r.name || 'resource';
}

/**
 * The field a finding names: an apiserver error's as the apiserver (and so kubectl) prints it, the editor's own
 * path otherwise. The line and column still point at the text.
 */
function fieldName(f: { path: FieldPath; apiError?: { apiPath?: FieldPath } }): string {
  return f.apiError ? formatPath(f.apiError.apiPath ?? f.path, 'dot') : formatPath(f.path);
}

function where(r: ResourceResult, line = r.line, col?: number): string {
  return r.line ? `${r.file}:${line}${col ? `:${col}` : ''}` : r.file;
}

function textLines(r: ResourceResult, strict: boolean): string {
  if (r.status === 'error') return `${where(r)} - ${r.kind ? `${label(r)} failed validation: ` : ''}${r.error}\n`;
  if (r.status === 'skipped') return `${where(r)} - ${label(r)} skipped\n`;
  if (!r.findings.length) return `${where(r)} - ${label(r)} is valid\n`;
  let out = '';
  for (const f of r.findings) {
    const bad = isFailing(f.severity, strict);
    const p = fieldName(f);
    out += `${where(r, f.line, f.column)} - ${label(r)} ${bad ? 'is invalid' : f.severity}: ${p ? p + ': ' : ''}${f.message} [${f.code}]\n`;
  }
  return out;
}

const STATUS_NAME: Record<Status, string> = { valid: 'statusValid', invalid: 'statusInvalid', error: 'statusError', skipped: 'statusSkipped' };

function jsonReport(kept: ResourceResult[], s: Summary): unknown {
  return {
    resources: kept.map((r) => ({
      filename: r.file, line: r.line, kind: r.kind ?? '', name: r.name ?? '', version: r.apiVersion ?? '',
      status: STATUS_NAME[r.status],
      msg: r.error ?? r.findings.map((f) => `${fieldName(f)}: ${f.message}`).join('; '),
      validationErrors: r.findings.map((f) => ({ path: '/' + f.path.join('/'), msg: f.message, code: f.code, severity: f.severity, line: f.line, column: f.column })),
    })),
    summary: { valid: s.valid, invalid: s.invalid, errors: s.errors, skipped: s.skipped },
  };
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function junit(perFile: Map<string, { total: number; results: ResourceResult[] }>, kept: ResourceResult[], s: Summary): string {
  let body = '';
  let id = 0;
  const files = new Map(perFile);
  for (const r of kept) if (!files.has(r.file)) files.set(r.file, { total: 1, results: [r] });
  for (const [file, { results }] of files) {
    const failures = results.filter((r) => r.status === 'invalid').length;
    const errors = results.filter((r) => r.status === 'error').length;
    const skipped = results.filter((r) => r.status === 'skipped').length;
    body += `  <testsuite name="${xml(file)}" id="${id++}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n`;
    for (const r of results) {
      body += `    <testcase name="${xml(label(r))}" classname="${xml(`${r.kind ?? ''}@${r.apiVersion ?? ''}`)}">`;
      if (r.status === 'invalid') {
        const msg = r.findings.map((f) => `${f.line}:${f.column} ${fieldName(f)}: ${f.message} [${f.code}]`).join('\n');
        body += `\n      <failure message="${xml(r.findings[0]?.message ?? 'invalid')}" type="ValidationError">${xml(msg)}</failure>\n    `;
      } else if (r.status === 'error') body += `\n      <error message="${xml(r.error ?? 'error')}" type="Error"></error>\n    `;
      else if (r.status === 'skipped') body += '<skipped></skipped>';
      body += '</testcase>\n';
    }
    body += '  </testsuite>\n';
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kubeplay" tests="${s.resources}" failures="${s.invalid}" errors="${s.errors}" disabled="${s.skipped}">\n${body}</testsuites>\n`;
}

function sarif(kept: ResourceResult[]): unknown {
  const rules = new Map<string, string>();
  const results: unknown[] = [];
  const level = (sev: string) => (sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'note');
  for (const r of kept) {
    const loc = (line: number, col: number) => [{ physicalLocation: { artifactLocation: { uri: r.file.replace(/\\/g, '/') }, region: { startLine: Math.max(1, line), startColumn: Math.max(1, col) } } }];
    if (r.status === 'error') {
      rules.set('resource-error', 'The resource could not be validated');
      results.push({ ruleId: 'resource-error', level: 'error', message: { text: r.error }, locations: loc(r.line, 1) });
    }
    for (const f of r.findings) {
      if (!rules.has(f.code)) rules.set(f.code, f.code.replace(/-/g, ' '));
      results.push({ ruleId: f.code, level: level(f.severity), message: { text: `${fieldName(f)}: ${f.message}` }, locations: loc(f.line, f.column) });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'kubeplay', informationUri: 'https://github.com/kubeplay/kubeplay', rules: [...rules].map(([id, text]) => ({ id, shortDescription: { text } })) } },
      results,
    }],
  };
}
