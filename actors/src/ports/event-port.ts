import type { RunEvent, RunEventBody } from '../domain/run-event';

/** Where machines' domain events go; the publisher stamps `at` and a per-run `seq`. */
export interface EventPort {
  publish(event: RunEventBody): RunEvent;
}
