/**
 * Per-connection state of the LSP adapter: open documents, parsed models,
 * the workspace index, settings per document and the client's locale. The
 * pure service gets everything it needs from here through `context()`.
 */
import type { Connection } from 'vscode-languageserver/node';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getSchema, type Schema } from '../../../kube/src/schema/index';
import type { ServiceContext } from '../service/context';
import { ModelStore, type Model } from '../service/model';
import { from, type Settings } from '../service/settings';
import { Workspace } from '../service/workspace';

export class Session {
  readonly documents = new TextDocuments(TextDocument);
  readonly schema: Schema = getSchema();
  readonly store = new ModelStore((a, k) => this.schema.kind(a, k));
  readonly workspace = new Workspace();
  locale = 'en';
  /** Whether the client answers workspace/configuration. */
  canPullSettings = false;
  canWatchFiles = false;
  /** Whether the client shows completion items' labelDetails (LSP 3.17). */
  labelDetails = false;
  folders: string[] = [];
  private readonly settings = new Map<string, Promise<Settings>>();

  constructor(readonly connection: Connection) {}

  get defaults(): Settings {
    return from(undefined, this.schema.data.kubernetesVersion);
  }

  /** The model of an open document at its current version. */
  model(uri: string): Model | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    return this.store.update(uri, doc.version, doc.getText());
  }

  settingsFor(uri: string): Promise<Settings> {
    let s = this.settings.get(uri);
    if (!s) {
      s = this.canPullSettings
        ? this.connection.workspace
            .getConfiguration({ scopeUri: uri, section: 'kubeplay' })
            .then((raw) => from(raw, this.schema.data.kubernetesVersion), () => this.defaults)
        : Promise.resolve(this.defaults);
      this.settings.set(uri, s);
    }
    return s;
  }

  forgetSettings(uri?: string): void {
    if (uri) this.settings.delete(uri);
    else this.settings.clear();
  }

  async context(uri: string): Promise<ServiceContext> {
    return { schema: this.schema, workspace: this.workspace, settings: await this.settingsFor(uri), locale: this.locale, labelDetails: this.labelDetails };
  }

  /** Runs a handler so that no text can take the server down: errors are logged and answered with `fallback`. */
  async guard<T>(what: string, fallback: T, fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      this.connection.console.error(`kubeplay: ${what} failed: ${(e as Error)?.stack ?? e}`);
      return fallback;
    }
  }
}
