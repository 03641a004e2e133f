/** One HTTPS request to a served playground, as a client holding `token` (the server's own unless given; '' for none). */
import * as https from 'node:https';

export interface CallResult {
  status: number;
  json: any;
  text: string;
}

export interface CallTarget {
  url: string;
  token: string;
  caCert: string;
}

export function call(srv: CallTarget, method: string, p: string, body?: unknown, opts: { token?: string; headers?: Record<string, string | string[]> } = {}): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
    const token = opts.token ?? srv.token;
    if (token !== '') headers.authorization = `Bearer ${token}`;
    const req = https.request(srv.url + p, { method, ca: srv.caCert, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, text });
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
