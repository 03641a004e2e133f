/**
 * The kube-apiserver as pods reach it: the `kubernetes` Service's endpoint
 * (the control-plane node's address, port 6443, as on a kind cluster), the
 * names its serving certificate carries, and what a request from a pod is and
 * gets. The HTTP layer serves the requests (http/incluster.ts); the core only
 * knows their shape, so the cluster runs without it (and pods are then refused).
 */
import { CLUSTER_DOMAIN } from './dns';

export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const APISERVER_ENDPOINT_IP = '172.18.0.2';
export const APISERVER_PORT = 6443;

/**
 * The names and addresses in the apiserver's serving certificate, as kubeadm
 * issues it (certs.go, GetAPIServerAltNames): the control-plane node's name,
 * `kubernetes` and its Service names, the Service IP and the advertise
 * address. A client that dials anything else fails the host name check.
 */
export const APISERVER_CERT_NAMES: readonly string[] = [
  'kubeplay-control-plane', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${CLUSTER_DOMAIN}`,
  'localhost', KUBERNETES_SERVICE_IP, APISERVER_ENDPOINT_IP, '127.0.0.1',
];

/** Whether an address and port is the apiserver's own endpoint. */
export const isApiserverEndpoint = (ip: string, port: number) => ip === APISERVER_ENDPOINT_IP && port === APISERVER_PORT;

/** One HTTP request from a pod to the apiserver, after TLS. */
export interface PodApiRequest {
  method: string;
  /** Path and query. */
  target: string;
  /** The request's headers as sent (Host first). */
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** The pod's address. */
  remoteAddr: string;
}

export interface PodApiAnswer {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /**
   * The answer had not ended when the handler returned: a watch, or a log
   * followed. `body` holds what was written so far; the stream is closed.
   */
  streaming: boolean;
}

/** The apiserver as pods reach it: its CA (what a pod's ca.crt holds) and its handler. */
export interface PodApiServer {
  caCert: string;
  serve(req: PodApiRequest): PodApiAnswer;
}
