import * as assert from 'assert';
import { Store } from '../../../../cluster/src/store/store';
import { Recorder } from '../../../../cluster/src/events';
import { SimClock } from '../../../../cluster/src/runtime/clock';
import { SeededRand } from '../../../../cluster/src/runtime/rand';
import type { KObject } from '../../../../cluster/src/contract';

/** Event names are `<object>.<hex UnixNano>` plus the recorder's sequence, as client-go names them; the hex is built from character codes. */
describe('event names', () => {
  it('are the object name and the hex of the nanoseconds plus the sequence, before and past 2^32 ns and across a change of the high digits', () => {
    const store = new Store();
    const clock = new SimClock(0);
    const rec = new Recorder(store, clock, new SeededRand(1));
    // 0 ms (no high digits), 4294 ms and 4295 ms (either side of 2^32 ns), a 2026 date and 4.3 s later (other high digits).
    const times = [0, 1, 4294, 4295, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:04.300Z')];
    let seq = 0;
    for (const [i, t] of times.entries()) {
      clock.setNow(t);
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}`, resourceVersion: '1' } } as KObject;
      for (const reason of ['Pulled', 'Created']) {
        rec.event({ component: 'kubelet', host: 'n' }, pod, 'Normal', reason, reason);
        const want = `p${i}.${(BigInt(t) * 1000000n + BigInt(seq++)).toString(16)}`;
        assert.ok(store.get('/events', 'default', want), `${want} (at ${t} ms) not found among ${[...store.list('/events')].map((e) => e.metadata.name).join(', ')}`);
      }
    }
  });
});
