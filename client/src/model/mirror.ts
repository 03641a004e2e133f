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

  constructor(private readonly roots: () => TreeNode[]) {}

  /** What the view's getChildren returns: stable instances, refreshed in place. */
  children(parent?: TreeNode): TreeNode[] {
    const fresh = parent ? (parent.children ? parent.children() : []) : this.roots();
    const out = fresh.map((f) => this.adopt(f, parent));
    const pid = parent ? parent.id : '';
    const old = this.fetched.get(pid);
    this.fetched.set(pid, out.map((n) => n.id));
    if (old) {
      const now = new Set(out.map((n) => n.id));
      this.forget(old.filter((id) => !now.has(id)));
    }
    return out;
  }

  /** The stable instance for a row found elsewhere (e.g. by TreeModel.pathTo), with its ancestors adopted too. */
  adoptPath(path: TreeNode[]): TreeNode[] {
    const out: TreeNode[] = [];
    let parent: TreeNode | undefined;
    for (const n of path) {
      parent = this.adopt(n, parent);
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

  get size(): number {
    return this.nodes.size;
  }

  private adopt(fresh: TreeNode, parent: TreeNode | undefined): TreeNode {
    let inst = this.nodes.get(fresh.id);
    if (!inst) {
      inst = fresh;
      this.nodes.set(fresh.id, inst);
    } else if (inst !== fresh) {
      for (const k of Object.keys(inst)) if (!(k in fresh)) delete (inst as any)[k];
      Object.assign(inst, fresh);
    }
    inst.parent = parent;
    this.keys.set(inst.id, renderKey(inst));
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
