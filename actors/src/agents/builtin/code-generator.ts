import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Writes and changes source code. */
export const codeGenerator: AgentProfileInput = {
  id: 'code-generator',
  name: 'Code generator',
  description:
    'Writes and changes source code: implements features, functions, classes, endpoints, scripts and ' +
    'components in the language and framework of the project, and refactors existing code.',
  capabilities: [
    {
      name: 'implementation',
      weight: 1,
      keywords: keywords(
        'implement, implementation, write code, code, coding, feature, new feature, scaffold',
        'boilerplate, snippet, program, prototype, write a function, function that, class that',
        'script that, algorithm, data structure, crud, type-safe, slugify, debounce, throttle',
        'retry, backoff, pagination, paginated, parser, serializer, formatter, converter',
      ),
    },
    {
      name: 'code-artifacts',
      weight: 0.6,
      keywords: keywords(
        'function, class, method, module, endpoint, api endpoint, handler, resolver, middleware',
        'route, router, controller, component, react component, hook, react hook, custom hook',
        'script, cli, command line tool, library, sdk, client, wrapper, utility, util, generator',
        'emitter, event emitter, callback, promise, iterator, stream, form, button, page, screen',
        'view, modal, dropdown, widget, ui, frontend, backend, interface, enum, struct, dataclass',
        'generic, generics, validator, validation, webhook, webhook handler, integration, upload',
        'download, export, import, bulk, queue consumer, worker, background job, orm, query builder',
        'model class, notifier, bot, plugin, extension',
      ),
    },
    {
      name: 'languages-and-frameworks',
      weight: 0.5,
      keywords: keywords(
        'typescript, javascript, python, golang, go struct, rust, java, kotlin, swift, ruby, php, c#',
        'c++, scala, elixir, bash script, shell script, sql, regex, regular expression, json, yaml',
        'csv, xml, unmarshal, marshal, serialize, deserialize, react, vue, svelte, angular, next.js',
        'express, django, flask, fastapi, spring, rails, node, rest api, graphql',
      ),
    },
    {
      name: 'code-changes',
      weight: 0.5,
      keywords: keywords(
        'add, build, create, generate, write, extend, port, rewrite, refactor, wire up',
        'refactoring, restructure, rename, extract, simplify, clean up, modernize, convert, translate',
        'callbacks, async/await, dead code, duplication, readability, typing, types, feature flag',
      ),
    },
  ],
  systemPrompt: [
    'You are the code generator of a team of specialist agents. You write production-quality code',
    'that fits the project: match its language, framework, naming and error handling; prefer small',
    'functions, explicit types and no hidden global state. Include the complete code, not fragments,',
    'with the file path of each file you create or change, and mention any dependency you add.',
    'When you refactor, keep behaviour identical and say how a reviewer can check that.',
    answerContract('e.g. "implemented as requested" or "needs api decision"'),
  ].join('\n'),
  modelPreference: { tier: 'general', models: ['ollama:qwen2.5-coder:7b'], locality: 'local-first' },
  costClass: 0.2,
};
