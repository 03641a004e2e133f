/**
 * A request from a container to the kube-apiserver, as curl or busybox wget
 * makes it through the kubernetes Service (the Kubernetes task "Accessing
 * the Kubernetes API from a Pod"): TLS first, since the apiserver speaks
 * nothing else, with the certificate checks the client makes; then the
 * request, served by the playground's own API handlers (network/apiserver.ts).
 */
import { APISERVER_CERT_NAMES, type PodApiAnswer, type PodApiServer } from '../network/apiserver';

/** What the client asks for. */
export interface ApiCall {
  client: 'curl' | 'wget' | 'kubectl';
  /** The URL's host as typed (the name TLS checks the certificate against) and its scheme. */
  host: string;
  https: boolean;
  method: string;
  target: string;
  /** The client's own headers: Host first, then User-Agent and Accept, then the user's (which replace them). */
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** curl -k. */
  insecure?: boolean;
  /** curl --cacert: the file's text, or null when it cannot be read. */
  caFile?: { path: string; text: string | null };
  /** The pod's address. */
  from: string;
}

/** Why TLS failed: the CA file cannot be read, the chain is not trusted, or the name is not the certificate's. */
export type TlsFailure = { tls: 'ca-file' | 'untrusted' | 'name' };

export type ApiResult = { answer: PodApiAnswer; http: '1.0' | '1.1' | '2' } | TlsFailure;

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const squash = (pem: string) => pem.replace(/\s+/g, '');

/** Whether a CA file holds the certificate that signed the apiserver's (one of its PEM blocks is that CA). */
export function trusts(caFileText: string, caCert: string): boolean {
  const want = caCert.match(PEM)?.map(squash) ?? [];
  if (!want.length) return false;
  return (caFileText.match(PEM) ?? []).some((b) => want.includes(squash(b)));
}

/** curl 8's words for a certificate it cannot verify (exit 60), with the advice it prints after them. */
export const CURL_CERT_ADVICE = 'More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n';

/** curl 8.5's words and exit code for a TLS failure. */
export function curlTlsError(f: TlsFailure, caPath: string | undefined, host: string): { error: string; code: number } {
  if (f.tls === 'ca-file') return { error: `error setting certificate file: ${caPath ?? ''}`, code: 77 };
  if (f.tls === 'name') return { error: `SSL: no alternative certificate subject name matches target host name '${host}'\n${CURL_CERT_ADVICE}`, code: 60 };
  return { error: `SSL certificate problem: unable to get local issuer certificate\n${CURL_CERT_ADVICE}`, code: 60 };
}

/** Go's TLS server, handed a plain HTTP request: a bare 400 over HTTP/1.0, then it closes (net/http server.go). */
const PLAIN_HTTP_TO_TLS: PodApiAnswer = {
  status: 400, reason: 'Bad Request', headers: [], body: Buffer.from('Client sent an HTTP request to an HTTPS server.\n'), streaming: false,
};

export function callApiserver(server: PodApiServer, call: ApiCall): ApiResult {
  if (!call.https) return { answer: PLAIN_HTTP_TO_TLS, http: '1.0' };
  // busybox wget checks no certificate at all; curl and Go's client check the chain and the name, unless told not to.
  if (call.client !== 'wget' && !call.insecure) {
    if (call.caFile && call.caFile.text === null) return { tls: 'ca-file' };
    if (!call.caFile || !trusts(call.caFile.text!, server.caCert)) return { tls: 'untrusted' };
    if (!APISERVER_CERT_NAMES.includes(call.host.toLowerCase())) return { tls: 'name' };
  }
  const answer = server.serve({ method: call.method, target: call.target, headers: call.headers, body: call.body, remoteAddr: call.from });
  // curl and Go's client offer HTTP/2 over TLS (ALPN) and Go's server takes it; busybox wget speaks HTTP/1.1.
  return { answer, http: call.client === 'wget' ? '1.1' : '2' };
}

/** The status line and headers as curl -i prints them: HTTP/2's lower-case names, HTTP/1's as sent. */
export function curlHead(answer: PodApiAnswer, http: '1.0' | '1.1' | '2'): string {
  if (http === '2') return `HTTP/2 ${answer.status} \r\n${answer.headers.map(([k, v]) => `${k.toLowerCase()}: ${v}\r\n`).join('')}\r\n`;
  return `HTTP/${http} ${answer.status} ${answer.reason}\r\n${answer.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}
