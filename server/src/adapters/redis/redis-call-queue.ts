/**
 * Model calls over Redis Streams: replicas queue them (`createRemoteModelPort`), worker processes
 * run them (`startCallWorker`). The two sides live in their own modules; this one names both.
 */
export { type RemoteModelPortOptions, createRemoteModelPort } from './redis-model-port';
export { type CallWorker, type CallWorkerOptions, type CallWorkerStats, startCallWorker } from './redis-call-worker';
