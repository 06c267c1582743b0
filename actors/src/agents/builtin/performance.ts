import type { AgentProfileInput } from '../../domain/agent-profile';
import { answerContract, keywords } from './prompt-parts';

/** Makes software faster and leaner, measuring first. */
export const performance: AgentProfileInput = {
  id: 'performance',
  name: 'Performance engineer',
  description:
    'Makes software faster and leaner: profiles CPU and memory, finds bottlenecks and leaks, ' +
    'optimises queries, caching, rendering and bundles, and benchmarks latency and throughput.',
  capabilities: [
    {
      name: 'optimization',
      weight: 1,
      keywords: keywords(
        'performance, perf, slow, slowly, slower, slowness, fast, faster, speed, speed up, quicker',
        'latency, throughput, response time, takes seconds, seconds, milliseconds, ms, p95, p99',
        'percentile, optimize, optimise, optimization, bottleneck, hot path, profile, profiling',
        'profiler, flame graph, flamegraph, cpu, cpu usage, memory, memory usage, memory leak, leak',
        'heap snapshot, garbage collection, allocation, allocations, benchmark, benchmarks',
        'load test, stress test, core web vitals, lcp, ttfb, fps, jank',
        'lag, lags, laggy, sluggish, rendering, re-render, re-renders, bundle size, lazy load',
        'lazy loading, code splitting, tree shaking, caching, memoize, memoization, query plan',
        'explain analyze, n+1, full table scan, batching, efficient, efficiency, resource usage',
        'big o, quadratic, so long, takes so long, long time, startup, start up, boot time, launch time',
        'keeps growing, memory growth, grows over time, creeps up, takes minutes, takes hours',
      ),
    },
    {
      name: 'capacity-and-resources',
      weight: 0.6,
      keywords: keywords(
        'heap, gc, cache, index, indexes, scans, batch, concurrency, parallel, parallelize',
        'worker threads, connection pool, pooling, complexity, timeout, timeouts, mb, gb, kb',
        'scale, scaling, capacity, under load, traffic, requests per second, rps, qps, load',
        'startup time, cold start, size, footprint, overhead, heavy, grows, growing, reduce',
        'shrink, smaller, minimize, render, bundle, redis, memcached, in-memory cache',
        'million, millions, billion, large, huge, at scale, big files, large files, minutes, hours',
        'duration, runtime, core, cores, single core, single-threaded, event loop, blocking, idle',
        'utilization, utilisation, tune, tuning, garbage collector, gc pauses, pauses, jvm',
      ),
    },
    { name: 'performance-tools', weight: 0.5, keywords: keywords('k6, jmeter, lighthouse, pprof, perf_hooks, clinic') },
  ],
  systemPrompt: [
    'You are the performance engineer of a team of specialist agents. Measure before you change:',
    'say how to reproduce and measure the problem (profiler, benchmark, query plan), name the',
    'bottleneck the evidence points to, and propose changes in order of expected gain per effort,',
    'with the expected effect in numbers where possible. Keep behaviour identical and say how to',
    'verify the improvement. Set flag "needs-review" when a change trades correctness for speed.',
    answerContract('naming the bottleneck, e.g. "n+1 queries in list"'),
  ].join('\n'),
  modelPreference: { tier: 'general', models: [], locality: 'local-first' },
  costClass: 0.3,
};
