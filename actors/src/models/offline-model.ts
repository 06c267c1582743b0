import type { ModelProvider, ModelRef, ModelReply, ModelRequest } from '../ports/model-port';
import { decisionOptions } from './decision-options';

/** The offline model as a chain entry: local, free, and named so nobody mistakes it for an LLM. */
export const offlineModelRef: ModelRef = {
  id: 'offline:revo-offline',
  provider: 'offline',
  name: 'revo-offline',
  local: true,
};

/** Words each agent's lens favours when it picks between options: its honest bias. */
const lens: Record<string, string[]> = {
  performance: [
    'redis',
    'cache',
    'grpc',
    'websocket',
    'rust',
    'go',
    'clickhouse',
    'memory',
    'stream',
    'binary',
    'async',
    'edge',
  ],
  security: [
    'postgres',
    'managed',
    'oauth',
    'server',
    'sse',
    'polling',
    'audit',
    'encrypted',
    'vault',
    'sso',
    'signed',
  ],
  architect: [
    'postgres',
    'monolith',
    'event',
    'queue',
    'sse',
    'modular',
    'typescript',
    'kubernetes',
    'standard',
    'rest',
  ],
  'code-generator': ['typescript', 'rest', 'graphql', 'react', 'postgres', 'library', 'simple'],
  deployer: ['kubernetes', 'docker', 'managed', 'serverless', 'blue', 'canary', 'helm'],
  tester: ['vitest', 'playwright', 'integration', 'contract', 'postgres'],
  debugger: ['logs', 'trace', 'postgres', 'simple'],
  documenter: ['markdown', 'rest', 'simple', 'standard'],
  browser: ['playwright', 'chromium', 'headless'],
};

/** FNV-1a: a small stable hash so the same question gets the same answer on every machine. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const unit = (text: string) => hash(text) / 0xffffffff;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A deterministic, schema-valid stand-in for an LLM, so that every feature runs and is testable
 * without one. It answers in each agent's role, takes sides on decision questions according to the
 * agent's lens (so agents disagree), revises in discussions when the others' weight is clearly
 * against it, and labels every answer as offline.
 */
export function createOfflineModel(): ModelProvider {
  return {
    provider: 'offline',
    async complete(request: ModelRequest): Promise<ModelReply> {
      if (request.signal.aborted) throw request.signal.reason ?? new Error('aborted');
      const body = offlineAnswer(request.agent, request.prompt);
      const text = JSON.stringify(body);
      for (let i = 0; i < text.length; i += 24) request.onToken?.(text.slice(i, i + 24));
      return {
        text,
        tokensIn: Math.ceil((request.system.length + request.prompt.length) / 4),
        tokensOut: Math.ceil(text.length / 4),
      };
    },
  };
}

interface OfflineAnswer {
  answer: string;
  position: string;
  confidence: number;
  rationale: string;
  flag: 'none' | 'failed-check' | 'needs-review';
}

export function offlineAnswer(agent: string, prompt: string): OfflineAnswer {
  const round = /^Discussion round (\d+)\./m.exec(prompt);
  if (round) return revise(prompt);
  const task = /^Task: (.*)$/m.exec(prompt)?.[1] ?? prompt.split('\n')[0] ?? '';
  const instruction = /^Your step \([^)]*\): (.*)$/m.exec(prompt)?.[1] ?? task;
  const options = decisionOptions(instruction);
  if (options.length >= 2) return choose(agent, instruction, options);
  return roleAnswer(agent, task, instruction, prompt);
}

function choose(agent: string, question: string, options: string[]): OfflineAnswer {
  const favoured = lens[agent] ?? [];
  const scored = options.map((option) => ({
    option,
    score: favoured.filter((w) => option.includes(w)).length + unit(`${agent}|${option}`) * 0.9,
  }));
  scored.sort((a, b) => b.score - a.score);
  const pick = scored[0]?.option ?? options[0] ?? 'no preference';
  const confidence = round2(0.55 + unit(`${agent}|${question}`) * 0.35);
  return {
    answer: `[offline model] As the ${agent}, I would go with ${pick} for: ${question}`,
    position: pick.split(' ').slice(0, 5).join(' '),
    confidence,
    rationale: `From the ${agent}'s point of view ${pick} fits best${favoured.some((w) => pick.includes(w)) ? ' (it matches what this role optimises for)' : ''}.`,
    flag: 'none',
  };
}

/** In a round: move to the position the others back with clearly more weight, else hold. */
function revise(prompt: string): OfflineAnswer {
  const own = /^Your previous position: (.*) \(confidence ([\d.]+)\)$/m.exec(prompt);
  const ownPosition = own?.[1] ?? 'no preference';
  const ownConfidence = Number(own?.[2] ?? 0.5);
  const support = new Map<string, { weight: number; count: number }>();
  for (const m of prompt.matchAll(/^- Participant \w+: position "(.*)" \(confidence ([\d.]+)\)/gm)) {
    const entry = support.get(m[1] as string) ?? { weight: 0, count: 0 };
    entry.weight += Number(m[2]);
    entry.count += 1;
    support.set(m[1] as string, entry);
  }
  const [best] = [...support.entries()].filter(([p]) => p !== ownPosition).sort((a, b) => b[1].weight - a[1].weight);
  const backing = support.get(ownPosition)?.weight ?? 0;
  if (best && best[1].count >= 2 && best[1].weight > ownConfidence + backing + 0.2) {
    return {
      answer: `[offline model] The others make the better case; I now back ${best[0]}.`,
      position: best[0],
      confidence: round2(Math.min(0.95, best[1].weight / best[1].count)),
      rationale: `Moved from ${ownPosition} to ${best[0]}: ${best[1].count} participants back it with more combined confidence.`,
      flag: 'none',
    };
  }
  return {
    answer: `[offline model] I still back ${ownPosition}.`,
    position: ownPosition,
    confidence: round2(Math.max(0.05, ownConfidence - (best && best[1].weight > ownConfidence ? 0.05 : 0))),
    rationale: `Held ${ownPosition}: the other arguments do not outweigh it.`,
    flag: 'none',
  };
}

const troubleWords = /\b(bug|broken|failing|fails|regression|flaky|crash(?:es)?)\b/i;

function roleAnswer(agent: string, task: string, instruction: string, prompt: string): OfflineAnswer {
  const earlier = [...prompt.matchAll(/^### (\S+) \((\S+)\)$/gm)].map((m) => `${m[1]} (${m[2]})`);
  const context = earlier.length > 0 ? ` It builds on ${earlier.join(', ')}.` : '';
  const repaired = /^### fix-\S+ \(debugger\)$/m.test(prompt);
  const base = { confidence: round2(0.6 + unit(`${agent}|${instruction}`) * 0.3), flag: 'none' as const };
  const say = (answer: string, position: string, rationale: string): OfflineAnswer => ({
    ...base,
    answer: `[offline model] ${answer}${context}`,
    position,
    rationale,
  });
  switch (agent) {
    case 'code-generator':
      return say(
        `Implementation for "${instruction}":\n\n\`\`\`ts\n// ${instruction}\nexport function solve(input: unknown): unknown {\n  // offline placeholder: connect Ollama for generated code\n  return input;\n}\n\`\`\``,
        'implemented',
        'A minimal typed implementation that the tester can check.',
      );
    case 'tester':
      if (troubleWords.test(task) && !repaired) {
        return {
          ...say(
            `Wrote tests for "${instruction}"; 1 of 5 fails on the reported problem.`,
            'fail',
            'The case from the report still fails.',
          ),
          flag: 'failed-check',
        };
      }
      return say(
        `Wrote and ran tests for "${instruction}": 5 of 5 pass.`,
        'pass',
        'Happy path, edge cases and error paths are covered.',
      );
    case 'debugger':
      return say(
        `Root cause analysis for "${instruction}": reproduced it, found the faulty branch and fixed it.`,
        'root cause found',
        'Reproduced, bisected to one change, fixed and verified.',
      );
    case 'documenter':
      return say(
        `Documentation for "${instruction}": overview, usage, options and examples.`,
        'documented',
        'Readers need the why, the how and an example.',
      );
    case 'deployer':
      return say(
        `Deployment plan for "${instruction}": build, roll out gradually with health checks, keep a rollback.`,
        'ready to deploy',
        'A gradual rollout with probes keeps downtime at zero.',
      );
    case 'browser':
      return say(
        `Visited the pages for "${instruction}" (offline: no real browsing) and summarised what to check.`,
        'pages reviewed',
        'Offline mode cannot open real pages.',
      );
    case 'security':
      return say(
        `Security review for "${instruction}": checked input validation, authentication, secrets and rate limits.`,
        'no blocking issues',
        'Nothing blocks release; hardening notes included.',
      );
    case 'architect':
      return say(
        `Design for "${instruction}": components, boundaries, data flow and the trade-offs taken.`,
        'design proposed',
        'Keeps boundaries clear and the first version small.',
      );
    case 'performance':
      return say(
        `Performance plan for "${instruction}": measure first, find the hot path, fix it, measure again.`,
        'hot path identified',
        'Profiles point at one dominant cost.',
      );
    default:
      return say(`Answer for "${instruction}" from ${agent}.`, 'answered', `The ${agent} agent's view.`);
  }
}
