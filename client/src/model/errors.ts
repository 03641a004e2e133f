/**
 * An API error in kubectl's words, as cmdutil.StandardErrorMessage
 * (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go) prints it: a Status
 * with a reason reads `Error from server (NotFound): pods "web-1" not found`,
 * Unauthorized reads `error: You must be logged in to the server (…)`, a
 * Status without a reason `Error from server: …`, anything else `error: …`.
 */
export function kubectlErrorMessage(err: { message: string; status?: any }): string {
  const s = err.status;
  if (s && s.kind === 'Status') {
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? err.message})`;
    if (s.reason) return `Error from server (${s.reason}): ${err.message}`;
    return `Error from server: ${err.message}`;
  }
  return err.message.startsWith('error: ') ? err.message : `error: ${err.message}`;
}

/** Whether the error is the API's 404 for the object itself. */
export function isNotFound(err: { code?: number; status?: any } | undefined): boolean {
  return err?.status?.reason === 'NotFound' || (err?.code === 404 && !err?.status);
}
