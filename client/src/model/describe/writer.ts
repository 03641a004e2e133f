import { tabwrite } from './tabwriter';

/**
 * kubectl's PrefixWriter: every write at level n is indented by 2n spaces,
 * and the whole text goes through the tabwriter. `flush()` ends the current
 * alignment region, as kubectl does before the Events table.
 */
export class PrefixWriter {
  private done = '';
  private pending = '';

  write(level: number, text: string): void {
    this.pending += '  '.repeat(level) + text;
  }

  /** Unindented text plus a newline (kubectl's WriteLine). */
  line(text: string): void {
    this.pending += text + '\n';
  }

  flush(): void {
    this.done += tabwrite(this.pending);
    this.pending = '';
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}
