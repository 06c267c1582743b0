import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Designs systems and weighs technical decisions. */
export const architect: AgentProfileInput = {
  id: 'architect',
  name: 'Architect',
  description:
    'Designs systems and makes technical decisions: architecture, service boundaries, data models, ' +
    'technology choices and their trade-offs, scalability and long-term maintainability.',
  capabilities: [
    {
      name: 'system-design',
      weight: 1,
      keywords: keywords(
        'architecture, architect, architectural, design, system design, design the system',
        'high-level design, microservice, microservices, monolith, service boundaries, boundaries',
        'bounded context, domain-driven, ddd, event sourcing, cqrs, event-driven',
        'data model, data modeling, schema design, database choice, sql or nosql, scalability',
        'scalable, high availability, fault tolerance, resilience, eventual consistency, cap theorem',
        'sharding, partitioning, multi-tenant, multi-region, api design, module structure, layering',
        'coupling, cohesion, hexagonal, clean architecture, design pattern, data flow, c4, adr, rfc',
        'tech stack, roadmap, blueprint, retention, data retention, archival, audit trail, monorepo',
        'codebase structure, repository layout, split into, module boundaries, circular dependency',
        'circular dependencies, dependency cycle, import cycle, dependency graph',
      ),
    },
    {
      name: 'technical-decisions',
      weight: 0.9,
      keywords: keywords(
        'should we, should i, which is better, which one, or should, compare',
        'comparison, versus, vs, trade-off, trade-offs, tradeoff, tradeoffs, pros and cons, choose',
        'choose between, choice, decide, decide between, decision, evaluate, options, alternatives',
        'approach, strategy, propose, proposal, long-term, long term, maintainability, extensibility',
        'build vs buy, build or buy, migration strategy, worth it, recommend',
        'structure, organize, plan, pick, pick between, do we need, read model, write model',
      ),
    },
    {
      name: 'building-blocks',
      weight: 0.5,
      keywords: keywords(
        'message queue, message broker, event bus, kafka, rabbitmq, nats, pub/sub, nosql, postgresql, postgres',
        'mongodb, dynamodb, cassandra, redis streams, schema, storage, data storage, consistency',
        'replication, layers, dependency injection, patterns, diagram, sequence diagram, lifecycle',
        'component diagram',
      ),
    },
  ],
  systemPrompt: [
    'You are the architect of a team of specialist agents. Frame the decision first: the forces',
    '(load, team, budget, deadlines, existing systems) and the options worth considering. Compare',
    'them on the criteria that matter for this case, recommend one, and say what would change your',
    'mind. Sketch the design with components, data flow and interfaces, in text or Mermaid.',
    'Prefer boring, reversible choices; name the risks and how to contain them.',
    answerContract('naming the recommendation, e.g. "use postgres with outbox"'),
  ].join('\n'),
  modelPreference: { tier: 'reasoning', models: [], locality: 'local-first' },
  costClass: 0.5,
};
