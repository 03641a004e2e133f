/**
 * The Kubeplay side bar as a person sees it: the activity-bar icon, the "Cluster" tree, its rows
 * (label, description, expanded state) and their context menus.
 */
import { poll } from './ui.mjs';

export const CONTAINER_ID = 'kubeplay';
export const VIEW_ID = 'kubeplay.cluster';

/** Clicks the Kubeplay icon in the activity bar (unless the container is already showing). */
export async function openKubeplayView(page, { title = 'Kubeplay', timeout = 20_000 } = {}) {
  const item = page.locator(`.part.activitybar .action-item:has(a[aria-label*="${title}"]), .part.activitybar .action-label[aria-label*="${title}"]`).first();
  await poll(() => item.isVisible(), { timeout, what: `a "${title}" icon in the activity bar` });
  const shown = await page.locator(`.part.sidebar [id="workbench.view.extension.${CONTAINER_ID}"], .part.sidebar .composite.title:has-text("${title}")`).first().isVisible().catch(() => false);
  if (!shown) await item.click();
  await poll(() => page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').first().isVisible(), { timeout, what: 'rows in the Kubeplay tree' });
}

/** Every rendered row of the side bar's trees. */
export async function treeRows(page) {
  return page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').evaluateAll((rows) =>
    rows.map((r, i) => ({
      index: Number(r.getAttribute('data-index') ?? i),
      level: Number(r.getAttribute('aria-level') ?? 0),
      expanded: r.getAttribute('aria-expanded'),
      label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
      aria: r.getAttribute('aria-label') ?? '',
      text: r.innerText.replace(/\s+/g, ' ').trim(),
    })).sort((a, b) => a.index - b.index),
  );
}

export const rowText = (r) => `${r.label} ${r.description} ${r.aria}`;

/** Locator of the row whose label matches `re` (first match). */
export function rowLocator(page, re) {
  return page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: re }) }).first();
}

/** Expands the row whose label matches `re` by clicking its twistie, if it is collapsed. */
export async function expandRow(page, re, { timeout = 20_000 } = {}) {
  const row = rowLocator(page, re);
  await poll(() => row.isVisible(), { timeout, what: `a tree row matching ${re}` });
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
    await poll(async () => (await row.getAttribute('aria-expanded')) === 'true', { timeout: 5000, what: `row ${re} to expand` });
  }
  return row;
}

const TREE_VIEW = '.part.sidebar .monaco-list[role="tree"] .monaco-scrollable-element';
/** The tree's own rows, not the copies VS Code's sticky scroll lays over the top of the view. */
const OWN_ROW = '.part.sidebar .monaco-list-row[role="treeitem"]:not(.monaco-tree-sticky-row)';

/**
 * Scrolls the tree until the row whose label matches `re` sits about 40% down the view (or the tree can scroll no
 * further), as a person scrolls to see what a row they just expanded holds. The tree renders only the rows on
 * screen, so a row at the bottom edge has no rows for its children yet; and a row scrolled to the very top hides
 * under the sticky rows of its ancestors (VS Code's sticky scroll), where a click lands on them instead. The row
 * measured is the tree's own, not its sticky copy.
 */
export async function scrollRowIntoView(page, re, { steps = 30 } = {}) {
  const row = page.locator(OWN_ROW).filter({ has: page.locator('.label-name', { hasText: re }) }).first();
  const view = page.locator(TREE_VIEW).first();
  for (let i = 0; i < steps; i++) {
    const [r, v] = await Promise.all([row.boundingBox().catch(() => null), view.boundingBox().catch(() => null)]);
    if (!r || !v) return false;
    const off = r.y - v.y - v.height * 0.4;
    if (Math.abs(off) <= v.height * 0.15) return true;
    await page.mouse.move(v.x + v.width / 2, v.y + v.height / 2);
    await page.mouse.wheel(0, Math.sign(off) * Math.min(Math.abs(off), v.height / 2));
    await page.waitForTimeout(60);
    const after = await row.boundingBox().catch(() => null);
    if (after && Math.abs(after.y - r.y) < 1) return false;
  }
  return false;
}

/** Scrolls the tree back to its first row, as a person does to look for a row that has scrolled away above. */
export async function scrollTreeToTop(page, { steps = 30 } = {}) {
  const view = page.locator(TREE_VIEW).first();
  const v = await view.boundingBox().catch(() => null);
  if (!v) return;
  await page.mouse.move(v.x + v.width / 2, v.y + v.height / 2);
  let last;
  for (let i = 0; i < steps; i++) {
    // Rows are reused out of order: the smallest index on screen says where the view starts.
    const first = await page.locator(OWN_ROW)
      .evaluateAll((rows) => Math.min(...rows.map((r) => Number(r.getAttribute('data-index') ?? Infinity)))).catch(() => null);
    if (first === 0 || (last !== undefined && first === last)) return;
    last = first;
    await page.mouse.wheel(0, -v.height);
    await page.waitForTimeout(60);
  }
}

/** Collapses the first visible row whose label matches `re`, if it is expanded (a person folds what is in the way). */
export async function collapseRow(page, re) {
  const row = rowLocator(page, re);
  if (!(await row.isVisible().catch(() => false))) return;
  if ((await row.getAttribute('aria-expanded')) === 'true') {
    await row.locator('.monaco-tl-twistie').click();
    await poll(async () => (await row.getAttribute('aria-expanded')) !== 'true', { timeout: 5000, what: `row ${re} to collapse` }).catch(() => {});
  }
}

/** Expands a path of rows, e.g. [/^Namespaces$/, /^default$/, /^Deployments/]. */
export async function expandPath(page, path, opts) {
  for (const re of path) await expandRow(page, re, opts);
}

/** Rows whose text changes all the time without touching the workload rows (clock, counters, node load, events). */
const BUSY_ROW = /^(Playground|Control plane|etcd|kube-\S+|kubelet|Nodes|kubeplay-worker\d*|kubeplay-control-plane|Events)$/;

/**
 * Waits (at most `timeout`, without failing) until the tree's workload rows have not changed for `ms`.
 * A row whose text changes is refreshed, and VS Code then fetches its children again: for that moment
 * their handles are gone, and a context-menu command picked then gets no argument, as a person's click
 * would at that instant. A person waits for a settled tree before right-clicking; so does this.
 */
export async function quietTree(page, { ms = 700, timeout = 8_000 } = {}) {
  const snapshot = async () => JSON.stringify((await treeRows(page).catch(() => [])).filter((r) => !BUSY_ROW.test(r.label)).map(rowText));
  const t0 = Date.now();
  let last = await snapshot();
  let since = Date.now();
  while (Date.now() - t0 < timeout) {
    await page.waitForTimeout(100);
    const now = await snapshot();
    if (now !== last) { last = now; since = Date.now(); }
    else if (Date.now() - since >= ms) return true;
  }
  return false;
}

/** Right-clicks the row (once the tree has settled) and picks `action` from its context menu. */
export async function contextMenu(page, re, action, { timeout = 10_000, shots } = {}) {
  await quietTree(page);
  const row = rowLocator(page, re);
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: action }).first();
  try {
    await item.waitFor({ state: 'visible', timeout });
  } catch {
    const items = await page.locator('.monaco-menu .action-item').allInnerTexts().catch(() => []);
    await page.keyboard.press('Escape');
    throw new Error(`context menu of ${re} has no "${action}" (it has: ${items.map((s) => s.trim()).filter(Boolean).join(' | ') || 'no menu'})`);
  }
  if (shots) await shots.take(`context-menu-${action}`);
  await item.click();
  const closed = async () => !(await item.isVisible().catch(() => false));
  // Now and then the workbench's menu takes no notice of a click (stop 45's CI: the menu stayed open with the item
  // highlighted, and the action never ran). The item is the menu's focused one then, and Enter runs it; a menu that
  // did run the action has closed, so this cannot run it twice.
  if (!(await poll(closed, { timeout: 2000, what: '' }).then(() => true, () => false))) {
    if (!(await closed())) {
      await item.hover().catch(() => {});
      await page.keyboard.press('Enter');
    }
  }
  await poll(closed, { timeout: 5000, what: `the context menu to close after "${action}"` });
}
