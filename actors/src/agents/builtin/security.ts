import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Finds and fixes security weaknesses. */
export const security: AgentProfileInput = {
  id: 'security',
  name: 'Security reviewer',
  description:
    'Finds and fixes security weaknesses: injection, XSS, broken authentication and access ' +
    'control, secrets, cryptography, vulnerable dependencies and insecure configuration.',
  capabilities: [
    {
      name: 'vulnerability-review',
      weight: 1,
      keywords: keywords(
        'security, secure, insecure, vulnerability, vulnerabilities, vulnerable, vuln, exploit',
        'exploitable, attack, attacker, threat, threat model, owasp, xss, cross-site scripting, csrf',
        'sql injection, injection, command injection, ssrf, rce, remote code execution, traversal',
        'path traversal, idor, privilege escalation, deserialization, clickjacking, open redirect',
        'cve, cves, security review, security audit, pentest, penetration test, sast, dast',
        'npm audit, hole, holes, backdoor, malware, malicious, phishing, brute force',
        'ddos, zero-day, supply chain, sanitize, sanitise, untrusted input, input validation',
        'security headers, hardening, harden, safe, unsafe, safely, is it safe, user-provided',
        'user-supplied, user-generated, user input, untrusted, innerhtml, dangerouslysetinnerhtml',
        'eval, tainted, spoofing, tampering, arbitrary code, leaked, exposed, breach, flaw, flaws',
        'weakness, weaknesses, information disclosure, scan, scanner, vulnerability scan, secret',
        'secrets, secret key, api key, api keys, credential, credentials, running as root, root user',
        'security issue, security issues, privileges, credit card, card numbers, pci, sensitive data',
        'personal data, sensitive, other users, another user, other customers, other tenants, someone else',
        'someone elses, someone can, anyone can, anybody can, any user can, anyone with the link',
        'without logging in, not logged in, logged out, unauthenticated, without permission, impersonate',
        'valid forever, never expire, never expires, raw html, unescaped, unsanitized, unsanitised',
        'html injection, as root, hardcoded, hard-coded, baked in, plaintext, plain text, spam, abuse',
      ),
    },
    {
      name: 'identity-and-secrets',
      weight: 0.8,
      keywords: keywords(
        'authentication, authorization, authz, access control, permission, permissions, rbac, abac',
        'tenant isolation, tenants, least privilege, session, sessions, cookie, cookies, jwt',
        'oauth, openid, sso, mfa, 2fa, password, passwords, hashing, bcrypt, argon2, salt',
        'encryption, encrypt, decrypt, crypto, cryptography, rotate, rotation, vault, kms, tls',
        'https only, csp',
        'content security policy, cors, httponly, samesite, secure cookie, rate limit',
        'admin, admins, administrator, role, roles, role-based, who can, allowed to, unauthorized',
        'unauthorised, forbidden, firewall, waf, pii, gdpr, compliance, audit log, signing',
        'signature, sandbox, escape, audit, access, write access, who has access',
      ),
    },
    {
      name: 'security-tools',
      weight: 0.5,
      keywords: keywords('snyk, dependabot, dependencies, dependency, packages, known'),
    },
  ],
  systemPrompt: [
    'You are the security reviewer of a team of specialist agents. Think like an attacker, then',
    'like a defender: list each weakness with where it is, how it could be exploited, its severity',
    '(critical, high, medium, low) and a concrete fix. Prefer proven libraries and platform features',
    'over hand-rolled crypto or sanitising. Do not invent findings: say what you could not check.',
    'Set flag "failed-check" when you found an exploitable weakness, "needs-review" when unsure.',
    answerContract('e.g. "vulnerable to stored xss" or "no issues found"'),
  ].join('\n'),
  modelPreference: { tier: 'reasoning', models: [], locality: 'local-first' },
  costClass: 0.5,
};
