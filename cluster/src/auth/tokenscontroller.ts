/**
 * The legacy tokens controller (pkg/controller/serviceaccount/tokens_controller.go),
 * still behind the documentation's "manually create a long-lived API token":
 * a Secret of type kubernetes.io/service-account-token that names an account
 * gets its `token`, `ca.crt` and `namespace`, and the account's uid as an
 * annotation. A Secret whose account does not exist (or was replaced) is
 * deleted, and so are an account's token Secrets when the account goes.
 */
import type { Component, ComponentContext, KObject } from '../contract';
import type { ChangeRecord, Store } from '../store/store';
import { WorkQueue } from '../runtime/queue';
import { isStatusError } from '../apiserver/status';
import type { TokenIssuer } from './issuer';

const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const NAME_KEY = 'kubernetes.io/service-account.name';
const UID_KEY = 'kubernetes.io/service-account.uid';
const COMPONENT = 'tokens-controller';
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export class TokensController implements Component {
  readonly name = COMPONENT;
  private readonly queue: WorkQueue;
  private untap?: () => void;

  constructor(private readonly ctx: ComponentContext, private readonly store: Store, private readonly issuer: TokenIssuer, private readonly rootCa: string) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { onError: (k, e) => ctx.log(COMPONENT, `error syncing secret ${k}: ${(e as Error).message}`) });
  }

  start(): void {
    this.untap = this.store.tap((table, rec) => this.observe(table, rec), { only: ['/secrets', '/serviceaccounts'] });
    for (const s of this.store.list('/secrets')) if (s.type === SA_TOKEN_TYPE) this.queue.add(`${s.metadata.namespace}/${s.metadata.name}`);
  }

  stop(): void {
    this.untap?.();
    this.queue.stop();
  }

  private observe(table: string, rec: ChangeRecord): void {
    if (table === '/secrets') {
      if (rec.type !== 'DELETED' && rec.object.type === SA_TOKEN_TYPE) this.queue.add(`${rec.object.metadata.namespace}/${rec.object.metadata.name}`);
      return;
    }
    if (table === '/serviceaccounts') {
      // An account that comes or goes: its token Secrets are looked at again.
      const ns = rec.object.metadata.namespace;
      for (const s of this.store.list('/secrets', ns)) {
        if (s.type === SA_TOKEN_TYPE && s.metadata.annotations?.[NAME_KEY] === rec.object.metadata.name) this.queue.add(`${ns}/${s.metadata.name}`);
      }
    }
  }

  private sync(key: string): void {
    const i = key.indexOf('/');
    const ns = key.slice(0, i);
    const name = key.slice(i + 1);
    const secret = this.store.get('/secrets', ns, name);
    if (!secret || secret.type !== SA_TOKEN_TYPE || secret.metadata.deletionTimestamp) return;
    const ann = secret.metadata.annotations ?? {};
    const sa = this.store.get('/serviceaccounts', ns, ann[NAME_KEY] ?? '');
    if (!sa || sa.metadata.deletionTimestamp || (ann[UID_KEY] && ann[UID_KEY] !== sa.metadata.uid)) {
      this.ctx.log(COMPONENT, `deleting secret ${key}: its service account ${ns}/${ann[NAME_KEY] ?? ''} does not exist`);
      this.tolerate(() => this.ctx.api.delete(SECRETS, ns, name, { preconditions: { uid: secret.metadata.uid } }));
      return;
    }
    const data: Record<string, string> = { ...(secret.data ?? {}) };
    let changed = false;
    const ca = this.rootCa;
    if (ca && data['ca.crt'] !== b64(ca)) {
      data['ca.crt'] = b64(ca);
      changed = true;
    }
    if (!data.namespace) {
      data.namespace = b64(ns);
      changed = true;
    }
    if (!data.token) {
      data.token = b64(this.issuer.issueLegacy(sa, secret));
      changed = true;
    }
    if (ann[NAME_KEY] !== sa.metadata.name || ann[UID_KEY] !== sa.metadata.uid) changed = true;
    if (!changed) return;
    const updated: KObject = { ...secret, metadata: { ...secret.metadata, annotations: { ...ann, [NAME_KEY]: sa.metadata.name!, [UID_KEY]: sa.metadata.uid! } }, data };
    this.tolerate(() => this.ctx.api.update(SECRETS, ns, updated));
  }

  /** Conflict or NotFound: the Secret changed or went meanwhile; its next event brings it back here. */
  private tolerate(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
    }
  }
}
