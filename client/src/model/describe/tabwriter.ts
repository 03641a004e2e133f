/**
 * An emulation of Go's text/tabwriter as kubectl configures it
 * (minwidth 0, padding 2, pad with spaces, no flags). `kubectl describe`
 * output only lines up the way users know it if column blocks are computed
 * exactly like Go does: a column block is a run of consecutive lines that all
 * have a tab-terminated cell in that column, and the text after a line's last
 * tab never takes part in alignment.
 */
export function tabwrite(text: string, padding = 2): string {
  const lines = text.split('\n');
  // A trailing newline gives one empty last "line" that must not be emitted as an extra line.
  const hadTrailingNewline = lines.length > 0 && lines[lines.length - 1] === '';
  if (hadTrailingNewline) lines.pop();
  const cells = lines.map((l) => l.split('\t'));
  const out: string[] = new Array(cells.length).fill('');
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = cells[i];
      let s = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        s += c;
        if (j < widths.length) s += ' '.repeat(Math.max(0, widths[j] - width(c)));
      }
      out[i] = s;
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= cells[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = 0;
      for (; t < line1; t++) {
        const line = cells[t];
        if (column >= line.length - 1) break;
        const cw = width(line[column]) + padding;
        if (cw > w) w = cw;
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
      // Like Go, the loop's increment skips the line that ended the block: it has no cell here.
    }
    writeLines(line0, line1);
  };

  format(0, cells.length);
  return out.join('\n') + (hadTrailingNewline ? '\n' : '');
}

function width(s: string): number {
  return [...s].length;
}
