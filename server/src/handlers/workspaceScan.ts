/**
 * Reading the workspace's YAML files into the index, so that references and
 * selectors can be checked against objects in files that are not open. The
 * scan is cheap: it skips build and dependency folders, large files and
 * files without a `kind:` line, and yields between files.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { buildModel } from '../service/model';
import { indexModel } from '../service/workspace';
import type { Session } from './session';

const SKIP = new Set(['node_modules', '.git', 'out', 'dist', '.vscode-test', '.hg', '.svn', 'vendor', '.cache']);
const MAX_FILES = 5000;
const MAX_BYTES = 4 * 1024 * 1024;

export function isYamlPath(p: string): boolean {
  return /\.ya?ml$/i.test(p);
}

export async function scanFolders(session: Session, folders: string[]): Promise<number> {
  let count = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (count >= MAX_FILES || depth > 12) return;
    let entries: import('fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (count >= MAX_FILES) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) await walk(full, depth + 1);
      } else if (e.isFile() && isYamlPath(e.name)) {
        count++;
        await indexFile(session, pathToFileURL(full).toString());
      }
    }
  };
  for (const f of folders) {
    try {
      await walk(fileURLToPath(f), 0);
    } catch {
      /* not a file: URI */
    }
  }
  return count;
}

/** (Re)reads one file into the index; a missing or unreadable file is dropped. */
export async function indexFile(session: Session, uri: string): Promise<void> {
  try {
    const file = fileURLToPath(uri);
    const st = await fs.stat(file);
    if (st.size > MAX_BYTES) return session.workspace.removeFile(uri);
    const text = await fs.readFile(file, 'utf8');
    if (!/^\s*kind\s*:/m.test(text)) return session.workspace.removeFile(uri);
    const model = buildModel(uri, 0, text, (a, k) => session.schema.kind(a, k));
    session.workspace.setFile(uri, indexModel(model));
  } catch {
    session.workspace.removeFile(uri);
  }
  await new Promise((r) => setImmediate(r));
}
