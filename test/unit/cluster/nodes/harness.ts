/**
 * The node-side tests' view of the core's real control plane
 * (cluster/src/testing.ts: store, apiserver, loop, EventRecorder), with
 * events flattened for assertions: who (component, host) said what about which
 * object, one entry per occurrence.
 */
import type { GVR } from '../../../../cluster/src/contract';
import { newTestControlPlane } from '../../../../cluster/src/testing';

export interface RecordedEvent { component: string; host?: string; kind: string; name: string; namespace?: string; type: string; reason: string; message: string; time: number }

export class Harness {
  private cp = newTestControlPlane();
  ctx = this.cp.ctx;
  api = this.cp.api;
  clock = this.cp.clock;
  store = this.cp.store;
  settle(): void { this.cp.settle(); }
  advance(ms: number): void { this.cp.advance(ms); }
  get events(): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    for (const e of this.cp.store.list('/events')) {
      // The recorder folds repeats into `count`; tests count occurrences.
      for (let i = 0; i < (e.series?.count ?? e.count ?? 1); i++) {
        out.push({
          component: e.source?.component ?? e.reportingComponent, host: e.source?.host, kind: e.involvedObject?.kind, name: e.involvedObject?.name,
          namespace: e.involvedObject?.namespace, type: e.type, reason: e.reason, message: e.message, time: Date.parse(e.firstTimestamp ?? e.eventTime ?? 0),
        });
      }
    }
    return out.sort((a, b) => a.time - b.time);
  }
  eventsFor(name: string, reason?: string): RecordedEvent[] {
    return this.events.filter((e) => e.name === name && (!reason || e.reason === reason));
  }
}

export const PODS: GVR = { group: '', version: 'v1', resource: 'pods' };
export const NODES: GVR = { group: '', version: 'v1', resource: 'nodes' };
