/**
 * Generated inputs for the language-service benchmark: a ~60k-line manifest of
 * 2,000 documents mixing the kinds the issue names, and 100,000 small
 * resources in one stream (the shape of kubeconform's valid_large fixture).
 */

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: team-${i % 7}
  labels:
    app: web-${i}
    tier: frontend
  annotations:
    example.com/owner: "team-${i % 7}"
spec:
  replicas: ${1 + (i % 5)}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app: web-${i}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: web-${i}
        tier: frontend
    spec:
      serviceAccountName: default
      containers:
      - name: web
        image: nginx:1.25.${i % 10}
        imagePullPolicy: IfNotPresent
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        env:
        - name: MODE
          value: production
        - name: CONFIG
          valueFrom:
            configMapKeyRef:
              name: config-${i - (i % 10) + 2}
              key: mode
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 256Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          periodSeconds: 10
        volumeMounts:
        - name: data
          mountPath: /var/data
      volumes:
      - name: data
        emptyDir: {}
`;
}

/** Selects the Deployment generated just before it (same namespace), so the workspace checks find it. */
function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web-${i - 1}
  namespace: team-${(i - 1) % 7}
spec:
  type: ClusterIP
  selector:
    app: web-${i - 1}
  ports:
  - name: http
    port: 80
    targetPort: http
    protocol: TCP
`;
}

function configMap(i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-${i}
data:
  mode: production
  settings.yaml: |
    log: info
    port: 8080
`;
}

function statefulSet(i: number): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-${i}
spec:
  serviceName: db-${i}
  replicas: 3
  selector:
    matchLabels:
      app: db-${i}
  template:
    metadata:
      labels:
        app: db-${i}
    spec:
      containers:
      - name: db
        image: postgres:16
        ports:
        - containerPort: 5432
          name: pg
        volumeMounts:
        - name: pgdata
          mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
  - metadata:
      name: pgdata
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 10Gi
`;
}

function job(i: number): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report-${i}
spec:
  schedule: "*/15 * * * *"
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: report
            image: busybox:1.36
            command: ["sh", "-c", "date; echo report ${i}"]
`;
}

function daemonSet(i: number): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent-${i}
spec:
  selector:
    matchLabels:
      app: agent-${i}
  template:
    metadata:
      labels:
        app: agent-${i}
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: agent
        image: fluent/fluent-bit:3.0
        resources:
          limits:
            memory: 200Mi
`;
}

const MAKERS = [deployment, service, configMap, deployment, service, configMap, statefulSet, job, daemonSet, deployment];

/** 2,000 documents, about 60,000 lines. */
export function bigManifest(docs = 2000): string {
  const parts: string[] = [];
  for (let i = 0; i < docs; i++) parts.push(MAKERS[i % MAKERS.length](i));
  return parts.join('---\n');
}

/** 100,000 small resources in one stream. */
export function largeStream(n = 100000): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    switch (i % 3) {
      case 0: parts.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: default\ndata:\n  key: value-${i}\n`); break;
      case 1: parts.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  selector:\n    app: a${i}\n  ports:\n  - port: 80\n    targetPort: 8080\n`); break;
      default: parts.push(`apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: bob-${i}\nspec:\n  replicas: 2\n  selector:\n    app: nginx\n  template:\n    metadata:\n      name: nginx\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n        ports:\n        - containerPort: 80\n`);
    }
  }
  return '---\n' + parts.join('---\n');
}
