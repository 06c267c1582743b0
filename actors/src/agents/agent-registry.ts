import { type core, z } from 'zod';
import { AgentProfile } from '../domain/agent-profile';
import { builtinAgents } from './builtin-agents';

/** The agents a process knows, looked up by id. */
export interface AgentRegistry {
  /** The agent with this id; throws naming the unknown id and the known ones. */
  get(id: string): AgentProfile;
  list(): readonly AgentProfile[];
  has(id: string): boolean;
}

/** A registry over a fixed list of agents; duplicate ids are refused. */
export function createAgentRegistry(agents: readonly AgentProfile[]): AgentRegistry {
  const byId = new Map<string, AgentProfile>();
  for (const agent of agents) {
    if (byId.has(agent.id)) throw new Error(`agent id "${agent.id}" appears twice in the registry`);
    byId.set(agent.id, agent);
  }
  const list = Object.freeze([...agents]);
  return {
    get(id) {
      const agent = byId.get(id);
      if (!agent) {
        const known = [...byId.keys()].join(', ') || '(none)';
        throw new Error(`unknown agent "${id}"; known agents: ${known}`);
      }
      return agent;
    },
    list: () => list,
    has: (id) => byId.has(id),
  };
}

/** One agent of a user's config file; `override: true` lets it replace the built-in with its id. */
export const CustomAgentProfile = AgentProfile.extend({
  override: z.boolean().default(false),
}).strict();
export type CustomAgentProfile = z.infer<typeof CustomAgentProfile>;

/** A user's agents file: `{ "agents": [ ... ] }`. */
export const AgentConfig = z.object({ agents: z.array(CustomAgentProfile).max(256) });
export type AgentConfig = z.infer<typeof AgentConfig>;

/** A config file that cannot be used; the message names the file and every bad field. */
export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'));
  }
}

/** `["agents", 0, "id"]` as `agents[0].id`, the way a person reads a JSON path. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

const article = (word: string): string => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

const noun = (origin: string | undefined): string =>
  origin === 'array' ? 'items' : origin === 'string' ? 'characters' : '';

/** A zod issue in plain words; messages written in our schemas are kept as they are. */
function describeIssue(issue: core.$ZodIssue): string {
  const where = formatPath(issue.path) || 'the file';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `${where}: is required (${article(issue.expected)})`
        : `${where}: should be ${article(issue.expected)}, not ${JSON.stringify(issue.input)}`;
    case 'too_small':
      return `${where}: must be at least ${String(issue.minimum)} ${noun(issue.origin)}`.trimEnd();
    case 'too_big':
      return `${where}: must be at most ${String(issue.maximum)} ${noun(issue.origin)}`.trimEnd();
    case 'invalid_value':
      return `${where}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .map((k) => `"${k}"`)
        .join(', ')} (check the spelling)`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    }
    throw new AgentConfigError(source, [`not valid JSON${where}: ${message}`]);
  }
}

const builtinIds: ReadonlySet<string> = new Set(builtinAgents.map((a) => a.id));

/** Problems zod cannot see: ids used twice in the file, built-in ids taken without `override`. */
function idProblems(agents: readonly CustomAgentProfile[], reserved: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const first = new Map<string, number>();
  agents.forEach((agent, i) => {
    const seen = first.get(agent.id);
    if (seen !== undefined) {
      problems.push(`agents[${i}].id: "${agent.id}" is already used by agents[${seen}]`);
      return;
    }
    first.set(agent.id, i);
    if (reserved.has(agent.id) && !agent.override) {
      problems.push(
        `agents[${i}].id: "${agent.id}" is a built-in agent; set "override": true on this entry to replace it`,
      );
    }
  });
  return problems;
}

/** Parses and validates a user's agents file; throws `AgentConfigError` naming each bad field. */
export function parseAgentConfig(text: string, source: string): AgentConfig {
  const data = parseJson(text, source);
  const result = AgentConfig.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new AgentConfigError(source, result.error.issues.map(describeIssue));
  }
  const problems = idProblems(result.data.agents, builtinIds);
  if (problems.length > 0) throw new AgentConfigError(source, problems);
  return result.data;
}

/**
 * Built-in agents with the custom ones applied: an overriding agent takes its built-in's place,
 * the others follow in file order.
 */
export function mergeAgents(
  builtin: readonly AgentProfile[],
  custom: readonly (AgentProfile & { override?: boolean })[],
): AgentProfile[] {
  const reserved = new Set(builtin.map((a) => a.id));
  const problems = idProblems(
    custom.map((c) => ({ ...c, override: c.override ?? false })),
    reserved,
  );
  if (problems.length > 0) throw new AgentConfigError('custom agents', problems);
  const strip = ({ override: _override, ...agent }: AgentProfile & { override?: boolean }) => agent as AgentProfile;
  const replacing = new Map(custom.filter((c) => reserved.has(c.id)).map((c) => [c.id, strip(c)]));
  return [
    ...builtin.map((agent) => replacing.get(agent.id) ?? agent),
    ...custom.filter((c) => !reserved.has(c.id)).map(strip),
  ];
}
