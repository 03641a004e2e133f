import type { ObjRef } from './types';
import type { Look } from './status';

/**
 * One row of the Cluster tree, independent of VS Code. `children` is a
 * function so nothing below a collapsed row is ever computed; the view
 * calls it only for rows the user has opened.
 */
export interface TreeNode {
  /** Stable across refreshes (VS Code keeps expansion and selection by id). */
  id: string;
  label: string;
  description?: string;
  /**
   * Markdown, built when the row is hovered (VS Code's resolveTreeItem). Not
   * part of what a refresh compares: a tooltip carries ages and counters that
   * change all the time, and a refreshed row drops its children's handles
   * until VS Code fetches them again (see TreeMirror), so a right-click then
   * would run its command with no row.
   */
  tooltip?: () => string;
  look?: Look;
  /**
   * What a screen reader says for the row (VS Code's accessibilityInformation)
   * when the label alone is shortened, e.g. a pod's full name and status.
   */
  accessibility?: string;
  /** For `when` clauses in menus: `kubeplay.pod`, `kubeplay.deployment`, `kubeplay.node`, ... */
  contextValue?: string;
  ref?: ObjRef;
  parent?: TreeNode;
  /** Expanded by default (the top-level groups). */
  expanded?: boolean;
  children?: () => TreeNode[];
}

export const PAGE_SIZE = 100;

/**
 * Splits a long list into pages of PAGE_SIZE rows so that a ReplicaSet with
 * 10,000 pods opens as 100 rows, each opening 100 pods.
 */
export function paged(parent: TreeNode, items: TreeNode[], pageSize = PAGE_SIZE): TreeNode[] {
  if (items.length <= pageSize) {
    for (const i of items) i.parent = parent;
    return items;
  }
  const pages: TreeNode[] = [];
  for (let start = 0; start < items.length; start += pageSize) {
    const slice = items.slice(start, start + pageSize);
    const page: TreeNode = {
      id: `${parent.id}/page:${start}`,
      label: `${start + 1}–${start + slice.length}`,
      description: `${slice[0].label} … ${slice[slice.length - 1].label}`,
      contextValue: 'kubeplay.page',
      parent,
      children: () => {
        for (const i of slice) i.parent = page;
        return slice;
      },
    };
    pages.push(page);
  }
  return pages;
}

export function byName(a: { label: string }, b: { label: string }): number {
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

/** Escapes text for Markdown tooltips. */
export function md(s: unknown): string {
  return String(s ?? '').replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/**
 * Like `paged`, but rows are built only for the page being opened: with
 * 10,000 pods a refresh sorts names and builds the 100 rows that are visible,
 * not 10,000 tree nodes with tooltips.
 */
export function pagedBy<T>(
  parent: TreeNode,
  items: T[],
  name: (t: T) => string,
  build: (t: T, parent: TreeNode) => TreeNode,
  pageSize = PAGE_SIZE,
  sort = true,
  pageText?: (slice: T[], start: number) => { label: string; description: string },
): TreeNode[] {
  const keyed = items.map((t) => ({ t, k: name(t) }));
  if (sort) keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  if (keyed.length <= pageSize) return keyed.map(({ t }) => build(t, parent));
  const pages: TreeNode[] = [];
  for (let start = 0; start < keyed.length; start += pageSize) {
    const slice = keyed.slice(start, start + pageSize);
    const text = pageText?.(slice.map(({ t }) => t), start);
    const page: TreeNode = {
      id: `${parent.id}/page:${start}`,
      label: text?.label ?? `${start + 1}–${start + slice.length}`,
      description: text?.description ?? `${slice[0].k} … ${slice[slice.length - 1].k}`,
      contextValue: 'kubeplay.page',
      parent,
    };
    page.children = () => slice.map(({ t }) => build(t, page));
    pages.push(page);
  }
  return pages;
}
