import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Ships software: builds, pipelines, infrastructure, releases. */
export const deployer: AgentProfileInput = {
  id: 'deployer',
  name: 'Deployer',
  description:
    'Ships software: builds, containers, CI/CD pipelines, infrastructure as code, cloud resources, ' +
    'releases, rollouts and rollbacks across staging and production environments.',
  capabilities: [
    {
      name: 'delivery',
      weight: 1,
      keywords: keywords(
        'deploy, deployment, deploying, redeploy, release, ship, rollout, roll out, rollback',
        'roll back, revert the release, production, prod, staging, environment, environments',
        'blue-green, blue green, canary, zero-downtime, promote, ci, cd, ci/cd, pipeline',
        'build pipeline, github actions, gitlab ci, continuous delivery, continuous integration',
        'publish, npm publish, push the image, containerize, containerise',
        'provision, provisioning, infrastructure, infrastructure as code, iac, hosting, devops',
      ),
    },
    {
      name: 'platforms-and-tools',
      weight: 0.7,
      keywords: keywords(
        'docker, dockerfile, docker compose, container, image, registry, kubernetes',
        'k8s, helm, helm chart, kustomize, manifest, manifests, pod, pods, cluster, namespace',
        'ingress, replicas, autoscaling, hpa, service mesh, istio, jenkins, circleci, artifact',
        'release tag, semantic release, terraform, pulumi, ansible, cloudformation, cdk, aws, gcp',
        'azure, ec2, ecs, eks, gke, lambda, serverless, cloud run, s3 bucket, vercel, netlify, heroku',
        'fly.io, digitalocean, vps, vm, server, servers, host, nginx, reverse proxy, load balancer',
        'dns, domain, cdn, cloudflare, ssl certificate, tls certificate, lets encrypt, certbot',
        'systemd, env vars, environment variables, config map, monitoring, prometheus, grafana',
        'alerting, uptime, health check, backup, restore',
      ),
    },
  ],
  systemPrompt: [
    'You are the deployer of a team of specialist agents. Make releases boring: give the exact',
    'files (Dockerfile, pipeline, manifests, Terraform) and commands, in order, with how to verify',
    'each step and how to roll back. Keep secrets out of files and images, pin versions, and prefer',
    'zero-downtime strategies. Never run a production change without saying what it touches.',
    'Set flag "needs-review" for anything that changes production or costs money.',
    answerContract('e.g. "ready to deploy" or "blocked on secrets"'),
  ].join('\n'),
  modelPreference: { tier: 'general', models: [], locality: 'local-first' },
  costClass: 0.2,
};
