/** The CronTab CRD of the "Extend the Kubernetes API with CustomResourceDefinitions" task, and helpers. */
import type { KObject } from '../../../../cluster/src/contract';

export const CRD_GVR = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
export const CRONTABS = { group: 'stable.example.com', version: 'v1', resource: 'crontabs' };

export function cronTabCRD(extra: { subresources?: any; columns?: any[]; scope?: string; specProps?: Record<string, any>; required?: string[] } = {}): KObject {
  const version: any = {
    name: 'v1',
    served: true,
    storage: true,
    schema: {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            ...(extra.required ? { required: extra.required } : {}),
            properties: {
              cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
              image: { type: 'string' },
              replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
              ...(extra.specProps ?? {}),
            },
          },
          status: { type: 'object', properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' } } },
        },
      },
    },
  };
  if (extra.subresources) version.subresources = extra.subresources;
  if (extra.columns) version.additionalPrinterColumns = extra.columns;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: { group: 'stable.example.com', versions: [version], scope: extra.scope ?? 'Namespaced', names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] } },
  };
}

export function cronTab(name: string, spec: Record<string, unknown> = { cronSpec: '* * * * */5', image: 'my-awesome-cron-image' }): KObject {
  return { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name }, spec };
}
