/**
 * How a person drives the workbench: keys, clicks, looking at the screen. Every wait polls the
 * DOM until a condition holds or a timeout passes; nothing relies on a fixed sleep.
 */
import fs from 'node:fs';
import path from 'node:path';

const nbsp = /\u00a0/g;

/** Polls `fn` until it returns a truthy value; throws `what` with the last observation on timeout. */
export async function poll(fn, { timeout = 15_000, interval = 150, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastErr;
  while (true) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      const seen = lastErr ? ` (last error: ${lastErr.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${seen}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Screenshots numbered per scenario: test-results/e2e/<scenario>/<nn>-<step>.png */
export class Shots {
  constructor(page, dir) {
    this.page = page;
    this.dir = dir;
    this.n = 0;
    this.files = [];
    fs.mkdirSync(dir, { recursive: true });
  }
  async take(step) {
    this.n += 1;
    const file = path.join(this.dir, `${String(this.n).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await this.page.screenshot({ path: file }).catch(() => {});
    this.files.push(file);
    return file;
  }
}

export async function dismissNotifications(page) {
  // Toasts cover the bottom-right of the editor; a person closes them.
  await page.keyboard.press('Escape').catch(() => {});
}

/**
 * Presses a shortcut that opens the quick input. When keyboard focus has left the workbench
 * (a hidden panel, the terminal's textarea gone), a person clicks into the window first: so
 * does this, on the status bar's empty middle, and tries again.
 */
export async function openQuickInput(page, keys, { timeout = 10_000 } = {}) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let i = 0; i < 3; i++) {
    for (const k of [].concat(keys)) await page.keyboard.press(k);
    if (await poll(() => input.isVisible(), { timeout: i === 2 ? timeout : 2500, what: 'the quick input' }).catch(() => false)) return input;
    const bar = await page.locator('.part.statusbar').boundingBox();
    if (bar) await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
  }
  throw new Error(`${[].concat(keys).join(' / ')} did not open the quick input`);
}

/** Command palette: F1, type the title, pick the matching row with Enter. */
export async function runCommand(page, title, { timeout = 10_000 } = {}) {
  const input = await openQuickInput(page, 'F1', { timeout });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch {
    const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts().catch(() => []);
    await page.keyboard.press('Escape');
    throw new Error(`command "${title}" is not in the command palette (palette showed: ${rows.slice(0, 5).map((r) => r.replace(/\s+/g, ' ')).join(' | ') || 'nothing'})`);
  }
  await row.click();
}

/** Quick Open (Ctrl+P) a workspace file by its relative path and wait for its tab to be active. */
export async function openFile(page, rel, { timeout = 15_000 } = {}) {
  const base = path.basename(rel);
  // Ctrl+P; when focus has left the workbench (e.g. after hiding a panel) the browser may keep
  // Ctrl+P for itself, so F1 (the palette, switched to file search by dropping the '>') is the fallback.
  let input;
  try {
    input = await openQuickInput(page, 'Control+P', { timeout: 3000 });
  } catch {
    input = await openQuickInput(page, 'F1', { timeout });
  }
  await input.fill(rel);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first();
  await row.waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  // The tab renders name and extension in separate spans, hence the whitespace removal.
  await poll(async () => (await page.locator('.editor-group-container.active .tab.active').first().textContent().catch(() => '')).replace(/\s+/g, '').includes(base), { timeout, what: `tab ${base}` });
  await poll(() => page.locator('.editor-group-container.active .monaco-editor .view-lines').first().isVisible(), { timeout, what: 'editor text' });
  await activeEditor(page).locator('.view-lines').click({ position: { x: 2, y: 2 } }).catch(() => {});
  // Start at the top: an editor may come back scrolled (restored view state), and a person
  // reading a file starts there.
  await page.keyboard.press('Control+Home');
  await poll(async () => (await editorLines(page).catch(() => [])).some((l) => l.line === 1), { timeout: 5000, what: `${base} scrolled to its first line` });
}

export function activeEditor(page) {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Ctrl+G to line:column, the way a person jumps there. */
export async function goTo(page, line, column = 1) {
  const input = await openQuickInput(page, 'Control+G', { timeout: 5000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await poll(async () => {
    const s = await statusCursor(page);
    return s && s.line === line && s.column === column;
  }, { timeout: 5000, what: `cursor at ${line}:${column}` });
}

/** The status bar's "Ln x, Col y". */
export async function statusCursor(page) {
  const t = await page.locator('.statusbar-item[id*="status.editor.selection"]').first().innerText().catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(t) || /(\d+)\D+(\d+)/.exec(t);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** Visible lines of the active editor as {line, text}, read from the DOM (line numbers from the gutter). */
export async function editorLines(page) {
  return activeEditor(page).evaluate((ed) => {
    const tops = new Map();
    for (const d of ed.querySelectorAll('.margin-view-overlays > div')) {
      const n = d.querySelector('.line-numbers');
      if (n) tops.set(parseFloat(d.style.top), Number(n.textContent.trim()));
    }
    const lines = [];
    for (const l of ed.querySelectorAll('.view-lines .view-line')) {
      const line = tops.get(parseFloat(l.style.top));
      lines.push({ line, text: l.textContent.replace(/\u00a0/g, ' ') });
    }
    return lines.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  });
}

export async function lineText(page, line) {
  const l = (await editorLines(page)).find((x) => x.line === line);
  return l?.text;
}

/** Lines carrying a squiggle of the given severity, from the editor's overlay layer. */
export async function squiggleLines(page, severity = 'error') {
  return activeEditor(page).evaluate((ed, sev) => {
    const tops = new Map();
    for (const d of ed.querySelectorAll('.margin-view-overlays > div')) {
      const n = d.querySelector('.line-numbers');
      if (n) tops.set(parseFloat(d.style.top), Number(n.textContent.trim()));
    }
    const out = new Set();
    for (const d of ed.querySelectorAll('.view-overlays > div')) {
      if (d.querySelector(`.squiggly-${sev}`)) {
        const ln = tops.get(parseFloat(d.style.top));
        if (ln) out.add(ln);
      }
    }
    return [...out].sort((a, b) => a - b);
  }, severity);
}

/** Screen coordinates of `word` on editor line `line` (for mouse hover / clicks). */
export async function wordPosition(page, line, word) {
  return activeEditor(page).evaluate((ed, { line, word }) => {
    let top;
    for (const d of ed.querySelectorAll('.margin-view-overlays > div')) {
      const n = d.querySelector('.line-numbers');
      if (n && Number(n.textContent.trim()) === line) top = parseFloat(d.style.top);
    }
    if (top === undefined) return null;
    const el = [...ed.querySelectorAll('.view-lines .view-line')].find((l) => parseFloat(l.style.top) === top);
    if (!el) return null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const i = node.textContent.replace(/\u00a0/g, ' ').indexOf(word);
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + word.length);
        const b = r.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      }
    }
    return null;
  }, { line, word });
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns its marker rows as text. */
export async function problemRows(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor({ state: 'visible', timeout: 10_000 });
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => ({ text: r.innerText.replace(/\s+/g, ' ').trim(), aria: r.getAttribute('aria-label') || '' })),
  );
}

export function normalise(s) {
  return String(s ?? '').replace(nbsp, ' ').replace(/\s+/g, ' ').trim();
}
