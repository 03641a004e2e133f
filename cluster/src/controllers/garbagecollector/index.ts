export { GarbageCollector, GC_NAME } from './gc';
