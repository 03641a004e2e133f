import * as vscode from 'vscode';

/** The walkthrough's first step: the seed's web app as apps/v1, three replicas behind a Service. */
const EXAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
            - containerPort: 80
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
`;

/** Opens examples/03-web.yaml from the workspace when there is one, otherwise the built-in example. */
export async function openExample(): Promise<vscode.TextEditor> {
  const found = await vscode.workspace.findFiles('examples/03-web.yaml', undefined, 1);
  const doc = found.length
    ? await vscode.workspace.openTextDocument(found[0])
    : await vscode.workspace.openTextDocument({ language: 'yaml', content: EXAMPLE });
  return vscode.window.showTextDocument(doc);
}
