import * as assert from 'assert';
import { isNotFound, kubectlErrorMessage } from '../../../client/src/model/errors';

describe('client errors in kubectl\'s words', () => {
  it('prints an API Status as cmdutil.StandardErrorMessage does', () => {
    const notFound = { message: 'pods "web-1" not found', code: 404, status: { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "web-1" not found' } };
    assert.strictEqual(kubectlErrorMessage(notFound), 'Error from server (NotFound): pods "web-1" not found');
    assert.ok(isNotFound(notFound));
    assert.strictEqual(kubectlErrorMessage({ message: 'Unauthorized', status: { kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized' } }), 'error: You must be logged in to the server (Unauthorized)');
    assert.strictEqual(kubectlErrorMessage({ message: 'boom', status: { kind: 'Status', message: 'boom' } }), 'Error from server: boom');
    assert.strictEqual(kubectlErrorMessage({ message: 'connect ECONNREFUSED 127.0.0.1:6443' }), 'error: connect ECONNREFUSED 127.0.0.1:6443');
    assert.ok(!isNotFound({ code: 403, status: { kind: 'Status', reason: 'Forbidden' } }));
  });
});
