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
