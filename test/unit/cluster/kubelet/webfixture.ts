/**
 * The shell and access-log tests' cluster: `web`, a Deployment of nginx (or of another server image, such as
 * traefik/whoami, which says which pod answered) behind a Service of the same name, and `client`, a busybox pod
 * to run commands in.
 */
export const WEB_AND_CLIENT = (replicas: number, image = 'nginx:1.27'): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: ${image.startsWith('nginx') ? 'nginx' : 'server'}, image: "${image}"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
`;

export const PODS = { group: '', version: 'v1', resource: 'pods' };
