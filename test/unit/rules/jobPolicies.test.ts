import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { newTestControlPlane, R } from '../../../cluster/src/testing';

/**
 * A Job's podFailurePolicy, successPolicy and podReplacementPolicy, checked as
 * upstream's validateJobSpec does, in its order, by the editor and the
 * apiserver alike.
 */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const job = (spec: any, podSpec: any = {}) => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
  spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }], ...podSpec } } },
});

describe('rules/jobPolicies: Job failure, success and replacement policies', () => {
  it('checks each failure-policy rule: container name, exit codes (not 0 under In, unique, ordered), action, one requirement kind', () => {
    const obj = job({ podFailurePolicy: { rules: [
      { action: 'FailJob', onExitCodes: { containerName: 'nope', operator: 'In', values: [0, 3, 3, 1] } },
      { action: 'Bogus' },
      { onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' }] },
      { action: 'FailIndex', onExitCodes: { operator: 'NotIn', values: [] }, onPodConditions: [{ type: 'X' }] },
    ] } });
    assert.deepStrictEqual(errors(obj), [
      'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
      'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 3, 3, 1}: must be ordered',
      'spec.podFailurePolicy.rules[1].action: Unsupported value: "Bogus": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
      'spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
      'spec.podFailurePolicy.rules[2].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
      'spec.podFailurePolicy.rules[2].onPodConditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
      'spec.podFailurePolicy.rules[3].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
      'spec.podFailurePolicy.rules[3].onExitCodes.values: Invalid value: []int32{}: at least one value is required',
      'spec.podFailurePolicy.rules[3]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
    ]);
  });

  it('a failure policy needs restartPolicy Never and allows only podReplacementPolicy Failed', () => {
    const pfp = { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] };
    assert.deepStrictEqual(errors(job({ podFailurePolicy: pfp }, { restartPolicy: 'OnFailure' })),
      ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified']);
    assert.deepStrictEqual(errors(job({ podFailurePolicy: pfp, podReplacementPolicy: 'TerminatingOrFailed' })),
      ['spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"']);
    assert.deepStrictEqual(errors(job({ podFailurePolicy: pfp })), []);
    assert.deepStrictEqual(errors(job({ podReplacementPolicy: 'Sometimes' })),
      ['spec.podReplacementPolicy: Unsupported value: "Sometimes": supported values: "Failed", "TerminatingOrFailed"']);
  });

  it('checks success rules against the completions and their own index list, for Indexed Jobs only', () => {
    const rules = [{ succeededIndexes: '0-2,1', succeededCount: 9 }, {}, { succeededIndexes: '1-3', succeededCount: 4 }];
    assert.deepStrictEqual(errors(job({ completionMode: 'Indexed', completions: 5, successPolicy: { rules } })), [
      'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-2,1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1',
      'spec.successPolicy.rules[0].succeededCount: Invalid value: 9: must be less than or equal to 5 (the number of specified completions)',
      'spec.successPolicy.rules[0].succeededCount: Invalid value: 9: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
      'spec.successPolicy.rules[1]: Required value: at least one of succeededCount or succeededIndexes must be specified',
      'spec.successPolicy.rules[2].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of indexes in the specified succeededIndexes field)',
    ]);
    assert.deepStrictEqual(errors(job({ completionMode: 'Indexed', completions: 5, successPolicy: { rules: [{ succeededIndexes: '0,7' }] } })),
      ['spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0,7": error parsing succeededIndexes: too large index: "7"']);
    assert.ok(errors(job({ completions: 5, successPolicy: { rules: [{ succeededCount: 1 }] } }))[0].endsWith(': requires indexed completion mode'));
  });

  it('the apiserver refuses what the editor reports, with the same text', () => {
    const cp = newTestControlPlane();
    const bad = job({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] } });
    let message = '';
    try {
      cp.api.create(R.jobs, 'default', bad as any);
    } catch (e: any) {
      message = e.status.message;
    }
    assert.strictEqual(message, 'Job.batch "j" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator');
    // A rule that trips over an odd shape costs nothing else: the decode error still refuses the Job.
    let decode: any;
    try {
      cp.api.create(R.jobs, 'default', job({ podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] } }, { containers: { name: 'main' } }) as any);
    } catch (e: any) {
      decode = e.status;
    }
    assert.strictEqual(decode?.code, 400);
    assert.match(decode.message, /cannot unmarshal object into Go struct field PodSpec\.spec\.template\.spec\.containers of type \[\]v1\.Container|cannot unmarshal object into/);
    // An onPodConditions pattern without status is defaulted to True, not refused.
    assert.ok(cp.api.create(R.jobs, 'default', job({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }) as any).object);
  });
});

describe('rules/jobPolicies: odd input and the schema\'s own reports', () => {
  const base = (spec: any) => errors(job(spec));
  it('reports each field once, in upstream\'s words, where the schema also flags it', () => {
    const msgs = base({ podFailurePolicy: { rules: [{ action: '', onExitCodes: { operator: 'In' } }] } });
    assert.deepStrictEqual(msgs, [
      'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
      'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32(nil): at least one value is required',
    ]);
    assert.deepStrictEqual(base({ podFailurePolicy: { rules: [{ action: 'Count', onExitCodes: { operator: 'In', values: [] } }] } }),
      ['spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{}: at least one value is required']);
    assert.deepStrictEqual(base({ podFailurePolicy: { rules: [{ action: 'Count', onExitCodes: { operator: 'In', values: [1] } }] }, podReplacementPolicy: 'Bogus' }),
      ['spec.podReplacementPolicy: Unsupported value: "Bogus": supported values: "Failed"']);
  });

  it('accepts what upstream defaults or allows: a policy without rules, an empty condition status, an Indexed Job without completions', () => {
    assert.deepStrictEqual(base({ podFailurePolicy: {} }), []);
    assert.deepStrictEqual(base({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: '' }] }] } }), []);
    assert.deepStrictEqual(base({ completionMode: 'Indexed', successPolicy: { rules: [{ succeededCount: 1 }] } }), []);
    assert.deepStrictEqual(base({ completionMode: 'Indexed', completions: 10, successPolicy: { rules: [{ succeededIndexes: '3,1-a' }] } }),
      ['spec.successPolicy.rules[0].succeededIndexes: Invalid value: "3,1-a": error parsing succeededIndexes: cannot convert string to integer for index: "a"']);
  });

  it('survives shapes a user can type, and still reports the rest', () => {
    const odd = job({ podFailurePolicy: { rules: [null, { action: 'FailJob', onExitCodes: { containerName: 'x', operator: 'In', values: 'nope' } }] } }, { containers: { name: 'main' } });
    const all = validateObject(odd, schema, { kubernetesVersion: '1.34' });
    assert.ok(all.some((f) => f.code === 'wrong-type'), 'the schema walk still reports the map where a list belongs');
    assert.ok(errors(odd).includes('spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'));
  });
});

describe('rules/jobPolicies: completion modes (validateJobSpec) and an Indexed Job\'s hostnames (ValidateJob)', () => {
  const job = (spec: any, name = 'j') => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
  it('Indexed needs completions (left unset only with parallelism), per-index fields need Indexed, maxFailedIndexes fits in completions', () => {
    assert.deepStrictEqual(errors(job({ completionMode: 'Indexed' })), [], 'both unset default to 1');
    assert.deepStrictEqual(errors(job({ completionMode: 'Indexed', parallelism: 2 })), ['spec.completions: Required value: when completion mode is Indexed']);
    assert.deepStrictEqual(errors(job({ backoffLimitPerIndex: 1 })), ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']);
    assert.deepStrictEqual(errors(job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1, maxFailedIndexes: 5 })),
      ['spec.maxFailedIndexes: Invalid value: 5: must be less than or equal to completions']);
    assert.deepStrictEqual(errors(job({ completionMode: 'Indexed', completions: 3, maxFailedIndexes: 1 })),
      ['spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified']);
  });
  it('the last index\'s pod hostname must be a DNS label', () => {
    const name = 'a'.repeat(62);
    assert.deepStrictEqual(errors(job({ completionMode: 'Indexed', completions: 100 }, name)),
      [`metadata.name: Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-99`]);
  });
});
