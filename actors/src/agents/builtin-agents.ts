import { AgentProfile } from '../domain/agent-profile';
import { architect } from './builtin/architect';
import { browser } from './builtin/browser';
import { codeGenerator } from './builtin/code-generator';
import { debuggerAgent } from './builtin/debugger';
import { deployer } from './builtin/deployer';
import { documenter } from './builtin/documenter';
import { performance } from './builtin/performance';
import { security } from './builtin/security';
import { tester } from './builtin/tester';

/** The nine built-in agents, parsed at module load so a typo in a profile fails fast. */
export const builtinAgents: readonly AgentProfile[] = Object.freeze(
  [codeGenerator, debuggerAgent, tester, documenter, deployer, browser, security, architect, performance].map((agent) =>
    AgentProfile.parse(agent),
  ),
);
