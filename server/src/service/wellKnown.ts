/** Names that free-form maps usually hold: resource names and the recommended labels. */

export const RESOURCE_NAMES: [string, string][] = [
  ['cpu', 'CPU, in cores: `500m` = 0.5 CPU, `2` = 2 CPUs.'],
  ['memory', 'Memory, in bytes: `128Mi` = 134,217,728 bytes, `1G` = 1,000,000,000 bytes.'],
  ['ephemeral-storage', 'Local ephemeral storage, in bytes (container writable layer, logs, emptyDir).'],
  ['storage', 'Storage size, in bytes (PersistentVolume capacity, PersistentVolumeClaim requests).'],
];

export const LABEL_KEYS: [string, string][] = [
  ['app', 'A short application name; the label most selectors use.'],
  ['app.kubernetes.io/name', 'Recommended label: the name of the application.'],
  ['app.kubernetes.io/instance', 'Recommended label: a unique name identifying this instance of the application.'],
  ['app.kubernetes.io/version', 'Recommended label: the current version of the application.'],
  ['app.kubernetes.io/component', 'Recommended label: the component within the architecture (e.g. `database`).'],
  ['app.kubernetes.io/part-of', 'Recommended label: the name of a higher-level application this one is part of.'],
  ['app.kubernetes.io/managed-by', 'Recommended label: the tool used to manage the application (e.g. `helm`).'],
];

/**
 * Annotations a kind's controllers read, with what they do (English, 简体中文):
 * the ingress-nginx ones the playground's controller follows, the legacy
 * class annotation, and the default IngressClass's.
 */
export const ANNOTATIONS: Record<string, Array<[string, string, string]>> = {
  Ingress: [
    ['kubernetes.io/ingress.class', 'Deprecated: the class of the Ingress, for controllers that predate `spec.ingressClassName` (ingress-nginx reads it only when the field is unset). The apiserver warns about it; with `spec.ingressClassName` set the two must agree.',
      '已弃用：旧式的 Ingress 类注解（只有在未设置 `spec.ingressClassName` 时 ingress-nginx 才读取它）。apiserver 会给出警告；与 `spec.ingressClassName` 同时设置时两者必须一致。'],
    ['nginx.ingress.kubernetes.io/rewrite-target', 'ingress-nginx: the path sent to the backend replaces the whole request path; `$1`, `$2`… are the path\'s regex groups (`path: /app(/|$)(.*)` with `/$2` sends `/app/x` as `/x`). It makes every path of the host a case-insensitive regex.',
      'ingress-nginx：发往后端的路径整体替换为此值；`$1`、`$2`… 是路径正则的分组（`path: /app(/|$)(.*)` 配合 `/$2` 会把 `/app/x` 转成 `/x`）。同一主机的所有路径都会变成不区分大小写的正则。'],
    ['nginx.ingress.kubernetes.io/use-regex', 'ingress-nginx: `"true"` makes every path of the host a case-insensitive regex matched at the start of the path (so `/api` also matches `/apiary`).',
      'ingress-nginx：`"true"` 时该主机的所有路径都按不区分大小写的正则从路径开头匹配（因此 `/api` 也会匹配 `/apiary`）。'],
    ['nginx.ingress.kubernetes.io/ssl-redirect', 'ingress-nginx: `"false"` keeps plain HTTP on this Ingress\'s paths; by default a host with a TLS certificate redirects HTTP to HTTPS (308).',
      'ingress-nginx：`"false"` 时本 Ingress 的路径允许明文 HTTP；默认情况下，有 TLS 证书的主机会把 HTTP 重定向到 HTTPS（308）。'],
    ['nginx.ingress.kubernetes.io/app-root', 'ingress-nginx: a request for `/` is redirected (302) to this path, e.g. `/app`.',
      'ingress-nginx：对 `/` 的请求会被重定向（302）到此路径，例如 `/app`。'],
  ],
  IngressClass: [
    ['ingressclass.kubernetes.io/is-default-class', '`"true"`: new Ingresses that name no class get this one (the apiserver\'s DefaultIngressClass admission). Existing Ingresses are not changed.',
      '`"true"`：新建且未指定类的 Ingress 会被设为此类（apiserver 的 DefaultIngressClass 准入插件）。已有的 Ingress 不受影响。'],
  ],
};
