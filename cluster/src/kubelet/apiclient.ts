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
  client: 'curl' | 'wget';
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

/** How the call ended before any answer: the client's words and exit code. */
export interface ApiFailure { error: string; code: number }

export type ApiResult = { answer: PodApiAnswer; http: '1.0' | '1.1' | '2' } | ApiFailure;

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

/** Go's TLS server, handed a plain HTTP request: a bare 400 over HTTP/1.0, then it closes (net/http server.go). */
const PLAIN_HTTP_TO_TLS: PodApiAnswer = {
  status: 400, reason: 'Bad Request', headers: [], body: Buffer.from('Client sent an HTTP request to an HTTPS server.\n'), streaming: false,
};

export function callApiserver(server: PodApiServer, call: ApiCall): ApiResult {
  if (!call.https) return { answer: PLAIN_HTTP_TO_TLS, http: '1.0' };
  // busybox wget checks no certificate at all; curl checks the chain, then the name, unless told not to (-k).
  if (call.client === 'curl' && !call.insecure) {
    if (call.caFile && call.caFile.text === null) return { error: `error setting certificate file: ${call.caFile.path}`, code: 77 };
    if (!call.caFile || !trusts(call.caFile.text!, server.caCert)) {
      return { error: `SSL certificate problem: unable to get local issuer certificate\n${CURL_CERT_ADVICE}`, code: 60 };
    }
    if (!APISERVER_CERT_NAMES.includes(call.host.toLowerCase())) {
      return { error: `SSL: no alternative certificate subject name matches target host name '${call.host}'\n${CURL_CERT_ADVICE}`, code: 60 };
    }
  }
  const answer = server.serve({ method: call.method, target: call.target, headers: call.headers, body: call.body, remoteAddr: call.from });
  // curl offers HTTP/2 over TLS (ALPN) and Go's server takes it; busybox wget speaks HTTP/1.1.
  return { answer, http: call.client === 'curl' ? '2' : '1.1' };
}

/** The status line and headers as curl -i prints them: HTTP/2's lower-case names, HTTP/1's as sent. */
export function curlHead(answer: PodApiAnswer, http: '1.0' | '1.1' | '2'): string {
  if (http === '2') return `HTTP/2 ${answer.status} \r\n${answer.headers.map(([k, v]) => `${k.toLowerCase()}: ${v}\r\n`).join('')}\r\n`;
  return `HTTP/${http} ${answer.status} ${answer.reason}\r\n${answer.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}
