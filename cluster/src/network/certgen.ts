/**
 * What registry.k8s.io/ingress-nginx/kube-webhook-certgen does when its
 * container runs (the two Jobs of ingress-nginx's manifests):
 *
 * - `create --host=a,b --namespace=ns --secret-name=s`: unless the Secret
 *   exists, a CA (ECDSA P-256, O=nil1) and a serving certificate it signs
 *   (O=nil2, the hosts as DNS names), both for 100 years, stored as the
 *   Secret's `ca`, `cert` and `key` (`--ca-name`, `--cert-name`, `--key-name`);
 * - `patch --webhook-name=w --namespace=ns --secret-name=s`: the CA goes into
 *   every webhook's `clientConfig.caBundle` of the ValidatingWebhookConfiguration
 *   (and the MutatingWebhookConfiguration unless `--patch-mutating=false`), and
 *   `--patch-failure-policy` into their failurePolicy.
 *
 * The container's own run (a few seconds, then exit 0) is the image
 * convention's, as for any task image; a run that fails exits 1 after a
 * second instead, and its Job's restart policy takes it from there.
 */
import { isIPv4 } from 'node:net';
import type { Api, KObject } from '../contract';
import { ecKeyPair, issueCertificate, randomSerial } from '../auth/x509';

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const VALIDATING = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' };
const MUTATING = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations' };
const HUNDRED_YEARS_MS = 100 * 365 * 86_400_000;

/** Whether a container runs kube-webhook-certgen. */
export function isCertgen(container: any): boolean {
  const image = container?.image;
  // Called for every pod update: a substring test before the exact one.
  return typeof image === 'string' && image.includes('kube-webhook-certgen') && /(^|\/)ingress-nginx\/kube-webhook-certgen([:@]|$)/.test(image);
}

/** The container's argv with Kubernetes' `$(VAR)` references expanded from its plain and field-ref variables. */
function argvOf(pod: KObject, container: any): string[] {
  const env = new Map<string, string>();
  for (const e of container.env ?? []) {
    if (typeof e?.value === 'string') env.set(e.name, e.value);
    const field = e?.valueFrom?.fieldRef?.fieldPath;
    if (field === 'metadata.namespace') env.set(e.name, pod.metadata.namespace ?? '');
    else if (field === 'metadata.name') env.set(e.name, pod.metadata.name ?? '');
  }
  return [...(container.command ?? []), ...(container.args ?? [])].map((a: unknown) =>
    String(a).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env.get(v) ?? m));
}


/**
 * Runs the command; answers what it did (for the control-plane log) and
 * whether it worked: a `patch` before its Secret exists fails, as the real
 * one exits 1, and its Job's restart tries again.
 */
export function runCertgen(api: Api, pod: KObject, container: any, now: number): { ok: boolean; message: string } {
  try {
    return certgen(api, pod, container, now);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function certgen(api: Api, pod: KObject, container: any, now: number): { ok: boolean; message: string } {
  const ok = (message: string) => ({ ok: true, message });
  const fail = (message: string) => ({ ok: false, message });
  const argv = argvOf(pod, container);
  const flag = (name: string, dflt?: string): string | undefined => {
    const a = argv.find((x) => x.startsWith(`--${name}=`));
    return a !== undefined ? a.slice(name.length + 3) : dflt;
  };
  const namespace = flag('namespace', pod.metadata.namespace)!;
  const secretName = flag('secret-name');
  if (!secretName) return fail('no --secret-name');
  const names = { ca: flag('ca-name', 'ca')!, cert: flag('cert-name', 'cert')!, key: flag('key-name', 'key')! };
  const get = (gvr: typeof SECRETS, ns: string | undefined, name: string): KObject | undefined => {
    try {
      return api.get(gvr, ns, name);
    } catch {
      return undefined;
    }
  };
  if (argv.includes('create')) {
    if (get(SECRETS, namespace, secretName)) return ok(`secret ${namespace}/${secretName} already exists`);
    const ca = ecKeyPair();
    const leaf = ecKeyPair();
    const hosts = (flag('host') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    // certs.go: valid from five minutes ago; the CA signs certificates and serves; IP hosts are IP SANs.
    const from = now - 5 * 60_000;
    const caPem = issueCertificate({ subject: { organization: 'nil1' }, issuer: { organization: 'nil1' }, publicKey: ca.publicKey, signingKey: ca.privateKey, serial: randomSerial(),
      notBefore: from, notAfter: now + HUNDRED_YEARS_MS, ca: true, keyUsage: 0x04, serverAuth: true });
    const certPem = issueCertificate({ subject: { organization: 'nil2' }, issuer: { organization: 'nil1' }, publicKey: leaf.publicKey, signingKey: ca.privateKey, serial: randomSerial(),
      notBefore: from, notAfter: now + HUNDRED_YEARS_MS, ca: false, dnsNames: hosts.filter((h) => !isIPv4(h)), ipAddresses: hosts.filter(isIPv4) });
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    api.create(SECRETS, namespace, { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace }, data: { [names.ca]: b64(caPem), [names.cert]: b64(certPem), [names.key]: b64(String(leaf.privateKey.export({ type: 'sec1', format: 'pem' }))) } } as KObject);
    return ok(`created secret ${namespace}/${secretName}`);
  }
  if (argv.includes('patch')) {
    const secret = get(SECRETS, namespace, secretName);
    const ca = secret?.data?.[names.ca];
    if (!ca) return fail(secret ? `secret ${namespace}/${secretName} has no ${names.ca}` : `secrets "${secretName}" not found`);
    const webhook = flag('webhook-name');
    if (!webhook) return fail('no --webhook-name');
    const policy = flag('patch-failure-policy');
    const done: string[] = [];
    const patch = (gvr: typeof VALIDATING) => {
      const cfg = get(gvr, undefined, webhook);
      if (!cfg) return;
      const webhooks = (cfg.webhooks ?? []).map((w: any) => ({ ...w, clientConfig: { ...(w.clientConfig ?? {}), caBundle: ca }, ...(policy ? { failurePolicy: policy } : {}) }));
      api.update(gvr, undefined, { ...cfg, webhooks });
      done.push(`${gvr.resource}/${webhook}`);
    };
    for (const [gvr, asked] of [[VALIDATING, flag('patch-validating', 'true') !== 'false'], [MUTATING, flag('patch-mutating', 'true') !== 'false']] as const) {
      if (!asked) continue;
      // A configuration it was asked to patch and cannot find fails the run.
      if (!get(gvr, undefined, webhook)) return fail(`${gvr.resource}.admissionregistration.k8s.io "${webhook}" not found`);
      patch(gvr);
    }
    return ok(`patched ${done.join(', ')}`);
  }
  return fail('unknown command');
}
