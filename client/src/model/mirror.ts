import type { TreeNode } from './node';

/**
 * Keeps one object per row id for as long as VS Code shows the row, and
 * works out the smallest refresh after a change.
 *
 * Why: VS Code resolves a context-menu command's argument from the row's
 * handle. A whole-tree refresh drops every handle until the rows are fetched
 * again, so a right-click racing a refresh would run the command with no
 * argument. Refreshing only the rows whose text changed (and a parent only
 * when its list of children changed) leaves the other rows' handles alone;
 * a steady cluster causes no refresh at all.
 */
export class TreeMirror {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly keys = new Map<string, string>();
  /** Parent id ('' for the root) → ids of the children VS Code last fetched. */
  private readonly fetched = new Map<string, string[]>();
  /** Parents whose children were asked for in this turn of the event loop. */
  private readonly askedThisTurn = new Set<string>();
  /** Parents whose children were asked for twice in one turn: what VS Code shows of them may be nothing. */
  private readonly doubtful = new Set<string>();

  /**
   * `onDoubt`: called when a row's children were asked for twice in one turn (see `takeDoubts`), once until those
   * rows are taken. `endOfTurn` runs a function once the current turn of the event loop is over.
   */
  constructor(
    private readonly roots: () => TreeNode[],
    private readonly onDoubt: () => void = () => undefined,
    private readonly endOfTurn: (fn: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  /** What the view's getChildren returns: stable instances, refreshed in place. */
  children(parent?: TreeNode): TreeNode[] {
    const fresh = parent ? (parent.children ? parent.children() : []) : this.roots();
    const out = fresh.map((f) => this.adopt(f, parent));
    const pid = parent ? parent.id : '';
    this.noteAsked(pid);
    const old = this.fetched.get(pid);
    this.fetched.set(pid, out.map((n) => n.id));
    if (old) {
      const now = new Set(out.map((n) => n.id));
      this.forget(old.filter((id) => !now.has(id)));
    }
    return out;
  }

  /**
   * The stable instance for a row found elsewhere (e.g. by TreeModel.pathTo), with its ancestors adopted too. VS Code
   * is not shown these rows' text by this (a reveal fetches the children of the rows on its path, not those rows'
   * items), so what it was last shown of them stays on record: a row whose text has changed since is refreshed by the
   * next `changes()`.
   */
  adoptPath(path: TreeNode[]): TreeNode[] {
    const out: TreeNode[] = [];
    let parent: TreeNode | undefined;
    for (const n of path) {
      parent = this.adopt(n, parent, false);
      out.push(parent);
    }
    return out;
  }

  /**
   * Recomputes every row VS Code has fetched and returns the rows to refresh:
   * `undefined` in the list means the root's children changed.
   */
  changes(): (TreeNode | undefined)[] {
    const refresh: (TreeNode | undefined)[] = [];
    const walk = (pid: string, parent: TreeNode | undefined, fresh: TreeNode[]) => {
      const old = this.fetched.get(pid);
      if (!old) return;
      if (old.length !== fresh.length || old.some((id, i) => id !== fresh[i].id)) {
        refresh.push(parent); // VS Code fetches this row's children again, which adopts them
        return;
      }
      for (const f of fresh) {
        const changed = renderKey(f) !== this.keys.get(f.id);
        const inst = this.adopt(f, parent);
        if (changed) refresh.push(inst);
        else if (this.fetched.has(inst.id) && inst.children) walk(inst.id, inst, inst.children());
      }
    };
    walk('', undefined, this.roots());
    return refresh;
  }

  /**
   * The rows to refresh once more because their children were asked for twice in one turn. VS Code's extension host
   * fetches a row's children for the window (and for a reveal, on its own); a second fetch of the same row that
   * starts before the first has finished, which can only happen within one turn, supersedes it, and whoever asked
   * first gets no children at all. When that was the window, it shows the row open and empty, and since the row's
   * text and children have not changed since, `changes()` would never refresh it. So such a row is refreshed again
   * once things are quiet. `undefined` stands for the root.
   */
  takeDoubts(): (TreeNode | undefined)[] {
    const out: (TreeNode | undefined)[] = [];
    for (const pid of this.doubtful) {
      if (pid === '') out.push(undefined);
      else {
        const n = this.nodes.get(pid);
        if (n) out.push(n);
      }
    }
    this.doubtful.clear();
    return out;
  }

  get size(): number {
    return this.nodes.size;
  }

  private noteAsked(pid: string): void {
    if (!this.askedThisTurn.has(pid)) {
      if (this.askedThisTurn.size === 0) this.endOfTurn(() => this.askedThisTurn.clear());
      this.askedThisTurn.add(pid);
      return;
    }
    if (this.doubtful.has(pid)) return;
    const first = this.doubtful.size === 0;
    this.doubtful.add(pid);
    if (first) this.onDoubt();
  }

  /** `shown`: VS Code is given this row's item now, so its text is on record as what VS Code shows. */
  private adopt(fresh: TreeNode, parent: TreeNode | undefined, shown = true): TreeNode {
    let inst = this.nodes.get(fresh.id);
    if (!inst) {
      inst = fresh;
      this.nodes.set(fresh.id, inst);
    } else if (inst !== fresh) {
      for (const k of Object.keys(inst)) if (!(k in fresh)) delete (inst as any)[k];
      Object.assign(inst, fresh);
    }
    inst.parent = parent;
    if (shown) this.keys.set(inst.id, renderKey(inst));
    return inst;
  }

  /** Drops rows that are gone, with everything below them (child ids extend their parent's). */
  private forget(ids: string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    const under = (k: string) => {
      if (gone.has(k)) return true;
      for (let i = k.indexOf('/'); i > 0; i = k.indexOf('/', i + 1)) if (gone.has(k.slice(0, i))) return true;
      return false;
    };
    for (const map of [this.nodes, this.keys, this.fetched] as Map<string, unknown>[]) {
      for (const k of map.keys()) if (under(k)) map.delete(k);
    }
  }
}

/** Everything VS Code renders for a row (the tooltip is built on hover); a change here needs a refresh. */
function renderKey(n: TreeNode): string {
  return JSON.stringify([n.label, n.description, n.look, n.contextValue, !!n.children, n.ref?.name, n.accessibility]);
}
