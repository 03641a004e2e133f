/**
 * Test helper: text with the cursor marked by `|` → the text and the cursor position.
 * Texts that hold block scalars mark the cursor with `§` instead.
 */
export function cursor(marked: string, mark = marked.includes('§') ? '§' : '|'): { text: string; pos: { line: number; character: number }; offset: number } {
  const offset = marked.indexOf(mark);
  if (offset < 0) throw new Error('no cursor mark');
  const text = marked.slice(0, offset) + marked.slice(offset + mark.length);
  const before = text.slice(0, offset).split('\n');
  return { text, offset, pos: { line: before.length - 1, character: before[before.length - 1].length } };
}
