/**
 * Skeletons for the kinds the project teaches (DEVELOPERS.md). Each one is a
 * complete object that the apiserver would accept as inserted: placeholders
 * carry valid defaults, and selectors already match the template labels.
 * `$1` repeats the name so that renaming once renames labels too.
 */

export interface Skeleton {
  kind: string;
  apiVersion: string;
  body: string;
}

const T = (kind: string, apiVersion: string, ...lines: string[]): Skeleton => ({ kind, apiVersion, body: [`apiVersion: ${apiVersion}`, `kind: ${kind}`, ...lines].join('\n') });

const container = (indent: string) => [
  `${indent}containers:`,
  `${indent}  - name: \${2:app}`,
  `${indent}    image: \${3:nginx:1.27}`,
  `${indent}    ports:`,
  `${indent}      - containerPort: \${4:80}`,
];

const podTemplate = (indent: string, restart?: string) => [
  `${indent}template:`,
  `${indent}  metadata:`,
  `${indent}    labels:`,
  `${indent}      app: \$1`,
  `${indent}  spec:`,
  ...(restart ? [`${indent}    restartPolicy: ${restart}`] : []),
  ...container(`${indent}    `),
];

export const SKELETONS: Skeleton[] = [
  T('Pod', 'v1', 'metadata:', '  name: ${1:my-pod}', '  labels:', '    app: $1', 'spec:', ...container('  ')),
  T('Deployment', 'apps/v1', 'metadata:', '  name: ${1:my-app}', 'spec:', '  replicas: ${5:2}', '  selector:', '    matchLabels:', '      app: $1', ...podTemplate('  ')),
  T('ReplicaSet', 'apps/v1', 'metadata:', '  name: ${1:my-app}', 'spec:', '  replicas: ${5:2}', '  selector:', '    matchLabels:', '      app: $1', ...podTemplate('  ')),
  T('ReplicationController', 'v1', 'metadata:', '  name: ${1:my-app}', 'spec:', '  replicas: ${5:2}', '  selector:', '    app: $1', ...podTemplate('  ')),
  T('DaemonSet', 'apps/v1', 'metadata:', '  name: ${1:my-agent}', 'spec:', '  selector:', '    matchLabels:', '      app: $1', ...podTemplate('  ')),
  T('StatefulSet', 'apps/v1', 'metadata:', '  name: ${1:my-db}', 'spec:', '  serviceName: $1', '  replicas: ${5:1}', '  selector:', '    matchLabels:', '      app: $1', ...podTemplate('  ')),
  T('Job', 'batch/v1', 'metadata:', '  name: ${1:my-job}', 'spec:', '  backoffLimit: ${5:4}', '  template:', '    spec:', '      restartPolicy: ${6|Never,OnFailure|}',
    '      containers:', '        - name: ${2:job}', '          image: ${3:busybox:1.36}', '          command: ["sh", "-c", "${4:echo hello}"]'),
  T('CronJob', 'batch/v1', 'metadata:', '  name: ${1:my-cronjob}', 'spec:', '  schedule: "${5:*/5 * * * *}"', '  jobTemplate:', '    spec:', '      template:', '        spec:',
    '          restartPolicy: ${6|OnFailure,Never|}', '          containers:', '            - name: ${2:job}', '              image: ${3:busybox:1.36}', '              command: ["sh", "-c", "${4:date}"]'),
  T('Service', 'v1', 'metadata:', '  name: ${1:my-service}', 'spec:', '  type: ${2|ClusterIP,NodePort,LoadBalancer|}', '  selector:', '    app: ${3:my-app}', '  ports:', '    - name: http', '      port: ${4:80}', '      targetPort: ${5:80}', '      protocol: TCP'),
  T('Secret', 'v1', 'metadata:', '  name: ${1:my-secret}', 'type: Opaque', 'stringData:', '  ${2:username}: ${3:admin}'),
  T('ConfigMap', 'v1', 'metadata:', '  name: ${1:my-config}', 'data:', '  ${2:key}: "${3:value}"'),
  T('Namespace', 'v1', 'metadata:', '  name: ${1:my-namespace}'),
  T('PersistentVolume', 'v1', 'metadata:', '  name: ${1:my-pv}', 'spec:', '  capacity:', '    storage: ${2:1Gi}', '  accessModes:', '    - ${3|ReadWriteOnce,ReadOnlyMany,ReadWriteMany,ReadWriteOncePod|}',
    '  persistentVolumeReclaimPolicy: ${4|Retain,Delete|}', '  hostPath:', '    path: ${5:/data}'),
  T('PersistentVolumeClaim', 'v1', 'metadata:', '  name: ${1:my-claim}', 'spec:', '  accessModes:', '    - ${2|ReadWriteOnce,ReadOnlyMany,ReadWriteMany,ReadWriteOncePod|}', '  resources:', '    requests:', '      storage: ${3:1Gi}'),
  T('Ingress', 'networking.k8s.io/v1', 'metadata:', '  name: ${1:my-ingress}', 'spec:', '  ingressClassName: ${2:nginx}', '  rules:', '    - host: ${3:app.example.com}', '      http:',
    '        paths:', '          - path: ${4:/}', '            pathType: ${5|Prefix,Exact,ImplementationSpecific|}', '            backend:', '              service:', '                name: ${6:my-service}',
    '                port:', '                  number: ${7:80}'),
  T('Node', 'v1', 'metadata:', '  name: ${1:my-node}', '  labels:', '    kubernetes.io/hostname: $1'),
  T('NetworkPolicy', 'networking.k8s.io/v1', 'metadata:', '  name: ${1:allow-frontend}', 'spec:', '  podSelector:', '    matchLabels:', '      app: ${2:my-app}', '  policyTypes:', '    - Ingress',
    '  ingress:', '    - from:', '        - podSelector:', '            matchLabels:', '              app: ${3:frontend}', '      ports:', '        - protocol: TCP', '          port: ${4:80}'),
  T('ResourceQuota', 'v1', 'metadata:', '  name: ${1:compute}', 'spec:', '  hard:', '    pods: "${2:10}"', '    requests.cpu: "${3:2}"', '    requests.memory: ${4:4Gi}', '    limits.cpu: "${5:4}"',
    '    limits.memory: ${6:8Gi}'),
  T('LimitRange', 'v1', 'metadata:', '  name: ${1:defaults}', 'spec:', '  limits:', '    - type: Container', '      defaultRequest:', '        cpu: ${2:100m}', '        memory: ${3:128Mi}',
    '      default:', '        cpu: ${4:500m}', '        memory: ${5:256Mi}'),
];

/** The snippet as it reads once inserted with every placeholder left at its default. */
export function expandSkeleton(body: string): string {
  const values = new Map<string, string>();
  let out = body.replace(/\$\{(\d+)\|([^,|}]*)[^}]*\|\}/g, (_m, n: string, first: string) => (values.set(n, first), first));
  out = out.replace(/\$\{(\d+):([^}]*)\}/g, (_m, n: string, def: string) => (values.set(n, def), def));
  return out.replace(/\$(\d+)/g, (_m, n: string) => values.get(n) ?? '');
}
