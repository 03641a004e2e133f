/** Builds the pure service's inputs from marked text, as the LSP handlers would. */
import { getSchema } from '../../../kube/src/schema/index';
import type { ServiceContext } from '../../../server/src/service/context';
import { buildModel, type Model } from '../../../server/src/service/model';
import { from } from '../../../server/src/service/settings';
import { indexModel, Workspace } from '../../../server/src/service/workspace';
import { cursor } from './cursor';

export function setup(marked: string, opts: { locale?: string; others?: Record<string, string>; kubernetesVersion?: string; now?: number; labelDetails?: boolean } = {}) {
  const schema = getSchema();
  const { text, pos } = marked.includes('|') || marked.includes('§') ? cursor(marked) : { text: marked, pos: { line: 0, character: 0 } };
  const kinds = (a: string, k: string) => schema.kind(a, k);
  const model: Model = buildModel('file:///w/test.yaml', 1, text, kinds);
  const workspace = new Workspace();
  workspace.setOpen(model.uri, indexModel(model));
  for (const [name, t] of Object.entries(opts.others ?? {})) {
    const m = buildModel(`file:///w/${name}`, 1, t, kinds);
    workspace.setFile(m.uri, indexModel(m));
  }
  const ctx: ServiceContext = { schema, workspace, settings: from({ kubernetesVersion: opts.kubernetesVersion }, schema.data.kubernetesVersion), locale: opts.locale ?? 'en', now: opts.now === undefined ? undefined : () => opts.now!, labelDetails: opts.labelDetails };
  return { model, pos, ctx, text };
}
