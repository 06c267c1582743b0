import { z } from 'zod';

/** Identifier of one run (a workflow or a conversation turn); parsed once at the boundary. */
export const RunId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'run ids use letters, digits and . _ : - only')
  .brand<'RunId'>();
export type RunId = z.infer<typeof RunId>;

/** Identifier of an agent, kebab-case (`code-generator`). */
export const AgentId = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'agent ids are kebab-case, e.g. "code-generator"')
  .brand<'AgentId'>();
export type AgentId = z.infer<typeof AgentId>;

/** Identifier of a step inside one workflow plan. */
export const StepId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'step ids use letters, digits and . _ - only')
  .brand<'StepId'>();
export type StepId = z.infer<typeof StepId>;

/** Parses untrusted ids; the casts below are for values the core itself made. */
export const asRunId = (value: string): RunId => value as RunId;
export const asAgentId = (value: string): AgentId => value as AgentId;
export const asStepId = (value: string): StepId => value as StepId;
