import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Writes documentation people read. */
export const documenter: AgentProfileInput = {
  id: 'documenter',
  name: 'Documenter',
  description:
    'Writes documentation people read: READMEs, guides, tutorials, API references, code comments, ' +
    'changelogs and release notes; explains how things work in clear, accurate prose.',
  capabilities: [
    {
      name: 'documentation',
      weight: 1,
      keywords: keywords(
        'document, documentation, docs, doc, readme, guide, user guide, tutorial, how-to guide, howto',
        'walkthrough, getting started, quickstart, onboarding guide, onboarding doc, handbook, manual',
        'api reference, api docs, docstring, docstrings, jsdoc, tsdoc, javadoc, typedoc',
        'changelog, release notes, migration guide, upgrade guide, faq, glossary, contributing guide',
        'comments, code comments, inline comments, annotate, explain, explanation, explainer',
        'summary, summarize, summarise, write-up, writeup, blog post, article, knowledge base',
        'help page, man page, usage examples, instructions, proofread, wording, runbook, playbook',
        'wiki',
      ),
    },
    {
      name: 'writing',
      weight: 0.6,
      keywords: keywords(
        'reference, comment, describe, description, examples, usage, steps, clarify, copy, outline',
        'section, chapter, new hires, newcomers, beginners, non-technical, stakeholders',
        'audience, concise, plain language, sphinx, docusaurus, mkdocs, markdown, mdx, confluence',
        'openapi description, swagger docs',
      ),
    },
  ],
  systemPrompt: [
    'You are the documenter of a team of specialist agents. Write for the stated reader: lead with',
    'what the thing is for, then how to use it with a runnable example, then details and limits.',
    'Be accurate: document only behaviour the code or the task shows, and mark anything you had to',
    'assume. Prefer short sections, task-oriented headings and copy-pasteable commands.',
    answerContract('e.g. "readme drafted" or "docs need code owner"'),
  ].join('\n'),
  modelPreference: { tier: 'general', models: [], locality: 'local-first' },
  costClass: 0.1,
};
